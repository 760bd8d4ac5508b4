// Finds the option the moderator is typing in an autocomplete request: Discord marks it `focused`,
// at the top level or inside a subcommand (or a subcommand group's subcommand), and sends its
// value as a string whatever the option's type. Pure.
import {
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  ApplicationCommandOptionType,
  type InteractionType,
} from 'discord-api-types/v10';

type Autocomplete = InteractionType.ApplicationCommandAutocomplete;
type AnyOption = APIApplicationCommandInteractionDataOption<Autocomplete>;
type BasicOption = APIApplicationCommandInteractionDataBasicOption<Autocomplete>;

export interface FocusedOption {
  /** The subcommand the option belongs to ("group sub" inside a group); null at the top level. */
  subcommand: string | null;
  name: string;
  type: ApplicationCommandOptionType;
  /** What has been typed so far ("" when nothing). */
  value: string;
}

function focused(option: BasicOption, subcommand: string | null): FocusedOption | null {
  if (!('focused' in option) || !option.focused) return null;
  return { subcommand, name: option.name, type: option.type, value: String(option.value ?? '') };
}

export function findFocusedOption(
  options: readonly AnyOption[],
  subcommand: string | null = null,
): FocusedOption | null {
  for (const option of options) {
    let found: FocusedOption | null;
    if (option.type === ApplicationCommandOptionType.SubcommandGroup) {
      found = findFocusedOption(option.options ?? [], option.name);
    } else if (option.type === ApplicationCommandOptionType.Subcommand) {
      found = findFocusedOption(
        option.options ?? [],
        subcommand ? `${subcommand} ${option.name}` : option.name,
      );
    } else {
      found = focused(option, subcommand);
    }
    if (found) return found;
  }
  return null;
}
