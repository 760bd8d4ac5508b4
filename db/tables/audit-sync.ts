// Each guild's audit-log sync state.
import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.ts';

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
