// The sandbox command box's input turned into what Discord would send: the options array built
// from the page's values against the bot's own command definitions, refusing (CommandInputError)
// what Discord's client would not let through; and a member's permissions as Discord computes them
// for an interaction.
import {
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOption,
  ApplicationCommandOptionType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { commandDefinitions } from '../../shared/command-definitions.ts';
import type { GuildSnapshot } from '../discord/server.ts';

/** What the page sends to run a command: values by option name, as typed or picked. */
export interface CommandRequest {
  name: string;
  subcommand?: string | null;
  options?: Record<string, string | number | boolean | null | undefined>;
  invokerId?: string;
  /** Where the command is typed; #general unless given. */
  channelId?: string;
}

export class CommandInputError extends Error {}

const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** A member's permissions as Discord computes them for an interaction (no channel overwrites here). */
export function memberPermissions(guild: GuildSnapshot, userId: string): bigint {
  if (guild.ownerId === userId) return ALL_PERMISSIONS;
  const member = guild.members.find((m) => m.user?.id === userId);
  const everyone = guild.roles.find((role) => role.id === guild.id);
  let bits = BigInt(everyone?.permissions ?? '0');
  for (const roleId of member?.roles ?? []) {
    const role = guild.roles.find((r) => r.id === roleId);
    if (role) bits |= BigInt(role.permissions);
  }
  return bits & PermissionFlagsBits.Administrator ? ALL_PERMISSIONS : bits;
}

type BasicOption = Exclude<
  APIApplicationCommandOption,
  { type: ApplicationCommandOptionType.Subcommand | ApplicationCommandOptionType.SubcommandGroup }
>;

/**
 * Turns the page's values into the options array Discord sends, checking what Discord's client checks
 * before it lets a command through (required options, choices, lengths, bounds, channel types).
 */
export function commandOptions(
  request: CommandRequest,
  guild: GuildSnapshot,
): { options: APIApplicationCommandInteractionDataOption[]; userIds: string[]; channelIds: string[] } {
  const definition = commandDefinitions.find((d) => d.name === request.name);
  if (!definition) throw new CommandInputError(`There is no /${request.name} command.`);
  let declared = (definition.options ?? []) as APIApplicationCommandOption[];
  const subcommands = declared.filter((o) => o.type === ApplicationCommandOptionType.Subcommand);
  let subcommand: string | null = null;
  if (subcommands.length > 0) {
    const chosen = subcommands.find((o) => o.name === request.subcommand);
    if (!chosen) {
      throw new CommandInputError(
        `/${request.name} needs a subcommand: ${subcommands.map((o) => o.name).join(', ')}.`,
      );
    }
    subcommand = chosen.name;
    declared = (chosen as { options?: APIApplicationCommandOption[] }).options ?? [];
  }
  const values = request.options ?? {};
  const basic: APIApplicationCommandInteractionDataOption[] = [];
  const userIds: string[] = [];
  const channelIds: string[] = [];
  for (const option of declared as BasicOption[]) {
    const raw = values[option.name];
    const empty = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
    if (empty) {
      if (option.required) throw new CommandInputError(`\`${option.name}\` is required.`);
      continue;
    }
    const label = `\`${option.name}\``;
    switch (option.type) {
      case ApplicationCommandOptionType.String: {
        const value = String(raw);
        if (option.choices && !option.choices.some((c) => c.value === value)) {
          throw new CommandInputError(`${label} must be one of the choices.`);
        }
        if (option.max_length !== undefined && value.length > option.max_length) {
          throw new CommandInputError(`${label} is longer than ${option.max_length} characters.`);
        }
        basic.push({ name: option.name, type: option.type, value });
        break;
      }
      case ApplicationCommandOptionType.Integer: {
        const value = Number(raw);
        if (!Number.isInteger(value)) throw new CommandInputError(`${label} must be a whole number.`);
        if (option.min_value !== undefined && value < option.min_value) {
          throw new CommandInputError(`${label} must be at least ${option.min_value}.`);
        }
        basic.push({ name: option.name, type: option.type, value });
        break;
      }
      case ApplicationCommandOptionType.User: {
        const id = String(raw);
        userIds.push(id);
        basic.push({ name: option.name, type: option.type, value: id });
        break;
      }
      case ApplicationCommandOptionType.Channel: {
        const id = String(raw);
        const channel = guild.channels.find((c) => c.id === id);
        if (!channel) throw new CommandInputError(`${label}: no such channel in this server.`);
        if (option.channel_types && !option.channel_types.includes(channel.type as never)) {
          throw new CommandInputError(`${label}: #${channel.name} is not a channel of the right type.`);
        }
        channelIds.push(id);
        basic.push({ name: option.name, type: option.type, value: id });
        break;
      }
      case ApplicationCommandOptionType.Boolean:
        basic.push({ name: option.name, type: option.type, value: raw === true || raw === 'true' });
        break;
      default:
        basic.push({ name: option.name, type: option.type, value: String(raw) } as never);
    }
  }
  const options: APIApplicationCommandInteractionDataOption[] = subcommand
    ? [{ name: subcommand, type: ApplicationCommandOptionType.Subcommand, options: basic as never }]
    : basic;
  return { options, userIds, channelIds };
}
