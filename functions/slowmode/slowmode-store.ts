// The slowmodes table: a /slowmode's timer written in the same transaction as its `audit:logged`
// event, and the scheduler's side — finding timers that ran out, claiming one, recording its end
// with its event (once, however many ticks reach it), or a failed attempt with its backoff.
import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { EdgeDatabase } from '../../db/edge.ts';
import { slowmodes } from '../../db/schema.ts';
import type { LockdownEvent } from '../../shared/events.ts';
import { bumpEventSequenceIf, queueEvent, queueEventIfChanged, sequenced } from '../events/outbox.ts';
import { publishEvents } from '../events/publish.ts';
import { errorForLog } from '../log.ts';
import { NOT_LOGGED } from '../moderation/audit.ts';
import type { Services } from '../services.ts';
import type { TimerChange } from './slowmode-plan.ts';

export type SlowmodeRow = typeof slowmodes.$inferSelect;

/**
 * How long a tick's claim on a timer holds: longer than a tick runs (as due-cases.ts CLAIM_TTL_MS),
 * so it lapses only when its tick died, and the next tick takes the timer over.
 */
export const SLOWMODE_CLAIM_MS = 5 * 60_000;

const isActive = eq(slowmodes.state, 'active');

/** The channel's running timer, if any. */
export async function activeSlowmodeOf(
  db: EdgeDatabase,
  guildId: string,
  channelId: string,
): Promise<SlowmodeRow | null> {
  const [row] = await db
    .select()
    .from(slowmodes)
    .where(and(eq(slowmodes.guildId, guildId), eq(slowmodes.channelId, channelId), isActive));
  return row ?? null;
}

export interface TimerContext {
  guildId: string;
  channelId: string;
  /** The interval the command set (or kept). */
  seconds: number;
  /** The channel's interval before the command. */
  before: number;
  moderatorId: string;
  reason: string | null;
  now: Date;
}

/**
 * The write of a command's timer change, for its batch with the event; null when there is none.
 * A start is one upsert on the one-active-timer-per-channel index, so two racing commands leave one
 * timer. A replacement keeps the interval from before the first timer while the channel still has
 * what that timer set (the rule of slowmode-plan.ts `timerChange`, again here for that race).
 */
export function timerStatement(db: EdgeDatabase, change: TimerChange, c: TimerContext) {
  if (change.kind === 'none') return null;
  if (change.kind === 'end') {
    return db
      .update(slowmodes)
      .set({
        state: 'ended',
        endReason: change.why,
        endedBy: c.moderatorId,
        endedAt: c.now,
        updatedAt: c.now,
        scheduleClaimedUntil: null,
      })
      .where(and(eq(slowmodes.guildId, c.guildId), eq(slowmodes.channelId, c.channelId), isActive));
  }
  return db
    .insert(slowmodes)
    .values({
      id: crypto.randomUUID(),
      guildId: c.guildId,
      channelId: c.channelId,
      previousSeconds: change.previousSeconds,
      seconds: c.seconds,
      expiresAt: change.expiresAt,
      moderatorId: c.moderatorId,
      reason: c.reason,
      createdAt: c.now,
      updatedAt: c.now,
    })
    .onConflictDoUpdate({
      target: slowmodes.channelId,
      targetWhere: sql`${slowmodes.state} = 'active'`,
      set: {
        previousSeconds: sql`case when ${slowmodes.seconds} = ${c.before}
          then ${slowmodes.previousSeconds} else excluded.previous_seconds end`,
        seconds: c.seconds,
        expiresAt: change.expiresAt,
        moderatorId: c.moderatorId,
        reason: c.reason,
        updatedAt: c.now,
        scheduleAttempts: 0,
        scheduleNextAttemptAt: null,
        scheduleLastError: null,
        scheduleFailureReportedAt: null,
      },
    });
}

/**
 * Logs a change Discord has already made, with its timer, in one transaction (as audit.ts
 * `logChangeMade`, which it extends by the timer's write): if the database fails, the change stands
 * and the caller gets NOT_LOGGED to append — and the timer is not running either.
 */
