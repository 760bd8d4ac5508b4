// The lockdowns and channel_locks tables: planning a lockdown, claiming its next batch, recording
// each channel's outcome, and finishing a lock or an unlock with its event in the same transaction.
// Only the holder of a lockdown's claim (`work_claimed_until`) changes its channel rows; a command
// that changes its course (an /unlock while it is still locking) only moves `state`, and the holder
// sees that at its next batch.
import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../db/edge.ts';
import { channelLocks, lockdowns } from '../../db/schema.ts';
import type { LockdownEvent, LockdownEventData } from '../../shared/events.ts';
import { bumpEventSequenceIf, queueEventIfChanged, sequenced } from '../events/outbox.ts';
import type { OverwriteBits } from './overwrites.ts';

export type LockdownRow = typeof lockdowns.$inferSelect;
export type ChannelLockRow = typeof channelLocks.$inferSelect;

/** How long a claim on a lockdown's work holds before a tick may take it over. */
export const LOCKDOWN_CLAIM_MS = 60_000;

export interface PlannedChannel {
  channelId: string;
  /** @everyone's overwrite before the lock; null when the channel had none. */
  previous: OverwriteBits | null;
}

export interface LockdownPlan {
  id: string;
  guildId: string;
  scope: LockdownRow['scope'];
  moderatorId: string;
  reason: string | null;
  notice: string | null;
  expiresAt: Date | null;
  replyToken: string | null;
  now: Date;
  channels: PlannedChannel[];
}

/**
 * Writes the lockdown, claimed by the caller, and its channels. A channel another lockdown holds is
 * left out (the unique index on active channel locks decides, so two racing lockdowns never hold
 * one channel); returns the channels planned. A lockdown left with none is removed again.
 */
export async function planLockdown(db: EdgeDatabase, plan: LockdownPlan): Promise<string[]> {
  const rows = plan.channels.map((c) => ({
    id: crypto.randomUUID(),
    lockdownId: plan.id,
    guildId: plan.guildId,
    channelId: c.channelId,
    hadOverwrite: c.previous !== null,
    previousAllow: (c.previous?.allow ?? 0n).toString(),
    previousDeny: (c.previous?.deny ?? 0n).toString(),
  }));
  const insertLockdown = db.insert(lockdowns).values({
    id: plan.id,
    guildId: plan.guildId,
    scope: plan.scope,
    moderatorId: plan.moderatorId,
    reason: plan.reason,
    notice: plan.notice,
    expiresAt: plan.expiresAt,
    replyToken: plan.replyToken,
    replyTokenExpiresAt: plan.replyToken ? new Date(plan.now.getTime() + 14 * 60_000) : null,
    workClaimedUntil: new Date(plan.now.getTime() + LOCKDOWN_CLAIM_MS),
    createdAt: plan.now,
    updatedAt: plan.now,
  });
  if (rows.length === 0) return [];
  const insertLocks = db
    .insert(channelLocks)
    .values(rows)
    .onConflictDoNothing()
    .returning({ channelId: channelLocks.channelId });
  const [, planned] = await db.batch([insertLockdown, insertLocks]);
  if (planned.length === 0) await db.delete(lockdowns).where(eq(lockdowns.id, plan.id));
  return planned.map((p) => p.channelId);
}

/** The active lock (pending or locked) on a channel of this guild, with its lockdown. */
export async function activeLockOf(db: EdgeDatabase, guildId: string, channelId: string) {
  const [found] = await db
    .select({ lock: channelLocks, lockdown: lockdowns })
    .from(channelLocks)
    .innerJoin(lockdowns, eq(lockdowns.id, channelLocks.lockdownId))
    .where(
      and(
        eq(channelLocks.guildId, guildId),
        eq(channelLocks.channelId, channelId),
        inArray(channelLocks.state, ['pending', 'locked']),
      ),
    )
    .limit(1);
  return found ?? null;
}

/** Channels of the guild some lockdown holds now. */
export async function heldChannelIds(db: EdgeDatabase, guildId: string): Promise<Set<string>> {
  const rows = await db
    .select({ channelId: channelLocks.channelId })
    .from(channelLocks)
    .where(and(eq(channelLocks.guildId, guildId), inArray(channelLocks.state, ['pending', 'locked'])));
  return new Set(rows.map((r) => r.channelId));
}

