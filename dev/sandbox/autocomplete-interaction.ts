// Autocomplete from the sandbox's command box, sent as Discord's client sends it while a member
// types in an option whose definition has `autocomplete: true`: an APPLICATION_COMMAND_AUTOCOMPLETE
// interaction (dev/interactions.ts) with the options filled in so far — each of its own type when it
// reads as one, skipped while it does not (a half-typed number), never checked for being required —
// and the option being typed marked `focused`, its value the text as typed whatever the option's
// type. The answer (type 8) is the suggestions the page lists above the command box.
import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOption,
  ApplicationCommandOptionType,
} from 'discord-api-types/v10';
import { commandDefinitions } from '../../shared/command-definitions.ts';
import { buildAutocompleteInteraction } from '../interactions.ts';
import { type ShapedOutcome, shapeAnswer } from './answers.ts';
import { CommandInputError } from './command-options.ts';
import { interactionParty } from './commands.ts';
import { addClientFields, invokerOf } from './interaction-parts.ts';
import type { SandboxGuild } from './seed.ts';
import type { WorkerLink } from './worker-link.ts';

/** What the page sends while an autocomplete option is typed in. */
export interface AutocompleteRequest {
  name: string;
  subcommand?: string | null;
  /** Every option's text so far, by name (the focused one included). */
  options?: Record<string, string | number | boolean | null | undefined>;
  /** The option being typed. */
  focused: string;
  invokerId?: string;
  channelId?: string;
}

type Value = string | number | boolean | null | undefined;

/** One option's value as Discord would send it, or undefined while it does not read as its type. */
function typedValue(
  option: APIApplicationCommandBasicOption,
  raw: Value,
): string | number | boolean | undefined {
  if (raw === undefined || raw === null || String(raw).trim() === '') return undefined;
  switch (option.type) {
    case ApplicationCommandOptionType.Integer: {
      const value = Number(raw);
      return Number.isSafeInteger(value) ? value : undefined;
    }
    case ApplicationCommandOptionType.Number: {
      const value = Number(raw);
      return Number.isFinite(value) ? value : undefined;
    }
    case ApplicationCommandOptionType.Boolean:
      return raw === true || raw === 'true' ? true : raw === false || raw === 'false' ? false : undefined;
    case ApplicationCommandOptionType.Attachment:
      // A file is uploaded when the command is sent, not while it is typed.
      return undefined;
    default:
      return String(raw);
  }
}

/** The options array of an autocomplete interaction: what is typed so far, the focused one marked. */
export function autocompleteOptions(
  request: AutocompleteRequest,
): APIApplicationCommandInteractionDataOption[] {
  const definition = commandDefinitions.find((d) => d.name === request.name);
  if (!definition) throw new CommandInputError(`There is no /${String(request.name)} command.`);
  let declared = (definition.options ?? []) as APIApplicationCommandOption[];
  const subcommand = declared.find(
    (o) => o.type === ApplicationCommandOptionType.Subcommand && o.name === request.subcommand,
  );
  if (declared.some((o) => o.type === ApplicationCommandOptionType.Subcommand)) {
    if (!subcommand) throw new CommandInputError(`/${request.name} needs a subcommand.`);
    declared = (subcommand as { options?: APIApplicationCommandOption[] }).options ?? [];
  }
  const basic = declared as APIApplicationCommandBasicOption[];
  const focused = basic.find((o) => o.name === request.focused);
  if (!focused || !('autocomplete' in focused) || focused.autocomplete !== true) {
    throw new CommandInputError(`\`${String(request.focused)}\` does not autocomplete.`);
  }
  const values = request.options ?? {};
  const options: APIApplicationCommandInteractionDataBasicOption[] = [];
  for (const option of basic) {
    if (option.name === focused.name) {
      options.push({
        name: option.name,
        type: option.type,
        value: String(values[option.name] ?? ''),
        focused: true,
      } as APIApplicationCommandInteractionDataBasicOption);
      continue;
    }
    const value = typedValue(option, values[option.name]);
    if (value !== undefined) {
      options.push({
        name: option.name,
        type: option.type,
        value,
      } as APIApplicationCommandInteractionDataBasicOption);
    }
  }
  return subcommand
    ? [{ name: subcommand.name, type: ApplicationCommandOptionType.Subcommand, options }]
    : options;
}

export async function runAutocomplete(
  link: WorkerLink,
  setup: { applicationId: string; guild: SandboxGuild },
  request: AutocompleteRequest,
): Promise<ShapedOutcome> {
  const options = autocompleteOptions(request);
  const guild = await link.guildState();
  const invoker = invokerOf(guild, request.invokerId ?? setup.guild.defaultInvokerId);
  const channelId = request.channelId ?? setup.guild.channels.general;
  if (!guild.channels.some((c) => c.id === channelId)) {
    throw new CommandInputError('There is no such channel in this server.');
  }
  const interaction = buildAutocompleteInteraction({
    ...interactionParty(setup.applicationId, guild, invoker, channelId),
    name: request.name,
    options,
  });
  addClientFields(interaction, guild, invoker, channelId);
  return shapeAnswer(await link.send(interaction), {
    kind: 'autocomplete',
    applicationId: setup.applicationId,
    channelId,
    guild,
  });
}
