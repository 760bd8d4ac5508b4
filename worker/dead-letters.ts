// The dead-letter store (table `dead_letters`): entries the relay could not deliver, kept until
// replayed or purged by hand. Used by the relay (park, replay on `/modlog set`) and by
// `npm run dlq` (list, replay, purge). `detail` never holds a webhook token.
import { and, asc, eq, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { NodeDatabase } from '../db/node.ts';
import { type DeadLetterReason, deadLetters } from '../db/schema.ts';
import { compareStreamIds } from './stream.ts';

export interface NewDeadLetter {
  eventId: string | null;
  guildId: string | null;
  streamEntryId: string;
  raw: string;
  reason: DeadLetterReason;
  detail: string | null;
}

export type DeadLetterRow = typeof deadLetters.$inferSelect;

/**
 * Stores a dead letter, unless the same event (or, for undecodable entries, the same entry) already
 * waits there unreplayed: a redelivered entry must not be counted twice. Returns whether it stored one.
 */
export async function addDeadLetter(db: NodeDatabase, letter: NewDeadLetter): Promise<boolean> {
  const same = letter.eventId
    ? sql`${deadLetters.eventId} = ${letter.eventId}`
    : sql`${deadLetters.streamEntryId} = ${letter.streamEntryId} and ${deadLetters.raw} = ${letter.raw}`;
  const result = await db.execute(sql`
    insert into ${deadLetters} (event_id, guild_id, stream_entry_id, raw, reason, detail)
    select ${letter.eventId}::uuid, ${letter.guildId}, ${letter.streamEntryId}, ${letter.raw}, ${letter.reason}, ${letter.detail}
    where not exists (select 1 from ${deadLetters} where ${same} and ${deadLetters.replayedAt} is null)`);
  return (result.rowCount ?? 0) > 0;
}

/** Sorts dead letters the way their events were published: stream entry id, then arrival. */
export function inStreamOrder<T extends { streamEntryId: string; createdAt: Date }>(rows: T[]): T[] {
  return [...rows].sort(
    (a, b) =>
      compareStreamIds(a.streamEntryId, b.streamEntryId) || a.createdAt.getTime() - b.createdAt.getTime(),
  );
}

/** A guild's events parked because its webhook was invalid, oldest first. */
export async function parkedEvents(db: NodeDatabase, guildId: string): Promise<DeadLetterRow[]> {
  const rows = await db
    .select()
    .from(deadLetters)
    .where(
      and(
        eq(deadLetters.guildId, guildId),
        eq(deadLetters.reason, 'webhook_invalid'),
        isNull(deadLetters.replayedAt),
      ),
    );
  return inStreamOrder(rows);
}

export async function markReplayed(db: NodeDatabase, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(deadLetters)
    .set({ replayedAt: sql`now()` })
    .where(and(inArray(deadLetters.id, ids), isNull(deadLetters.replayedAt)));
}

export interface DeadLetterFilter {
  guildId?: string;
  eventId?: string;
  reason?: DeadLetterReason;
  /** true: only replayed rows; false: only rows still waiting; undefined: both. */
  replayed?: boolean;
}

function where(filter: DeadLetterFilter): SQL | undefined {
  const parts: SQL[] = [];
  if (filter.guildId) parts.push(eq(deadLetters.guildId, filter.guildId));
  if (filter.eventId) parts.push(eq(deadLetters.eventId, filter.eventId));
  if (filter.reason) parts.push(eq(deadLetters.reason, filter.reason));
  if (filter.replayed === true) parts.push(isNotNull(deadLetters.replayedAt));
  if (filter.replayed === false) parts.push(isNull(deadLetters.replayedAt));
  return parts.length ? and(...parts) : undefined;
}

export async function listDeadLetters(
  db: NodeDatabase,
  filter: DeadLetterFilter = {},
  limit = 1000,
): Promise<DeadLetterRow[]> {
  const rows = await db
    .select()
    .from(deadLetters)
    .where(where(filter))
    .orderBy(asc(deadLetters.createdAt))
    .limit(limit);
  return inStreamOrder(rows);
}

export async function purgeDeadLetters(db: NodeDatabase, filter: DeadLetterFilter): Promise<number> {
  const rows = await db.delete(deadLetters).where(where(filter)).returning({ id: deadLetters.id });
  return rows.length;
}

/** Dead letters not replayed yet (what `/stats` and `/metrics` report). */
export async function countWaitingDeadLetters(db: NodeDatabase): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(deadLetters)
    .where(isNull(deadLetters.replayedAt));
  return row?.n ?? 0;
}
