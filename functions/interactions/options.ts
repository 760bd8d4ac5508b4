// Reads a slash command's options from the interaction payload: values by name, the resolved user
// and member objects Discord sends with user options, and the subcommand. Pure.
import {
  type APIApplicationCommandInteractionDataBasicOption,
  type APIAttachment,
  type APIChatInputApplicationCommandInteractionData,
  type APIInteractionDataResolvedGuildMember,
  type APIUser,
  ApplicationCommandOptionType,
} from 'discord-api-types/v10';

export interface ResolvedUser {
  id: string;
  user: APIUser | null;
  /** Present when the user is a member of the guild; carries their role ids. */
  member: APIInteractionDataResolvedGuildMember | null;
}

export interface CommandOptions {
  subcommand: string | null;
  string(name: string): string | null;
  integer(name: string): number | null;
  user(name: string): ResolvedUser | null;
  channel(name: string): string | null;
  boolean(name: string): boolean | null;
  /** The attachment Discord resolved for the option (its URL is only as trustworthy as the signature). */
  attachment(name: string): APIAttachment | null;
}

export function readOptions(data: APIChatInputApplicationCommandInteractionData): CommandOptions {
  let options = data.options ?? [];
  let subcommand: string | null = null;
  const first = options[0];
  if (first?.type === ApplicationCommandOptionType.Subcommand) {
    subcommand = first.name;
    options = first.options ?? [];
  }
  const byName = new Map(
    (options as APIApplicationCommandInteractionDataBasicOption[]).map((option) => [option.name, option]),
  );
  const value = (name: string, type: ApplicationCommandOptionType) => {
    const option = byName.get(name);
    return option && option.type === type ? option.value : null;
  };
  return {
    subcommand,
    string: (name) => {
      const v = value(name, ApplicationCommandOptionType.String);
      return typeof v === 'string' ? v : null;
    },
    integer: (name) => {
      const v = value(name, ApplicationCommandOptionType.Integer);
      return typeof v === 'number' ? v : null;
    },
    channel: (name) => {
      const v = value(name, ApplicationCommandOptionType.Channel);
      return typeof v === 'string' ? v : null;
    },
    boolean: (name) => {
      const v = value(name, ApplicationCommandOptionType.Boolean);
      return typeof v === 'boolean' ? v : null;
    },
    attachment: (name) => {
      const id = value(name, ApplicationCommandOptionType.Attachment);
      return typeof id === 'string' ? (data.resolved?.attachments?.[id] ?? null) : null;
    },
    user: (name) => {
      const id = value(name, ApplicationCommandOptionType.User);
      if (typeof id !== 'string') return null;
      return {
        id,
        user: data.resolved?.users?.[id] ?? null,
        member: data.resolved?.members?.[id] ?? null,
      };
    },
  };
}

/** A reason as typed by the moderator: trimmed, empty meaning none. */
export function normaliseReason(raw: string | null): string | null {
  const trimmed = raw?.trim();
  return trimmed ? trimmed : null;
}

/**
 * Options a command receives from somewhere other than its own payload — a modal's fields, a
 * mod-log button's case — so it runs through the same handler as when typed. Unset names are null.
 */
export function givenOptions(given: {
  user?: Record<string, ResolvedUser>;
  string?: Record<string, string | null>;
  integer?: Record<string, number>;
}): CommandOptions {
  const read = <T>(map: Record<string, T> | undefined, name: string): T | null =>
    map && Object.hasOwn(map, name) ? (map[name] ?? null) : null;
  return {
    subcommand: null,
    string: (name) => read(given.string, name),
    integer: (name) => read(given.integer, name),
    user: (name) => read(given.user, name),
    channel: () => null,
    boolean: () => null,
    attachment: () => null,
  };
}
