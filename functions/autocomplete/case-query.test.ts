import { describe, expect, it } from 'vitest';
import { MAX_CASE_NUMBER } from '../../shared/commands/limits.ts';
import { actionsNamed, caseChoiceName, caseChoices, caseNumberRanges, parseCaseQuery } from './case-query.ts';

describe('caseNumberRanges', () => {
  it('turns a prefix into the ranges of numbers that start with it, highest first', () => {
    expect(caseNumberRanges('12', 99_999)).toEqual([
      [12_000, 12_999],
      [1_200, 1_299],
      [120, 129],
      [12, 12],
    ]);
  });

  it('cuts the last range at the largest case number', () => {
    const ranges = caseNumberRanges('2');
    expect(ranges[0]).toEqual([2_000_000_000, MAX_CASE_NUMBER]);
    expect(ranges).toHaveLength(10);
    expect(ranges.at(-1)).toEqual([2, 2]);
  });

  it('covers exactly the numbers with that prefix', () => {
    const ranges = caseNumberRanges('7', 10_000);
    const covered = (n: number) => ranges.some(([low, high]) => n >= low && n <= high);
    for (let n = 1; n <= 10_000; n += 1) expect(covered(n)).toBe(String(n).startsWith('7'));
  });

  it('has nothing for a leading zero, a non-number or a prefix past the largest case number', () => {
    expect(caseNumberRanges('0')).toEqual([]);
    expect(caseNumberRanges('012')).toEqual([]);
    expect(caseNumberRanges('1a')).toEqual([]);
    expect(caseNumberRanges(String(MAX_CASE_NUMBER + 1))).toEqual([]);
    expect(caseNumberRanges('99999999999999999999')).toEqual([]);
    expect(caseNumberRanges(String(MAX_CASE_NUMBER))).toEqual([[MAX_CASE_NUMBER, MAX_CASE_NUMBER]]);
  });
});

describe('parseCaseQuery', () => {
  it('reads nothing typed as the newest cases', () => {
    expect(parseCaseQuery('')).toEqual({ kind: 'newest' });
    expect(parseCaseQuery('   ')).toEqual({ kind: 'newest' });
    expect(parseCaseQuery('#')).toEqual({ kind: 'newest' });
  });

  it('reads digits (with or without #) as a number prefix', () => {
    expect(parseCaseQuery(' #45 ')).toEqual({ kind: 'prefix', ranges: caseNumberRanges('45') });
    expect(parseCaseQuery('0')).toEqual({ kind: 'none' });
  });

  it('reads words as text, with the actions they name', () => {
    expect(parseCaseQuery('Ban')).toEqual({ kind: 'text', text: 'Ban', actions: ['ban'] });
    expect(parseCaseQuery('spam links')).toEqual({ kind: 'text', text: 'spam links', actions: [] });
  });
});

describe('actionsNamed', () => {
  it('matches action keys and titles by prefix, ignoring case', () => {
    expect(actionsNamed('un').sort()).toEqual(['unban', 'unmute']);
    expect(actionsNamed('TEMP')).toEqual(['ban']);
    expect(actionsNamed('warning')).toEqual(['warn']);
    expect(actionsNamed('automod')).toEqual(['automod_block', 'automod_flag']);
    expect(actionsNamed('')).toEqual([]);
  });
});

describe('caseChoiceName', () => {
  const summary = {
    caseNumber: 12,
    action: 'ban' as const,
    userId: '123456789012345678',
    reason: 'spam',
    temporary: false,
  };

  it('reads as one line: number, action, member, reason', () => {
    expect(caseChoiceName(summary)).toBe('#12 Ban · 123456789012345678 · spam');
    expect(caseChoiceName({ ...summary, temporary: true, reason: 'raid\n  bot' })).toBe(
      '#12 Temporary ban · 123456789012345678 · raid bot',
    );
    expect(caseChoiceName({ ...summary, action: 'warn', reason: null })).toBe(
      '#12 Warning · 123456789012345678 · no reason given',
    );
  });

  it('stays within Discord’s 100 characters', () => {
    const name = caseChoiceName({ ...summary, caseNumber: MAX_CASE_NUMBER, reason: '🚫'.repeat(300) });
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name.endsWith('…')).toBe(true);
    expect(name).not.toMatch(/\uD83D$/); // no half of a surrogate pair before the ellipsis
  });

  it('gives integer values, at most 25', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ ...summary, caseNumber: 30 - i }));
    const choices = caseChoices(rows);
    expect(choices).toHaveLength(25);
    expect(choices[0]).toEqual({ name: '#30 Ban · 123456789012345678 · spam', value: 30 });
  });
});
