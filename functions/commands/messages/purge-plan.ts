// What /purge deletes, as pure logic: from the channel's newest messages (as Get Channel Messages
// returned them), the optional author and the time now → the ids for one bulk delete (2–100), or the
// one id for a plain DELETE, and how many matching messages were left and why.
import { type APIMessage, MessageType } from 'discord-api-types/v10';
import { BULK_DELETE_MAX_AGE_MS, MAX_PURGE_COUNT } from '../../../shared/command-definitions.ts';
import { snowflakeTime } from '../../../shared/snowflakes.ts';

/**
 * How far inside Discord's 14 days a message must be for us to send it. Discord checks each id's
 * age (its snowflake time) on its own clock when the bulk delete arrives, which is after we planned
 * (one more round trip, perhaps a rate-limit wait) and on a clock that may differ from ours; one id
 * past the line makes Discord refuse the whole call (50034). A minute covers both; a message in
 * that last minute is counted with the older ones.
 */
export const BULK_DELETE_SAFETY_MARGIN_MS = 60_000;

/** Discord's message types that can never be deleted (its message-types table, "deletable" false). */
const UNDELETABLE_TYPES: ReadonlySet<MessageType> = new Set([
  MessageType.RecipientAdd,
  MessageType.RecipientRemove,
  MessageType.Call,
  MessageType.ChannelNameChange,
  MessageType.ChannelIconChange,
  MessageType.ThreadStarterMessage,
]);

/** What the plan reads of a message. */
export type PurgeCandidate = Pick<APIMessage, 'id' | 'type' | 'pinned'> & { author: { id: string } };

export interface PurgePlan {
  /** How many messages were looked through. */
  scanned: number;
  /** Of those, how many are by the chosen member (every deletable one without a member). */
  matched: number;
  /** 2–100 ids for one bulk delete; empty when fewer than two can go. */
  bulk: string[];
  /** The id for a plain DELETE when exactly one message can go. */
  single: string | null;
  /** Matching messages too old for bulk delete: skipped (Discord refuses them). */
  tooOld: number;
  /** Matching pinned messages: kept on purpose (see `planPurge`). */
  pinned: number;
}

/** How many messages the plan deletes. */
export const deletableCount = (plan: PurgePlan): number => plan.bulk.length + (plan.single === null ? 0 : 1);

/**
 * Plans a purge. Pinned messages are kept: Discord would delete them too, but a pin is a moderator's
 * choice to keep a message (rules, announcements), and a sweep of recent chatter should not undo it —
 * Dyno and Carl-bot skip pinned messages by default as well. Unpin first to purge one. Messages older
 * than 14 days are skipped, not deleted one by one: at five deletes a second per channel, a hundred
 * would keep the moderator waiting, and Discord's own limit is the honest answer to give.
 */
export function planPurge(
  messages: readonly PurgeCandidate[],
  authorId: string | null,
  nowMs: number,
): PurgePlan {
  const oldest = nowMs - BULK_DELETE_MAX_AGE_MS + BULK_DELETE_SAFETY_MARGIN_MS;
  const young: string[] = [];
  let matched = 0;
  let tooOld = 0;
  let pinned = 0;
  const seen = new Set<string>();
  // One page of Get Channel Messages, newest first; a bulk delete takes no more than one page's ids.
  for (const message of messages.slice(0, MAX_PURGE_COUNT)) {
    if (seen.has(message.id)) continue;
    seen.add(message.id);
    if (UNDELETABLE_TYPES.has(message.type)) continue;
    if (authorId !== null && message.author.id !== authorId) continue;
    matched += 1;
    if (message.pinned) pinned += 1;
    else if (snowflakeTime(message.id) <= oldest) tooOld += 1;
    else young.push(message.id);
  }
  return {
    scanned: seen.size,
    matched,
    bulk: young.length >= 2 ? young : [],
    single: young.length === 1 ? (young[0] ?? null) : null,
    tooOld,
    pinned,
  };
}
