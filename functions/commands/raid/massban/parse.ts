// /massban's inputs, pure: the user list (IDs or mentions from the text option and the file), the
// delete-messages choice, and which listed users are left out and why, from what the preview
// learnt about each (member roles, ban state). The massbans row keeps the result; see massban.ts.

import { MAX_MASSBAN_USERS } from '../../../../shared/command-definitions.ts';
import { checkTarget, type GuildRole, highestRolePosition } from '../../../../shared/permissions.ts';
import { isSnowflake } from '../../../../shared/snowflakes.ts';
import { CommandError } from '../../../interactions/errors.ts';

/** One listed user left out of the massban, as stored in `massbans.skipped` and shown in the preview. */
export interface Skip {
  /** The user id, or for an entry that is not an id, the entry as typed (shortened). */
  userId: string;
  why: SkipReason;
}

export type SkipReason = 'invalid' | 'self' | 'bot' | 'owner' | 'rank_moderator' | 'rank_bot' | 'banned';

export const skipLabels: Record<SkipReason, string> = {
  invalid: 'not a valid user ID',
  self: 'you',
  bot: 'me',
  owner: 'the server owner',
  rank_moderator: 'highest role not below yours',
  rank_bot: 'highest role not below mine',
  banned: 'already banned',
};

/** The longest invalid entry kept as typed; longer ones are shortened (they are shown back). */
const MAX_INVALID_ENTRY = 40;

export interface ParsedList {
  /** Valid user ids, first occurrence order, without repeats. */
  ids: string[];
  /** Entries that are neither an id nor a user mention. */
  invalid: string[];
}

/**
 * Splits text into entries (spaces, commas, semicolons, new lines) and reads each as an id or a
 * mention (`<@id>`, `<@!id>`). Repeats are dropped; so are repeated invalid entries.
 */
export function parseUserList(...texts: string[]): ParsedList {
  const ids = new Set<string>();
  const invalid = new Set<string>();
  for (const text of texts) {
    for (const entry of text.split(/[\s,;]+/)) {
      if (!entry) continue;
      const id = /^<@!?(\d+)>$/.exec(entry)?.[1] ?? entry;
      if (isSnowflake(id)) ids.add(id);
      else
        invalid.add(entry.length > MAX_INVALID_ENTRY ? `${entry.slice(0, MAX_INVALID_ENTRY - 1)}…` : entry);
    }
  }
  if (ids.size > MAX_MASSBAN_USERS) {
    throw new CommandError(
      'invalid_option',
      `That is ${ids.size.toLocaleString('en-US')} users; one /massban bans at most ${MAX_MASSBAN_USERS.toLocaleString('en-US')}. Split the list.`,
    );
  }
  return { ids: [...ids], invalid: [...invalid] };
}

export interface GuildView {
  moderatorId: string;
  moderatorRoleIds: readonly string[];
  botId: string;
  ownerId: string;
  roles: readonly GuildRole[];
  botRoleIds: readonly string[];
  /** Role ids of the listed users who are members; absent means not in the server. */
  memberRoles: ReadonlyMap<string, readonly string[]>;
  /** Listed users known to be banned already. */
  banned: ReadonlySet<string>;
}

/** Who of `ids` will be banned, and who is left out and why (in list order). */
export function classifyTargets(list: ParsedList, view: GuildView): { userIds: string[]; skipped: Skip[] } {
  const userIds: string[] = [];
  const skipped: Skip[] = list.invalid.map((entry) => ({ userId: entry, why: 'invalid' as const }));
  const botRank = highestRolePosition(view.botRoleIds, view.roles);
  for (const id of list.ids) {
    const roles = view.memberRoles.get(id) ?? null;
    const refusal = checkTarget({
      moderatorId: view.moderatorId,
      moderatorRoleIds: view.moderatorRoleIds,
      targetId: id,
      targetRoleIds: roles,
      botId: view.botId,
      ownerId: view.ownerId,
      roles: view.roles,
    });
    let why: SkipReason | null = null;
    if (refusal === 'self' || refusal === 'bot' || refusal === 'owner') why = refusal;
    else if (refusal === 'hierarchy') why = 'rank_moderator';
    else if (roles && highestRolePosition(roles, view.roles) >= botRank) why = 'rank_bot';
    else if (!roles && view.banned.has(id)) why = 'banned';
    if (why) skipped.push({ userId: id, why });
    else userIds.push(id);
  }
  return { userIds, skipped };
}
