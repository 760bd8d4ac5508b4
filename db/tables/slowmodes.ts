// Timed slowmodes: a /slowmode with a `duration`, the interval it replaced, and how it ended. The
// scheduler (functions/scheduled/expire-slowmodes.ts) puts the previous interval back at the end.
import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.ts';

/** `active`: the timer runs. `ended`: `end_reason` says why, `outcome` what the end did. */
export const slowmodeStates = ['active', 'ended'] as const;
/** `expired` (its time ran out), `lifted` (/slowmode off), `replaced` (a /slowmode with no timer). */
export const slowmodeEndReasons = ['expired', 'lifted', 'replaced'] as const;
/**
 * What the scheduler did at the end: `restored` the previous interval, `left_alone` a channel whose
 * interval someone changed since (never overwritten), or found the channel `gone`.
 */
export const slowmodeOutcomes = ['restored', 'left_alone', 'gone'] as const;

export const slowmodes = pgTable(
  'slowmodes',
  {
    id: uuid('id').primaryKey(),
    guildId: text('guild_id').notNull(),
    channelId: text('channel_id').notNull(),
    /** The channel's `rate_limit_per_user` before the first timed /slowmode; a replacement keeps it. */
    previousSeconds: integer('previous_seconds').notNull(),
    /** The interval we set: the end restores only while the channel still has it. */
    seconds: integer('seconds').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    moderatorId: text('moderator_id').notNull(),
    reason: text('reason'),
    state: text('state', { enum: slowmodeStates }).notNull().default('active'),
    endReason: text('end_reason', { enum: slowmodeEndReasons }),
    outcome: text('outcome', { enum: slowmodeOutcomes }),
    /** The channel's interval when the end found it changed by hand (`left_alone`). */
    foundSeconds: integer('found_seconds'),
    endedBy: text('ended_by'),
    endedAt: timestamptz('ended_at'),
    /** The scheduler's claim, and its backoff after failures (functions/scheduled/backoff.ts). */
    scheduleClaimedUntil: timestamptz('schedule_claimed_until'),
    scheduleAttempts: integer('schedule_attempts').notNull().default(0),
    scheduleNextAttemptAt: timestamptz('schedule_next_attempt_at'),
    scheduleLastError: text('schedule_last_error'),
    scheduleFailureReportedAt: timestamptz('schedule_failure_reported_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // One timer per channel: a new /slowmode replaces it (an upsert on this index).
    uniqueIndex('slowmodes_active_channel_key').on(t.channelId).where(sql`${t.state} = 'active'`),
    // The scheduler's look for work.
    index('slowmodes_due_idx').on(t.expiresAt).where(sql`${t.state} = 'active'`),
    index('slowmodes_guild_idx').on(t.guildId, t.createdAt),
  ],
);
