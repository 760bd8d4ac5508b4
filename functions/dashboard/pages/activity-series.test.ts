import { describe, expect, it } from 'vitest';
import { activityWindow, dayStacks, moderatorStacks, OTHERS_KEY } from './activity-series.ts';

describe('activityWindow', () => {
  it('covers 30 UTC days ending today, whatever the hour', () => {
    const window = activityWindow(new Date('2026-03-30T23:59:59Z'));
    expect(window.since).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(window.until).toEqual(new Date('2026-03-31T00:00:00Z'));
    expect(window.days).toHaveLength(30);
    expect(window.days[0]).toBe('2026-03-01');
    expect(window.days.at(-1)).toBe('2026-03-30');
    expect(activityWindow(new Date('2026-03-01T00:00:00Z'), 2).days).toEqual(['2026-02-28', '2026-03-01']);
  });
});

describe('dayStacks', () => {
  it('has every day, zero where nothing happened, counts in the action table order, and drops other days', () => {
    const stacks = dayStacks(
      [
        { day: '2026-03-02', action: 'warn', count: 2 },
        { day: '2026-03-02', action: 'ban', count: 1 },
        { day: '2026-02-01', action: 'ban', count: 9 },
      ],
      ['2026-03-01', '2026-03-02'],
    );
    expect(stacks).toEqual([
      { key: '2026-03-01', counts: [], total: 0 },
      {
        key: '2026-03-02',
        counts: [
          { action: 'ban', count: 1 },
          { action: 'warn', count: 2 },
        ],
        total: 3,
      },
    ]);
  });
});

describe('moderatorStacks', () => {
  it('keeps the busiest moderators (ties by id) and folds the rest into "others"', () => {
    const rows = [
      { moderatorId: 'c', action: 'warn' as const, count: 5 },
      { moderatorId: 'a', action: 'ban' as const, count: 2 },
      { moderatorId: 'b', action: 'ban' as const, count: 2 },
      { moderatorId: 'd', action: 'kick' as const, count: 1 },
      { moderatorId: 'd', action: 'ban' as const, count: 1 },
      { moderatorId: 'e', action: 'note' as const, count: 1 },
    ];
    const { stacks, othersCount } = moderatorStacks(rows, 2);
    expect(stacks.map((s) => [s.key, s.total])).toEqual([
      ['c', 5],
      ['a', 2],
      [OTHERS_KEY, 5],
    ]);
    expect(stacks[2]?.counts).toEqual([
      { action: 'ban', count: 3 },
      { action: 'kick', count: 1 },
      { action: 'note', count: 1 },
    ]);
    expect(othersCount).toBe(3);
    expect(moderatorStacks(rows, 5)).toMatchObject({ othersCount: 0 });
    expect(moderatorStacks([])).toEqual({ stacks: [], othersCount: 0 });
  });
});
