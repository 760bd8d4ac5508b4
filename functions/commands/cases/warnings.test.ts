import { describe, expect, it } from 'vitest';
import { caseRow } from '../../../db/case-row-fixture.ts';
import { caseLine } from './case-lines.ts';
import { casesPage } from './warnings.ts';

describe('caseLine', () => {
  it('shows number, action, state, date, moderator and reason', () => {
    expect(caseLine(caseRow({ caseNumber: 7, action: 'ban', state: 'expired', moderatorId: 'm' }))).toBe(
      '`#7` **Ban** (expired) · <t:1767225600:d> · by <@m>\nspam',
    );
  });
  it('folds whitespace and shortens long reasons', () => {
    const line = caseLine(caseRow({ reason: `a\n\nb ${'x'.repeat(400)}` }));
    expect(line.split('\n')[1]).toHaveLength(200);
    expect(line.split('\n')[1]?.startsWith('a b ')).toBe(true);
  });
});

describe('casesPage', () => {
  it('counts pages and keeps within the description limit', () => {
    const rows = Array.from({ length: 10 }, (_, i) =>
      caseRow({ caseNumber: i + 1, reason: 'y'.repeat(512) }),
    );
    const embed = casesPage('u', rows, 25, 1);
    expect(embed.footer?.text).toBe('Page 1 of 3');
    expect(embed.description!.length).toBeLessThanOrEqual(4096);
  });
});
