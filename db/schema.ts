// The database schema, shared by the edge (Neon HTTP) and the relay (node-postgres).
// Case numbers are per guild and gap-free: `guilds.case_counter` is bumped in the same transaction
// that inserts the case, and UNIQUE(guild_id, case_number) makes a lost race an error, never a duplicate.
import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { caseActions, caseSources, caseStates } from '../shared/actions.ts';
import type { MessageEvidence } from '../shared/evidence.ts';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Per-guild settings: the case counter and the mod-log webhook the relay posts to. */
export const guilds = pgTable('guilds', {
  guildId: text('guild_id').primaryKey(),
  caseCounter: integer('case_counter').notNull().default(0),
  /**
   * The last event sequence given to this guild's events (outbox.sequence): bumped in the statement
   * that writes each outbox row, so a guild's events are numbered 1, 2, 3… in commit order, gap-free.
   */
  eventSequence: integer('event_sequence').notNull().default(0),
  modlogChannelId: text('modlog_channel_id'),
  modlogWebhookId: text('modlog_webhook_id'),
  /** A secret: never copied into events, logs or replies. */
  modlogWebhookToken: text('modlog_webhook_token'),
  /** True when the bot created the webhook (and so deletes it when replaced or turned off). */
  modlogWebhookOwned: boolean('modlog_webhook_owned').notNull().default(false),
  /** Set by the relay when Discord says the webhook is gone or invalid; cleared by `/modlog set`. */
  modlogBrokenAt: timestamptz('modlog_broken_at'),
  modlogBrokenReason: text('modlog_broken_reason'),
  /**
   * Bumped by every `/modlog set` and `/modlog off`: a change is saved only if the version is still
   * the one it read, so of two racing changes one wins and the other removes what it made.
   */
  modlogVersion: integer('modlog_version').notNull().default(0),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

export type { CaseAction, CaseState } from '../shared/actions.ts';

/** What a case and the intent it is written from share: who did what to whom, and why. */
const actionColumns = () => ({
  guildId: text('guild_id').notNull(),
  action: text('action', { enum: caseActions }).notNull(),
  userId: text('user_id').notNull(),
  moderatorId: text('moderator_id').notNull(),
  reason: text('reason'),
  /**
   * The message the action was taken for (a message context-menu command), as Discord showed it;
   * on the intent too, so a case the reconciler completes keeps it.
   */
  evidence: jsonb('evidence').$type<MessageEvidence>(),
});

/**
 * `state` (shared/actions.ts `caseStates`):
 * - `active`: still in force (a ban not lifted, a mute not ended) or, for one-off actions, simply recorded.
 * - `lifted`: ended by a moderator (unban/unmute) or by Discord state found later.
 * - `expired`: ended by the scheduler at `expires_at`.
 * - `superseded`: replaced by a newer action of the same kind (a re-ban, a new mute).
 */
export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey(),
    caseNumber: integer('case_number').notNull(),
    ...actionColumns(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    /** End of a temporary ban or of a mute; null for permanent or one-off actions. */
    expiresAt: timestamptz('expires_at'),
    state: text('state', { enum: caseStates }).notNull().default('active'),
    /** When and why the case stopped being in force. */
    endedAt: timestamptz('ended_at'),
    /** The case (unban, unmute, re-ban…) that ended this one. */
    endedByCaseId: uuid('ended_by_case_id'),
    /** Whether the member was told by DM before the action; null when no DM was attempted. */
    dmDelivered: boolean('dm_delivered'),
    /** Where the case came from (shared/actions.ts `caseSources`). */
    source: text('source', { enum: caseSources }).notNull().default('command'),
    /** The Discord audit-log entry it was recorded from: each entry becomes at most one case. */
    auditEntryId: text('audit_entry_id'),
    /** For AutoMod's cases: the rule that acted. */
    automodRule: text('automod_rule'),
    /** The /massban this case belongs to (massbans.id); its cases are numbered consecutively. */
    batchId: uuid('batch_id'),
    /** Who last changed the reason with `/reason`, and when (shown in `/case` and the mod-log line). */
    reasonEditedBy: text('reason_edited_by'),
    reasonEditedAt: timestamptz('reason_edited_at'),
    /**
     * `/case delete`: hidden from lists, history, counts and escalation, kept with who deleted it,
     * when and why (and in case_edits).
     */
    deletedAt: timestamptz('deleted_at'),
    deletedBy: text('deleted_by'),
    deleteReason: text('delete_reason'),
    /** The mod-log webhook message showing this case, so a reason edit can edit it in place. */
    modlogMessageId: text('modlog_message_id'),
    modlogWebhookId: text('modlog_webhook_id'),
    /** For mutes longer than Discord's 28-day cap: the end of the timeout currently set at Discord. */
    timeoutUntil: timestamptz('timeout_until'),
    /** Scheduler bookkeeping for expiry/renewal: failed attempts, next try, last error, whether reported. */
    scheduleAttempts: integer('schedule_attempts').notNull().default(0),
    scheduleNextAttemptAt: timestamptz('schedule_next_attempt_at'),
    scheduleLastError: text('schedule_last_error'),
    scheduleFailureReportedAt: timestamptz('schedule_failure_reported_at'),
    /** Claimed by a scheduler tick until this instant, so overlapping ticks never act twice. */
    scheduleClaimedUntil: timestamptz('schedule_claimed_until'),
  },
  (t) => [
    uniqueIndex('cases_guild_audit_entry_key')
      .on(t.guildId, t.auditEntryId)
      .where(sql`${t.auditEntryId} is not null`),
    uniqueIndex('cases_guild_case_number_key').on(t.guildId, t.caseNumber),
    index('cases_guild_user_created_idx').on(t.guildId, t.userId, t.createdAt),
    index('cases_due_idx').on(t.expiresAt).where(sql`${t.state} = 'active' and ${t.expiresAt} is not null`),
    // `/cases since:` pages by date: cases are dated when they happened (an audit-log import's
    // are backdated), so case numbers do not bound a time window.
    index('cases_guild_created_idx').on(t.guildId, t.createdAt, t.caseNumber),
    // `/cases` filters, newest first (keyset on case_number within the guild).
    index('cases_guild_moderator_idx').on(t.guildId, t.moderatorId, t.caseNumber),
    index('cases_guild_action_idx').on(t.guildId, t.action, t.caseNumber),
    index('cases_guild_source_idx').on(t.guildId, t.source, t.caseNumber),
    // The relay's look-up of the lines a newly posted case ended (an unban's ban), to edit them.
    index('cases_ended_by_idx').on(t.endedByCaseId).where(sql`${t.endedByCaseId} is not null`),
  ],
);

/**
 * An action about to be sent to Discord. Written before the Discord call and turned into a case
 * after it, in one transaction; a row still here after a crash is completed (or dropped) by the
 * scheduler's reconcile step, which asks Discord what actually happened.
 */
export const pendingActions = pgTable(
  'pending_actions',
  {
    id: uuid('id').primaryKey(),
    ...actionColumns(),
    expiresAt: timestamptz('expires_at'),
    /** Set once Discord accepted the action, if the database was reachable to hear it. */
    discordAcceptedAt: timestamptz('discord_accepted_at'),
    dmDelivered: boolean('dm_delivered'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    reconcileAttempts: integer('reconcile_attempts').notNull().default(0),
    /**
     * `action`: an action that becomes a case once Discord accepted it. `renewal`: only a claim on
     * the member while the scheduler renews a long mute's timeout (no case follows); the reconciler
     * deletes one left behind instead of deciding it.
     */
    purpose: text('purpose', { enum: ['action', 'renewal'] })
      .notNull()
      .default('action'),
  },
  (t) => [
    index('pending_actions_created_idx').on(t.createdAt),
    // The scheduler skips a member's due case while an action on that member is still in flight.
    index('pending_actions_guild_user_idx').on(t.guildId, t.userId),
  ],
);

/**
 * Interactions already accepted, so a signed request replayed within its five minutes is refused
 * (functions/interactions/seen.ts). A replay passes the timestamp check at most 10 minutes after the
 * original; rows are pruned after 15, by the insert that records the next interaction.
 */
export const seenInteractions = pgTable(
  'seen_interactions',
  {
    interactionId: text('interaction_id').primaryKey(),
    seenAt: timestamptz('seen_at').notNull().defaultNow(),
  },
  (t) => [index('seen_interactions_seen_idx').on(t.seenAt)],
);

/** Rows kept per event (the outbox, the relay's deliveries): keyed by the envelope's `eventId`. */
const eventColumns = () => ({
  eventId: uuid('event_id').primaryKey(),
  guildId: text('guild_id').notNull(),
});

/** The transactional outbox: every event is written here with its case, then published to Redis. */
export const outbox = pgTable(
  'outbox',
  {
    ...eventColumns(),
    eventType: text('event_type').notNull(),
    /** The full event envelope (see shared/events.ts). */
    payload: jsonb('payload').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    publishedAt: timestamptz('published_at'),
    publishAttempts: integer('publish_attempts').notNull().default(0),
    /**
     * The event's place among its guild's events (1, 2, 3…, no gaps), also in the envelope as
     * `sequence`. Null only for rows written before sequences existed. A consumer that sees N+1 of a
     * guild before N reads N here by (guild_id, sequence).
     */
    sequence: integer('sequence'),
  },
  (t) => [
    index('outbox_unpublished_idx').on(t.createdAt).where(sql`${t.publishedAt} is null`),
    index('outbox_guild_created_idx').on(t.guildId, t.createdAt),
    uniqueIndex('outbox_guild_sequence_key').on(t.guildId, t.sequence),
  ],
);

/** What the relay has posted: one row per event, which is how a redelivered entry is recognised. */
export const modlogDeliveries = pgTable(
  'modlog_deliveries',
  {
    ...eventColumns(),
    webhookId: text('webhook_id').notNull(),
    messageId: text('message_id'),
    deliveredAt: timestamptz('delivered_at').notNull().defaultNow(),
  },
  (t) => [index('modlog_deliveries_guild_delivered_idx').on(t.guildId, t.deliveredAt)],
);

export const deadLetterReasons = [
  'webhook_invalid',
  'bad_payload',
  'undecodable',
  'retries_exhausted',
] as const;
export type DeadLetterReason = (typeof deadLetterReasons)[number];

/** Events the relay could not deliver. Kept until replayed or purged by hand; never expire. */
export const deadLetters = pgTable(
  'dead_letters',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Null for stream entries that could not be decoded at all. */
    eventId: uuid('event_id'),
    guildId: text('guild_id'),
    streamEntryId: text('stream_entry_id').notNull(),
    /** The entry as read from the stream, so it can be replayed byte for byte. */
    raw: text('raw').notNull(),
    reason: text('reason', { enum: deadLetterReasons }).notNull(),
    detail: text('detail'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    replayedAt: timestamptz('replayed_at'),
  },
  (t) => [index('dead_letters_guild_idx').on(t.guildId, t.createdAt)],
);

/**
 * Each mod-log message the relay posted, as last sent. A message can carry up to 10 embeds (a
 * batch), so a case's reason edit re-sends the whole message with only that case's embed replaced.
 */
export const modlogMessages = pgTable(
  'modlog_messages',
  {
    messageId: text('message_id').primaryKey(),
    webhookId: text('webhook_id').notNull(),
    guildId: text('guild_id').notNull(),
    /** The embeds in message order (APIEmbed[]). */
    embeds: jsonb('embeds').notNull(),
    /** The case each embed shows (null for audit lines), aligned with `embeds`. */
    caseIds: jsonb('case_ids').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    editedAt: timestamptz('edited_at'),
  },
  (t) => [index('modlog_messages_guild_created_idx').on(t.guildId, t.createdAt)],
);

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

/**
 * Each guild's audit-log sync (functions/audit-sync/): how far it has read, when it is next due
 * (adaptive: often while the guild is active, rarely when quiet), and what it reported.
 */
export const auditSync = pgTable(
  'audit_sync',
  {
    guildId: text('guild_id').primaryKey(),
    /** The newest audit-log entry id read; null until the first sync sets it to "now". */
    cursor: text('cursor'),
    nextSyncAt: timestamptz('next_sync_at').notNull().defaultNow(),
    /** The current polling interval, grown while the guild is quiet, reset by activity. */
    intervalMs: integer('interval_ms').notNull().default(60_000),
    lastActivityAt: timestamptz('last_activity_at'),
    /** A sync holds the guild until then (queued or running). */
    claimedUntil: timestamptz('claimed_until'),
    /** Since when the bot lacks View Audit Log; reported once (`missing_reported_at`). */
    missingPermissionAt: timestamptz('missing_permission_at'),
    missingReportedAt: timestamptz('missing_reported_at'),
    /** Discord's own incident detections already alerted, so each is posted once. */
    raidAlertedAt: text('raid_alerted_at'),
    dmSpamAlertedAt: text('dm_spam_alerted_at'),
    lastError: text('last_error'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('audit_sync_due_idx').on(t.nextSyncAt)],
);

/**
 * A server's saved reasons (`/reasons`): every `reason` option suggests them, and a reason typed as
 * exactly a saved name (any case) is replaced by its text. `name_key` is the name lower-cased.
 */
export const savedReasons = pgTable(
  'saved_reasons',
  {
    guildId: text('guild_id').notNull(),
    nameKey: text('name_key').notNull(),
    /** As the moderator wrote it. */
    name: text('name').notNull(),
    text: text('text').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('saved_reasons_guild_name_key').on(t.guildId, t.nameKey)],
);

/**
 * What an interaction showed that the next one in the same flow needs and cannot carry itself: a
 * message context-menu command's message (signed by Discord when the menu was used), kept until the
 * moderator submits the modal it opened — a modal submit carries only its custom_id (≤100
 * characters) and fields. Only the moderator who opened it may use it, once, before `expires_at`.
 */
export const interactionDrafts = pgTable(
  'interaction_drafts',
  {
    id: uuid('id').primaryKey(),
    guildId: text('guild_id').notNull(),
    moderatorId: text('moderator_id').notNull(),
    /** What the draft is for (the context-menu command's name). */
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
  },
  (t) => [index('interaction_drafts_expires_idx').on(t.expiresAt)],
);

export const caseEditFields = ['reason', 'expires_at', 'deleted'] as const;

/**
 * Every correction of a case (`/reason`, `/duration`, `/case delete`, the mod-log's Edit reason):
 * the value before and after, who changed it, when and why. A case's row holds its current values;
 * this holds how it got there, so a correction never erases history.
 */
export const caseEdits = pgTable(
  'case_edits',
  {
    id: uuid('id').primaryKey(),
    guildId: text('guild_id').notNull(),
    caseId: uuid('case_id').notNull(),
    field: text('field', { enum: caseEditFields }).notNull(),
    /** As text: a reason, an ISO instant (null: none), `true`/`false` for deleted. */
    oldValue: text('old_value'),
    newValue: text('new_value'),
    editedBy: text('edited_by').notNull(),
    editedAt: timestamptz('edited_at').notNull().defaultNow(),
    /** Why, when the command asks (a deletion's, a duration change's). */
    note: text('note'),
  },
  (t) => [index('case_edits_case_idx').on(t.caseId, t.editedAt)],
);

export const escalationActionValues = ['mute', 'kick', 'ban'] as const;

/** A server's escalation policy (`/escalation add`): at `warnings` warnings within the window, act. */
export const escalationPolicies = pgTable(
  'escalation_policies',
  {
    id: uuid('id').primaryKey(),
    guildId: text('guild_id').notNull(),
    /** Shown and removed by this number (1, 2, 3… per guild, not reused). */
    policyNumber: integer('policy_number').notNull(),
    warnings: integer('warnings').notNull(),
    withinSeconds: integer('within_seconds').notNull(),
    action: text('action', { enum: escalationActionValues }).notNull(),
    /** The mute's or temporary ban's length; null for a kick or a permanent ban. */
    durationSeconds: integer('duration_seconds'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('escalation_policies_guild_number_key').on(t.guildId, t.policyNumber),
    index('escalation_policies_guild_idx').on(t.guildId),
  ],
);

export const escalationStates = ['pending', 'done', 'refused', 'failed'] as const;

/**
 * Each time a warning brought a member to a policy's threshold: at most one per (policy, warning),
 * whatever races, and what came of it — the case it made, or why it was refused (reported once).
 */
export const escalations = pgTable(
  'escalations',
  {
    id: uuid('id').primaryKey(),
    guildId: text('guild_id').notNull(),
    policyId: uuid('policy_id').notNull(),
    userId: text('user_id').notNull(),
    /** The warning that reached the threshold. */
    triggerCaseId: uuid('trigger_case_id').notNull(),
    state: text('state', { enum: escalationStates }).notNull().default('pending'),
    resultCaseId: uuid('result_case_id'),
    detail: text('detail'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('escalations_policy_trigger_key').on(t.policyId, t.triggerCaseId),
    index('escalations_pending_idx').on(t.createdAt).where(sql`${t.state} = 'pending'`),
  ],
);
