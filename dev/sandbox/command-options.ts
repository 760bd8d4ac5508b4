// The sandbox command box's input turned into what Discord would send: the options array built
// from the page's values against the bot's own command definitions, refusing (CommandInputError)
// what Discord's client would not let through (required options, choices, lengths, bounds, channel
// types, files); and a member's permissions as Discord computes them for an interaction, in the
// channel it happens in (the stand-in's own computation, dev/discord/permissions.ts).
import {
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOption,
  type APIAttachment,
  ApplicationCommandOptionType,
} from 'discord-api-types/v10';
import { commandDefinitions } from '../../shared/command-definitions.ts';
import { channelPermissions, memberPermissions as guildPermissions } from '../discord/permissions.ts';
import type { GuildSnapshot } from '../discord/server.ts';

/** What the page sends to run a command: values by option name, as typed or picked. */
export interface CommandRequest {
  name: string;
  subcommand?: string | null;
  options?: Record<string, string | number | boolean | null | undefined>;
  invokerId?: string;
  /** Where the command is typed; #general unless given. */
  channelId?: string;
  /** Attachment options: pasted text that becomes a file, by option name. */
  files?: Record<string, { filename?: string; text: string }>;
}

export class CommandInputError extends Error {}

const guildOf = (guild: GuildSnapshot) => ({ id: guild.id, ownerId: guild.ownerId, roles: guild.roles });
const rolesOf = (guild: GuildSnapshot, userId: string) =>
  guild.members.find((m) => m.user?.id === userId)?.roles ?? [];

/**
 * A member's permissions as Discord puts them in an interaction: in the channel when one is given
 * (the overwrites applied), else guild-wide.
 */
export function memberPermissions(guild: GuildSnapshot, userId: string, channelId?: string): bigint {
  const member = { id: userId, roles: rolesOf(guild, userId) };
  const channel = channelId ? guild.channels.find((c) => c.id === channelId) : undefined;
  if (!channel) return guildPermissions(guildOf(guild), member.id, member.roles);
  return channelPermissions(guildOf(guild), member, channel.permission_overwrites ?? []);
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
  /** Files already uploaded for the request's attachment options, by option name. */
  uploaded: Record<string, APIAttachment> = {},
): {
  options: APIApplicationCommandInteractionDataOption[];
  userIds: string[];
  channelIds: string[];
  attachments: APIAttachment[];
} {
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
  const attachments: APIAttachment[] = [];
  for (const option of declared as BasicOption[]) {
    if (option.type === ApplicationCommandOptionType.Attachment) {
      const file = uploaded[option.name];
      if (file) {
        attachments.push(file);
        basic.push({ name: option.name, type: option.type, value: file.id });
      } else if (option.required) throw new CommandInputError(`\`${option.name}\` is required.`);
      continue;
    }
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
        if (option.min_length !== undefined && value.length < option.min_length) {
          throw new CommandInputError(`${label} is shorter than ${option.min_length} characters.`);
        }
        basic.push({ name: option.name, type: option.type, value });
        break;
      }
      case ApplicationCommandOptionType.Integer:
      case ApplicationCommandOptionType.Number: {
        const value = Number(raw);
        const integer = option.type === ApplicationCommandOptionType.Integer;
        if (integer ? !Number.isSafeInteger(value) : !Number.isFinite(value)) {
          throw new CommandInputError(`${label} must be a ${integer ? 'whole ' : ''}number.`);
        }
        if (option.choices && !option.choices.some((c) => c.value === value)) {
          throw new CommandInputError(`${label} must be one of the choices.`);
        }
        if (option.min_value !== undefined && value < option.min_value) {
          throw new CommandInputError(`${label} must be at least ${option.min_value}.`);
        }
        if (option.max_value !== undefined && value > option.max_value) {
          throw new CommandInputError(`${label} must be at most ${option.max_value}.`);
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
      case ApplicationCommandOptionType.Boolean: {
        if (raw !== true && raw !== false && raw !== 'true' && raw !== 'false') {
          throw new CommandInputError(`${label} must be True or False.`);
        }
        basic.push({ name: option.name, type: option.type, value: raw === true || raw === 'true' });
        break;
      }
      default:
        basic.push({ name: option.name, type: option.type, value: String(raw) } as never);
    }
  }
  const options: APIApplicationCommandInteractionDataOption[] = subcommand
    ? [{ name: subcommand, type: ApplicationCommandOptionType.Subcommand, options: basic as never }]
    : basic;
  return { options, userIds, channelIds, attachments };
}
