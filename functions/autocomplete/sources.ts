// Which suggestions an autocomplete option gets, read from the command definitions themselves
// (shared/commands/): a `reason` option anywhere → the saved reasons; a case number (an integer
// option that autocompletes: caseNumberOption, e.g. /case view number, /reason case) → recent
// cases; /reasons remove name → the saved names. A command defined with reasonOption or
// caseNumberOption therefore autocompletes with no change here; an option nobody declared as
// autocompleting gets nothing. Pure (built once from the definitions).
import { type APIApplicationCommandOption, ApplicationCommandOptionType } from 'discord-api-types/v10';
import { commandDefinitions } from '../../shared/command-definitions.ts';

export type SuggestionSource = 'saved-reasons' | 'cases' | 'saved-names';

const key = (command: string, subcommand: string | null, option: string) =>
  `${command}/${subcommand ?? ''}/${option}`;

function sourceOf(
  command: string,
  subcommand: string | null,
  option: APIApplicationCommandOption,
): SuggestionSource | null {
  if (!('autocomplete' in option) || !option.autocomplete) return null;
  if (option.name === 'reason') return 'saved-reasons';
  if (option.type === ApplicationCommandOptionType.Integer) return 'cases';
  if (command === 'reasons' && subcommand === 'remove' && option.name === 'name') return 'saved-names';
  return null;
}

const sources = new Map<string, SuggestionSource>();

/** Subcommands are named as findFocusedOption names them: "sub", or "group sub" inside a group. */
function collect(
  command: string,
  subcommand: string | null,
  options: readonly APIApplicationCommandOption[],
) {
  for (const option of options) {
    if (
      option.type === ApplicationCommandOptionType.Subcommand ||
      option.type === ApplicationCommandOptionType.SubcommandGroup
    ) {
      collect(command, subcommand ? `${subcommand} ${option.name}` : option.name, option.options ?? []);
      continue;
    }
    const source = sourceOf(command, subcommand, option);
    if (source) sources.set(key(command, subcommand, option.name), source);
  }
}
for (const definition of commandDefinitions) collect(definition.name, null, definition.options ?? []);

export function suggestionSource(
  command: string,
  subcommand: string | null,
  option: string,
): SuggestionSource | null {
  return sources.get(key(command, subcommand, option)) ?? null;
}
