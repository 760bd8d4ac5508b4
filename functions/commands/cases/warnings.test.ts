import { describe, expect, it } from 'vitest';
import type { CaseRow } from '../../moderation/cases.ts';
import { caseLine } from './case-lines.ts';
import { casesPage } from './warnings.ts';

const row = (overrides: Partial<CaseRow>): CaseRow => ({
  id: 'id',
  guildId: 'g',
  caseNumber: 1,
  action: 'warn',
  userId: 'u',
  moderatorId: 'm',
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

describe('caseLine', () => {
  it('shows number, action, state, date, moderator and reason', () => {
    expect(caseLine(row({ caseNumber: 7, action: 'ban', state: 'expired' }))).toBe(
      '`#7` **Ban** (expired) · <t:1767225600:d> · by <@m>\nspam',
    );
  });
  it('folds whitespace and shortens long reasons', () => {
    const line = caseLine(row({ reason: `a\n\nb ${'x'.repeat(400)}` }));
    expect(line.split('\n')[1]).toHaveLength(200);
    expect(line.split('\n')[1]?.startsWith('a b ')).toBe(true);
  });
});

describe('casesPage', () => {
  it('counts pages and keeps within the description limit', () => {
    const rows = Array.from({ length: 10 }, (_, i) => row({ caseNumber: i + 1, reason: 'y'.repeat(512) }));
    const embed = casesPage('u', rows, 25, 1);
    expect(embed.footer?.text).toBe('Page 1 of 3');
    expect(embed.description!.length).toBeLessThanOrEqual(4096);
  });
});