export async function logSlowmodeChange(
  services: Services,
  timer: BatchItem<'pg'> | null,
  event: LockdownEvent,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<string | null> {
  const { db } = services;
  try {
    const queue = queueEvent(db, event, services.now());
    const [queued] = timer ? await db.batch([queue, timer]) : [await queue];
    waitUntil(publishEvents(services, [sequenced(event, queued)]));
    return null;
  } catch (error) {
    console.error(`${event.data.guildId}: a slowmode was changed but not logged: ${errorForLog(error)}`);
    return NOT_LOGGED;
  }
}

const unclaimed = (now: Date) =>
  and(
    or(isNull(slowmodes.scheduleClaimedUntil), lte(slowmodes.scheduleClaimedUntil, now)),
    or(isNull(slowmodes.scheduleNextAttemptAt), lte(slowmodes.scheduleNextAttemptAt, now)),
  );

/**
 * Claims up to `limit` timers that ran out, nobody holds and are not backing off, the oldest end
 * first: one UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED), so two ticks running at once
 * never get the same timer (as due-cases.ts claims cases). One round trip.
 */
export async function claimDueSlowmodes(
  db: EdgeDatabase,
  now: Date,
  limit: number,
  guildIds: readonly string[] | null,
): Promise<SlowmodeRow[]> {
  if (limit <= 0) return [];
  const due = db
    .select({ id: slowmodes.id })
    .from(slowmodes)
    .where(
      and(
        isActive,
        lte(slowmodes.expiresAt, now),
        unclaimed(now),
        guildIds ? inArray(slowmodes.guildId, [...guildIds]) : undefined,
      ),
    )
    .orderBy(asc(slowmodes.expiresAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  return db
    .update(slowmodes)
    .set({ scheduleClaimedUntil: new Date(now.getTime() + SLOWMODE_CLAIM_MS) })
    .where(inArray(slowmodes.id, due))
    .returning();
}

/** Hands claimed timers back untouched (a 429, or no budget left): the next tick takes them. */
export async function releaseSlowmodes(db: EdgeDatabase, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(slowmodes)
    .set({ scheduleClaimedUntil: null })
    .where(inArray(slowmodes.id, [...ids]));
}

/**
 * Ends the timer as `expired` and queues its event, in one transaction and only while the timer is
 * still active (locked for the transaction), so an end is announced once. The event as queued, or
 * null when something else ended the timer first.
 */
export async function finishSlowmode(
  db: EdgeDatabase,
  row: SlowmodeRow,
  outcome: { outcome: NonNullable<SlowmodeRow['outcome']>; foundSeconds: number | null },
  event: LockdownEvent,
  now: Date,
): Promise<LockdownEvent | null> {
  const still = sql`select 1 from ${slowmodes}
    where ${slowmodes.id} = ${row.id} and ${slowmodes.state} = 'active' for update`;
  const queue = queueEventIfChanged(db, bumpEventSequenceIf(row.guildId, sql`exists (${still})`), event, now);
  const end = db
    .update(slowmodes)
    .set({
      state: 'ended',
      endReason: 'expired',
      outcome: outcome.outcome,
      foundSeconds: outcome.foundSeconds,
      endedAt: now,
      updatedAt: now,
      scheduleClaimedUntil: null,
    })
    .where(and(eq(slowmodes.id, row.id), isActive));
  const [queued] = await db.batch([queue, end]);
  return queued.rows.length > 0 ? sequenced(event, queued) : null;
}

export interface SlowmodeFailure {
  attempts: number;
  nextAttemptAt: Date;
  lastError: string;
  /** Set when this failure is the one reported. */
  reportedAt: Date | null;
}

/** Writes a failed attempt back (claim released), with its report event when one is due. */
export async function recordSlowmodeFailure(
  db: EdgeDatabase,
  row: SlowmodeRow,
  failure: SlowmodeFailure,
  report: LockdownEvent | null,
  now: Date,
): Promise<LockdownEvent | null> {
  const update = db
    .update(slowmodes)
    .set({
      scheduleAttempts: failure.attempts,
      scheduleNextAttemptAt: failure.nextAttemptAt,
      scheduleLastError: failure.lastError,
      scheduleClaimedUntil: null,
      updatedAt: now,
      ...(failure.reportedAt ? { scheduleFailureReportedAt: failure.reportedAt } : {}),
    })
    .where(and(eq(slowmodes.id, row.id), isActive));
  if (!report) {
    await update;
    return null;
  }
  const [, queued] = await db.batch([update, queueEvent(db, report, now)]);
  return sequenced(report, queued);
}
