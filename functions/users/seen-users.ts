// The users an interaction payload or an audit-log page names, with their names, for the user
// directory (known-users.ts): one entry per user (the last seen wins), only well-formed ids and
// names, sorted by id so concurrent upserts take their row locks in one order. Pure.
import type { APIAuditLog, APIInteraction, APIUser } from 'discord-api-types/v10';
import { isSnowflake } from '../../shared/snowflakes.ts';

export interface SeenUser {
  id: string;
  username: string;
  globalName: string | null;
}

/** Discord's longest username is 32 characters, a display name 32; anything longer is not Discord's. */
const MAX_NAME = 32;
/** An interaction names a handful of users, an audit-log page at most a few hundred: a bound all the same. */
export const MAX_SEEN_USERS = 500;

const nameOk = (name: unknown): name is string =>
  typeof name === 'string' && name.length > 0 && name.length <= MAX_NAME;

export function distinctUsers(users: Iterable<Partial<APIUser> | null | undefined>): SeenUser[] {
  const byId = new Map<string, SeenUser>();
  for (const user of users) {
    if (!user || typeof user.id !== 'string' || !isSnowflake(user.id) || !nameOk(user.username)) continue;
    const globalName = nameOk(user.global_name) ? user.global_name : null;
    byId.set(user.id, { id: user.id, username: user.username, globalName });
    if (byId.size >= MAX_SEEN_USERS) break;
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Who used the interaction (member.user, or user in a DM) and the users its options resolved. */
export function usersOfInteraction(interaction: APIInteraction): SeenUser[] {
  const data =
    'data' in interaction ? (interaction.data as { resolved?: { users?: unknown } } | undefined) : undefined;
  const resolved = data?.resolved?.users;
  const targets =
    resolved && typeof resolved === 'object' ? Object.values(resolved as Record<string, APIUser>) : [];
  return distinctUsers([interaction.member?.user, interaction.user, ...targets]);
}

/** The users an audit-log page references (the moderators and targets of its entries). */
export function usersOfAuditLog(page: Pick<APIAuditLog, 'users'>): SeenUser[] {
  return Array.isArray(page.users) ? distinctUsers(page.users) : [];
}

/** The LIKE pattern of a case-insensitive prefix search: `Al_x` → `al\_x%` (wildcards taken literally). */
export function prefixPattern(name: string): string {
  return `${name.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Orders users by the name the prefix matched (the username when both do), then by id. */
export function byMatchedName(prefix: string) {
  const key = (u: SeenUser) => {
    const username = u.username.toLowerCase();
    return username.startsWith(prefix) ? username : (u.globalName ?? '').toLowerCase();
  };
  return (a: SeenUser, b: SeenUser) => {
    const [x, y] = [key(a), key(b)];
    return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}
