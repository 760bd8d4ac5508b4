// How the pages write a user: the name the user directory knows (functions/users/known-users.ts)
// beside the id, or the id alone; a member links to their history page. Names are untrusted text
// (anyone picks their own) and go through the `html` template's escaping. Pure.
import { html } from 'hono/html';
import type { KnownUser } from '../../users/known-users.ts';
import type { Html } from './layout.ts';

export type UserNames = ReadonlyMap<string, KnownUser>;

/** "Display Name (@username)", "@username", or null when the user is not known. */
export function displayName(user: KnownUser | undefined): string | null {
  if (!user) return null;
  return user.globalName && user.globalName !== user.username
    ? `${user.globalName} (@${user.username})`
    : `@${user.username}`;
}

export const memberHref = (guildId: string, userId: string): string =>
  `/dashboard/guilds/${encodeURIComponent(guildId)}/members/${encodeURIComponent(userId)}`;

/** A user as text: the name then the id, muted, or the id alone. */
export function userText(names: UserNames, userId: string): Html {
  const name = displayName(names.get(userId));
  return name ? html`${name} <span class="muted">${userId}</span>` : html`${userId}`;
}

/** A member, linked to their history in this server. */
export function memberLink(guildId: string, names: UserNames, userId: string): Html {
  return html`<a class="member" href="${memberHref(guildId, userId)}">${userText(names, userId)}</a>`;
}
