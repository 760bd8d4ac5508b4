import { describe, expect, it } from 'vitest';
import { caseActions } from '../../../shared/actions.ts';
import type { Stack } from './activity-series.ts';
import { actionColours, niceScale, stackedBars } from './charts.ts';

const stack = (key: string, counts: Stack['counts']): Stack => ({
  key,
  counts,
  total: counts.reduce((sum, c) => sum + c.count, 0),
});

describe('niceScale', () => {
  it.each([
    [0, 1, 1],
    [1, 1, 1],
    [3, 1, 3],
    [7, 2, 8],
    [10, 5, 10],
    [37, 10, 40],
    [288, 100, 300],
    [1001, 500, 1500],
  ])('covers %i with steps of %i up to %i', (dataMax, step, max) => {
    const scale = niceScale(dataMax);
    expect(scale).toMatchObject({ step, max });
    expect(scale.ticks[0]).toBe(0);
    expect(scale.ticks.at(-1)).toBe(max);
    expect(scale.max).toBeGreaterThanOrEqual(dataMax);
  });
});

describe('stackedBars', () => {
  it('stacks segments end to end in the given order, and their lengths add up to the bar', () => {
    const stacks = [
      stack('a', [
        { action: 'ban', count: 3 },
        { action: 'warn', count: 4 },
      ]),
      stack('b', [{ action: 'kick', count: 1 }]),
      stack('c', []),
    ];
    const chart = stackedBars(stacks, 300, 200);
    expect(chart.scale.max).toBe(8);
    const [a, b, c] = chart.bars;
    expect(a?.length).toBe(175);
    expect(a?.segments.map((s) => [s.action, s.start, s.length])).toEqual([
      ['ban', 0, 75],
      ['warn', 75, 100],
    ]);
    expect(b?.length).toBe(25);
    expect(c).toMatchObject({ length: 0, segments: [], total: 0 });
    expect(chart.bars.map((bar) => bar.offset)).toEqual([10, 110, 210]);
    expect(a?.thickness).toBe(80);
    expect(chart.ticks.at(-1)).toEqual({ value: 8, at: 200 });
  });

  it('rounds segment edges, not lengths, so awkward counts still sum to the bar exactly', () => {
    const counts = caseActions.map((action, i) => ({ action, count: 1 + ((i * 7) % 5) }));
    const chart = stackedBars([stack('x', counts), stack('y', [{ action: 'note', count: 29 }])], 97, 173);
    for (const bar of chart.bars) {
      const sum = bar.segments.reduce((total, s) => total + s.length, 0);
      expect(sum).toBeCloseTo(bar.length, 9);
      bar.segments.forEach((s, i) => {
        const next = bar.segments[i + 1];
        if (next) expect(next.start).toBeCloseTo(s.start + s.length, 9);
      });
    }
    expect(chart.bars[1]?.length).toBeLessThanOrEqual(173);
  });

  it('draws nothing for empty data, on a 0..1 scale', () => {
    expect(stackedBars([], 300, 200)).toEqual({
      scale: { max: 1, step: 1, ticks: [0, 1] },
      bars: [],
      ticks: [
        { value: 0, at: 0 },
        { value: 1, at: 200 },
      ],
    });
  });
});

describe('actionColours', () => {
  it('gives every action its own colour', () => {
    const colours = caseActions.map((a) => actionColours[a]);
    expect(new Set(colours).size).toBe(caseActions.length);
    for (const colour of colours) expect(colour).toMatch(/^#[0-9a-f]{6}$/);
  });
});
