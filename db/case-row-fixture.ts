// A `cases` row with every column, for unit tests on either side (the edge's list renderers, the
// relay's mod-log lines); overridable column by column. Test-only. Here beside the schema because the
// row is the table's: functions/ and worker/ both read it, and neither imports the other.
import type { cases } from './schema.ts';

type CaseRow = typeof cases.$inferSelect;

export const caseRow = (overrides: Partial<CaseRow> = {}): CaseRow => ({
  id: '00000000-0000-4000-8000-000000000001',
  guildId: 'g',
  caseNumber: 1,
  action: 'warn',
  userId: '100000000000000001',
  moderatorId: '200000000000000001',
  reason: 'spam',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  expiresAt: null,
  state: 'active',
  endedAt: null,
  endedByCaseId: null,
  dmDelivered: true,
  batchId: null,
  evidence: null,
  deletedAt: null,
  deletedBy: null,
  deleteReason: null,
  source: 'command',
  auditEntryId: null,
  automodRule: null,
  reasonEditedBy: null,
  reasonEditedAt: null,
  modlogMessageId: null,
  modlogWebhookId: null,
  timeoutUntil: null,
  scheduleAttempts: 0,
  scheduleNextAttemptAt: null,
  scheduleLastError: null,
  scheduleFailureReportedAt: null,
  scheduleClaimedUntil: null,
  ...overrides,
});