/** The guild's lockdowns not yet unlocked. */
export function openLockdowns(db: EdgeDatabase, guildId: string) {
  return db
    .select()
    .from(lockdowns)
    .where(and(eq(lockdowns.guildId, guildId), inArray(lockdowns.state, ['locking', 'locked'])))
    .orderBy(asc(lockdowns.createdAt));
}

/** Takes the lockdown's work if nobody holds it; the row as claimed, or null. */
export async function claimLockdown(db: EdgeDatabase, id: string, now: Date): Promise<LockdownRow | null> {
  const [row] = await db
    .update(lockdowns)
    .set({ workClaimedUntil: new Date(now.getTime() + LOCKDOWN_CLAIM_MS) })
    .where(
      and(
        eq(lockdowns.id, id),
        inArray(lockdowns.state, ['locking', 'unlocking']),
        or(isNull(lockdowns.workClaimedUntil), lte(lockdowns.workClaimedUntil, now)),
      ),
    )
    .returning();
  return row ?? null;
}

export async function readLockdown(db: EdgeDatabase, id: string): Promise<LockdownRow | null> {
  const [row] = await db.select().from(lockdowns).where(eq(lockdowns.id, id));
  return row ?? null;
}

/** Asks for the lockdown to be undone: its holder (or the next tick) restores what it locked. */
export async function requestUnlock(
  db: EdgeDatabase,
  id: string,
  by: {
    moderatorId: string;
    reason: string | null;
    endState: 'lifted' | 'expired';
    now: Date;
    /** The unlocking moderator's interaction token, for progress edits (null: keep none). */
    replyToken?: string | null;
  },
): Promise<boolean> {
  const changed = await db
    .update(lockdowns)
    .set({
      state: 'unlocking',
      endState: by.endState,
      unlockedBy: by.moderatorId,
      unlockReason: by.reason,
      updatedAt: by.now,
      replyToken: by.replyToken ?? null,
      replyTokenExpiresAt: by.replyToken ? new Date(by.now.getTime() + 14 * 60_000) : null,
    })
    .where(and(eq(lockdowns.id, id), inArray(lockdowns.state, ['locking', 'locked'])))
    .returning({ id: lockdowns.id });
  return changed.length > 0;
}

/** How many channels of the lockdown are in `states`. */
export async function countInState(db: EdgeDatabase, lockdownId: string, states: ChannelLockRow['state'][]) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(channelLocks)
    .where(and(eq(channelLocks.lockdownId, lockdownId), inArray(channelLocks.state, states)));
  return Number(row?.n ?? 0);
}

export function channelsInState(
  db: EdgeDatabase,
  lockdownId: string,
  states: ChannelLockRow['state'][],
  limit?: number,
) {
  const query = db
    .select()
    .from(channelLocks)
    .where(and(eq(channelLocks.lockdownId, lockdownId), inArray(channelLocks.state, states)))
    .orderBy(asc(channelLocks.channelId));
  return limit === undefined ? query : query.limit(limit);
}

export interface ChannelOutcome {
  id: string;
  state: ChannelLockRow['state'];
  error: string | null;
  at: Date;
}

/** Records a batch's outcomes in one round trip, and renews the claim. */
export async function recordOutcomes(
  db: EdgeDatabase,
  lockdownId: string,
  outcomes: readonly ChannelOutcome[],
  now: Date,
): Promise<void> {
  const renew = db
    .update(lockdowns)
    .set({ workClaimedUntil: new Date(now.getTime() + LOCKDOWN_CLAIM_MS), updatedAt: now })
    .where(eq(lockdowns.id, lockdownId));
  const updates = outcomes.map((o) =>
    db
      .update(channelLocks)
      .set({
        state: o.state,
        error: o.error,
        ...(o.state === 'locked' ? { lockedAt: o.at } : {}),
        ...(o.state === 'restored' || o.state === 'restore_failed' ? { restoredAt: o.at } : {}),
      })
      .where(eq(channelLocks.id, o.id)),
  );
  await db.batch([renew, ...updates]);
}

/** Pending channels of a lockdown being undone were never locked: nothing to restore. */
export async function skipPending(db: EdgeDatabase, lockdownId: string): Promise<void> {
  await db
    .update(channelLocks)
    .set({ state: 'skipped' })
    .where(and(eq(channelLocks.lockdownId, lockdownId), eq(channelLocks.state, 'pending')));
}

