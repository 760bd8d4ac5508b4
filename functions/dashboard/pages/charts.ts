// The geometry of the activity page's stacked bar charts, in SVG user units: a "nice" scale
// (1, 2 or 5 × 10ⁿ steps), each bar's segments stacked in the action table's order with their
// edges rounded once (so a bar's segments add up exactly to its rounded height), the axis ticks,
// and a colour per action that reads on the dark theme. Pure: activity-view.ts draws it.
import type { CaseAction } from '../../../shared/actions.ts';
import type { Stack } from './activity-series.ts';

/** One colour per action (a Record: a new action does not compile until it has one). */
export const actionColours: Record<CaseAction, string> = {
  ban: '#f23f43',
  unban: '#57f287',
  kick: '#f0883e',
  mute: '#a970ff',
  unmute: '#45ddc0',
  warn: '#fee75c',
  note: '#949ba4',
  automod_block: '#eb459e',
  automod_flag: '#5b9cf6',
};

export interface Scale {
  /** The value at the top (or right end) of the axis: a whole number of steps, ≥ the data's max. */
  max: number;
  step: number;
  /** 0, step, 2·step … max. */
  ticks: number[];
}

/** A scale of about `steps` whole-number steps covering `dataMax`; 0..1 when there is nothing. */
export function niceScale(dataMax: number, steps = 4): Scale {
  if (!(dataMax > 0)) return { max: 1, step: 1, ticks: [0, 1] };
  const rough = Math.max(1, dataMax / steps);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power) as number;
  const max = Math.ceil(dataMax / step) * step;
  return { max, step, ticks: Array.from({ length: max / step + 1 }, (_, i) => i * step) };
}

const round = (value: number) => Math.round(value * 100) / 100;

export interface Segment {
  action: CaseAction;
  count: number;
  /** Along the bar: where the segment starts and how long it is. */
  start: number;
  length: number;
}

export interface Bar {
  key: string;
  total: number;
  /** Across the bars: where this one starts, and its thickness. */
  offset: number;
  thickness: number;
  /** Along the bar: its whole length (the sum of its segments' lengths). */
  length: number;
  segments: Segment[];
}

export interface ChartGeometry {
  scale: Scale;
  bars: Bar[];
  /** Where each tick sits along the value axis. */
  ticks: { value: number; at: number }[];
}

/**
 * Bars across `across` units (each with a gap of a fifth of its slot), values along `along` units.
 * Segment edges are cumulative counts scaled and rounded, so lengths telescope to the bar's length.
 */
export function stackedBars(stacks: readonly Stack[], across: number, along: number): ChartGeometry {
  const scale = niceScale(Math.max(0, ...stacks.map((s) => s.total)));
  const slot = stacks.length > 0 ? across / stacks.length : across;
  const thickness = round(slot * 0.8);
  const at = (value: number) => round((value / scale.max) * along);
  const bars = stacks.map((stack, i) => {
    let sum = 0;
    const segments = stack.counts
      .filter((c) => c.count > 0)
      .map((c) => {
        const start = at(sum);
        sum += c.count;
        return { action: c.action, count: c.count, start, length: round(at(sum) - start) };
      });
    return {
      key: stack.key,
      total: stack.total,
      offset: round(i * slot + slot * 0.1),
      thickness,
      length: at(sum),
      segments,
    };
  });
  return { scale, bars, ticks: scale.ticks.map((value) => ({ value, at: at(value) })) };
}
