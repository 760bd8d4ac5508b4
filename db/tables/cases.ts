// Cases and the intents they are written from (the moderation record), and their corrections.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { caseActions, caseSources, caseStates } from '../../shared/actions.ts';
import type { MessageEvidence } from '../../shared/evidence.ts';
import { timestamptz } from './columns.ts';

export type { CaseAction, CaseState } from '../../shared/actions.ts';

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
    // The dashboard's activity charts (per day and action, per moderator, over 30 days): an
    // index-only range of the guild's live cases in the window. cases_guild_created_idx serves the
    // range too, but fetches every case's heap page for action and moderator, and a server's cases
    // are spread over pages shared with every other server's.
    index('cases_guild_activity_idx')
      .on(t.guildId, t.createdAt, t.action, t.moderatorId)
      .where(sql`${t.deletedAt} is null`),
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
