// Raid tools' work: lockdowns and their channels, massbans.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.ts';

/**
 * What a command's work carried on in the background shares (a lockdown, a massban): the
 * moderator's interaction token, to edit their reply with progress — a secret for its 15 minutes,
 * never logged or put in events, cleared when the work is done — and the claim of whoever (the
 * command's invocation or a tick) carries the next batch.
 */
const backgroundWorkColumns = () => ({
  replyToken: text('reply_token'),
  replyTokenExpiresAt: timestamptz('reply_token_expires_at'),
  workClaimedUntil: timestamptz('work_claimed_until'),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

export const lockdownScopes = ['channel', 'server'] as const;
/**
 * - `locking`: channels are being locked (a server lockdown goes in paced batches, across ticks).
 * - `locked`: every channel planned was locked or reported as failed.
 * - `unlocking`: its channels are being restored (by /unlock or because `expires_at` passed).
 * - `unlocked`: done; `end_state` says why.
 */
export const lockdownStates = ['locking', 'locked', 'unlocking', 'unlocked'] as const;

/** A /lockdown: who, why, until when, and how far its (un)locking has got. Channels in channel_locks. */
export const lockdowns = pgTable(
  'lockdowns',
  {
    id: uuid('id').primaryKey(),
    guildId: text('guild_id').notNull(),
    scope: text('scope', { enum: lockdownScopes }).notNull(),
    moderatorId: text('moderator_id').notNull(),
    reason: text('reason'),
    /** Posted in each locked channel, mentions suppressed; null for none. */
    notice: text('notice'),
    expiresAt: timestamptz('expires_at'),
    state: text('state', { enum: lockdownStates }).notNull().default('locking'),
    /** Why it was unlocked: `lifted` by a moderator or `expired`. */
    endState: text('end_state', { enum: ['lifted', 'expired'] }),
    unlockedBy: text('unlocked_by'),
    unlockReason: text('unlock_reason'),
    ...backgroundWorkColumns(),
  },
  (t) => [
    index('lockdowns_guild_idx').on(t.guildId, t.createdAt),
    // The scheduler's look for work: unfinished lockdowns and timed ones to lift.
    index('lockdowns_work_idx').on(t.state, t.expiresAt).where(sql`${t.state} <> 'unlocked'`),
  ],
);

/**
 * - `pending`: planned, not yet locked. `locked`: @everyone's overwrite was changed.
 * - `failed`: Discord refused the lock (`error` says why). `skipped`: nothing to do after all.
 * - `restored`: the overwrite was put back. `restore_failed`: Discord refused the restore.
 */
export const channelLockStates = [
  'pending',
  'locked',
  'failed',
  'skipped',
  'restored',
  'restore_failed',
] as const;

/** One channel of a lockdown, with @everyone's overwrite as it was before the lock. */
export const channelLocks = pgTable(
  'channel_locks',
  {
    id: uuid('id').primaryKey(),
    lockdownId: uuid('lockdown_id').notNull(),
    guildId: text('guild_id').notNull(),
    channelId: text('channel_id').notNull(),
    /** Whether the channel had an @everyone overwrite; false means unlock deletes the one we made. */
    hadOverwrite: boolean('had_overwrite').notNull().default(false),
    /** @everyone's allow and deny bits before the lock (decimal strings, as Discord sends them). */
    previousAllow: text('previous_allow').notNull().default('0'),
    previousDeny: text('previous_deny').notNull().default('0'),
    state: text('state', { enum: channelLockStates }).notNull().default('pending'),
    error: text('error'),
    lockedAt: timestamptz('locked_at'),
    restoredAt: timestamptz('restored_at'),
  },
  (t) => [
    index('channel_locks_lockdown_idx').on(t.lockdownId, t.state),
    // A channel is held by at most one lockdown at a time.
    uniqueIndex('channel_locks_active_key').on(t.channelId).where(sql`${t.state} in ('pending', 'locked')`),
  ],
);

/**
 * - `previewed`: parsed and shown with Confirm/Cancel; `confirm_by` is its deadline.
 * - `banning`: confirmed; chunks of ≤200 are being banned (`next_index` into `user_ids`).
 * - `done`, `cancelled`, `expired` (not confirmed in time).
 */
export const massbanStates = ['previewed', 'banning', 'done', 'cancelled', 'expired'] as const;

/** A /massban from preview to its last chunk. */
export const massbans = pgTable(
  'massbans',
  {
    id: uuid('id').primaryKey(),
    guildId: text('guild_id').notNull(),
    moderatorId: text('moderator_id').notNull(),
    reason: text('reason').notNull(),
    /** Each ban's length when temporary; null for permanent bans. */
    banSeconds: integer('ban_seconds'),
    deleteMessageSeconds: integer('delete_message_seconds').notNull().default(0),
    /** Who will be banned, in the order given, after the preview's skips. */
    userIds: text('user_ids').array().notNull(),
    /** Who was left out, and why ({ userId, why }[]), as the preview showed. */
    skipped: jsonb('skipped').notNull(),
    state: text('state', { enum: massbanStates }).notNull().default('previewed'),
    confirmBy: timestamptz('confirm_by').notNull(),
    confirmedAt: timestamptz('confirmed_at'),
    /** How far the banning has got: `user_ids[0..next_index)` were sent to Discord and recorded. */
    nextIndex: integer('next_index').notNull().default(0),
    bannedCount: integer('banned_count').notNull().default(0),
    /** Users Discord's bulk-ban reported in `failed_users`. */
    failedUserIds: text('failed_user_ids').array().notNull().default(sql`'{}'::text[]`),
    ...backgroundWorkColumns(),
  },
  (t) => [
    index('massbans_guild_idx').on(t.guildId, t.createdAt),
    index('massbans_work_idx').on(t.state).where(sql`${t.state} = 'banning'`),
  ],
);
