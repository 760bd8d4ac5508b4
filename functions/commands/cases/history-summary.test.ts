import { describe, expect, it } from 'vitest';
import { caseRow } from '../../../db/case-row-fixture.ts';
import { embedLength, embedLimits } from '../../../shared/embed-fit.ts';
import { countsLine, historyEmbed, historyReply, inForceLine } from './history-summary.ts';

describe('countsLine', () => {
  it('counts each kind apart, in the action table’s order (notes are not warnings)', () => {
    expect(
      countsLine([
        { action: 'note', count: 2 },
        { action: 'warn', count: 3 },
        { action: 'ban', count: 1 },
      ]),
    ).toBe('Ban 1 · Warning 3 · Note 2');
  });
});

describe('inForceLine', () => {
  it('gives the end as relative time, or permanent', () => {
    const end = new Date('2026-03-01T00:00:00Z');
    expect(inForceLine(caseRow({ action: 'ban', caseNumber: 12, expiresAt: end }))).toBe(
      'Temporary ban — ends <t:1772323200:R> (case #12)',
    );
    expect(inForceLine(caseRow({ action: 'ban', caseNumber: 3 }))).toBe('Ban — permanent (case #3)');
    expect(inForceLine(caseRow({ action: 'mute', caseNumber: 4, expiresAt: end }))).toBe(
      'Mute — ends <t:1772323200:R> (case #4)',
    );
  });
});

describe('historyEmbed', () => {
  it('totals, lists the latest within the limits, and says when nothing is in force', () => {
    const recent = Array.from({ length: 5 }, (_, i) =>
      caseRow({ caseNumber: 9 - i, reason: 'z'.repeat(512) }),
    );
    const embed = historyEmbed('100000000000000001', {
      counts: [
        { action: 'warn', count: 8 },
        { action: 'note', count: 1 },
      ],
      inForce: [],
      recent,
    });
    expect(embed.description!.split('\n')[0]).toBe(
      '<@100000000000000001> (`100000000000000001`): 9 cases — Warning 8 · Note 1',
    );
    expect([...embed.description!.matchAll(/`#(\d+)`/g)].map((m) => Number(m[1]))).toEqual([9, 8, 7, 6, 5]);
    expect(embed.fields).toEqual([{ name: 'In force', value: 'Nothing', inline: false }]);
    expect(embedLength(embed)).toBeLessThanOrEqual(embedLimits.total);
  });

  it('answers in words when the member has no cases', () => {
    expect(historyReply('1', { counts: [], inForce: [], recent: [] })).toEqual({
      content: '<@1> has no cases.',
    });
  });
});