/**
 * Marks one locked channel restored and queues its `lockdown:lifted` event, in one transaction and
 * only if the channel was still locked (two unlocks of one channel announce it once). Returns the
 * event as queued, or null.
 */
export async function recordChannelRestored(
  db: EdgeDatabase,
  lock: ChannelLockRow,
  event: LockdownEvent,
  now: Date,
): Promise<LockdownEvent | null> {
  const still = sql`select 1 from ${channelLocks}
    where ${channelLocks.id} = ${lock.id} and ${channelLocks.state} = 'locked' for update`;
  const queue = queueEventIfChanged(
    db,
    bumpEventSequenceIf(lock.guildId, sql`exists (${still})`),
    event,
    now,
  );
  const mark = db
    .update(channelLocks)
    .set({ state: 'restored', restoredAt: now })
    .where(and(eq(channelLocks.id, lock.id), eq(channelLocks.state, 'locked')));
  const [queued] = await db.batch([queue, mark]);
  return queued.rows.length > 0 ? sequenced(event, queued) : null;
}

/** Whether any channel of the lockdown is still held (pending or locked). */
export async function stillHolds(db: EdgeDatabase, lockdownId: string): Promise<boolean> {
  const rows = await channelsInState(db, lockdownId, ['pending', 'locked'], 1);
  return rows.length > 0;
}

/**
 * Moves the lockdown from `from` to `to` and queues its event, in one transaction: the guild's
 * sequence is bumped only if the lockdown is still in `from` (locked for the transaction), so a
 * lockdown is announced once however many workers reach its end. Says whether this call moved it,
 * and the event as queued (null when another worker finished it first, or for a lock that locked
 * nothing).
 */
export async function finishStep(
  db: EdgeDatabase,
  row: LockdownRow,
  transition: { from: LockdownRow['state']; to: LockdownRow['state'] },
  event: { eventType: 'lockdown:applied' | 'lockdown:lifted'; data: LockdownEventData } | null,
  now: Date,
): Promise<{ moved: boolean; event: LockdownEvent | null }> {
  const move = db
    .update(lockdowns)
    .set({
      state: transition.to,
      workClaimedUntil: null,
      updatedAt: now,
      ...(transition.to === 'unlocked' ? { replyToken: null, replyTokenExpiresAt: null } : {}),
    })
    .where(and(eq(lockdowns.id, row.id), eq(lockdowns.state, transition.from)))
    .returning({ id: lockdowns.id });
  if (!event) return { moved: (await move).length > 0, event: null };
  const envelope = {
    eventId: crypto.randomUUID(),
    eventType: event.eventType,
    timestamp: now.toISOString(),
    data: event.data,
  } as LockdownEvent;
  const still = sql`select 1 from ${lockdowns}
    where ${lockdowns.id} = ${row.id} and ${lockdowns.state} = ${transition.from} for update`;
  const queue = queueEventIfChanged(
    db,
    bumpEventSequenceIf(row.guildId, sql`exists (${still})`),
    envelope,
    now,
  );
  const [queued, moved] = await db.batch([queue, move]);
  return { moved: moved.length > 0, event: queued.rows.length > 0 ? sequenced(envelope, queued) : null };
}

/** Lets go of the claim without finishing (out of budget or time): the next tick goes on. */
export async function releaseLockdown(db: EdgeDatabase, id: string): Promise<void> {
  await db.update(lockdowns).set({ workClaimedUntil: null }).where(eq(lockdowns.id, id));
}

/** Lockdowns a tick should work on: unfinished ones nobody holds, and timed ones whose end passed. */
export function lockdownsDue(db: EdgeDatabase, now: Date, limit: number, guildIds: readonly string[] | null) {
  return db
    .select()
    .from(lockdowns)
    .where(
      and(
        or(
          and(
            inArray(lockdowns.state, ['locking', 'unlocking']),
            or(isNull(lockdowns.workClaimedUntil), lte(lockdowns.workClaimedUntil, now)),
          ),
          and(eq(lockdowns.state, 'locked'), lte(lockdowns.expiresAt, now)),
        ),
        guildIds ? inArray(lockdowns.guildId, [...guildIds]) : undefined,
      ),
    )
    .orderBy(asc(lockdowns.createdAt))
    .limit(limit);
}
