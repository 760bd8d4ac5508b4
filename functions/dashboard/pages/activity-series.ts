// The activity page's numbers, shaped for its charts: the 30 UTC days of the window (today
// included), every day of it present (a day without cases is a bar of zero), and the moderators
// ranked by how many cases they wrote, the first ten kept and the rest folded into "others". Pure.
import { type CaseAction, caseActions } from '../../../shared/actions.ts';

/** Days the activity page covers, today (UTC) included. */
export const ACTIVITY_DAYS = 30;
/** Moderators drawn one bar each; the rest are one "others" bar. */
export const TOP_MODERATORS = 10;
const DAY_MS = 86_400_000;

export interface ActionCount {
  action: CaseAction;
  count: number;
}

/** One bar: its key (a day, a moderator id, "others"), and its counts in the action table's order. */
export interface Stack {
  key: string;
  counts: ActionCount[];
  total: number;
}

export interface ActivityWindow {
  /** Midnight UTC of the first day. */
  since: Date;
  /** Midnight UTC after the last day (today). */
  until: Date;
  /** YYYY-MM-DD, oldest first. */
  days: string[];
}

export function activityWindow(now: Date, days: number = ACTIVITY_DAYS): ActivityWindow {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const since = new Date(today - (days - 1) * DAY_MS);
  return {
    since,
    until: new Date(today + DAY_MS),
    days: Array.from({ length: days }, (_, i) =>
      new Date(since.getTime() + i * DAY_MS).toISOString().slice(0, 10),
    ),
  };
}

function stackOf(key: string, byAction: ReadonlyMap<CaseAction, number>): Stack {
  const counts = caseActions
    .map((action) => ({ action, count: byAction.get(action) ?? 0 }))
    .filter((c) => c.count > 0);
  return { key, counts, total: counts.reduce((sum, c) => sum + c.count, 0) };
}

function grouped<K extends string>(
  rows: readonly ({ action: CaseAction; count: number } & Record<K, string>)[],
  key: K,
) {
  const out = new Map<string, Map<CaseAction, number>>();
  for (const row of rows) {
    const byAction = out.get(row[key]) ?? new Map<CaseAction, number>();
    byAction.set(row.action, (byAction.get(row.action) ?? 0) + row.count);
    out.set(row[key], byAction);
  }
  return out;
}

/** One stack per day of the window, oldest first; rows of days outside it are left out. */
export function dayStacks(
  rows: readonly { day: string; action: CaseAction; count: number }[],
  days: readonly string[],
): Stack[] {
  const byDay = grouped(rows, 'day');
  return days.map((day) => stackOf(day, byDay.get(day) ?? new Map()));
}

export const OTHERS_KEY = 'others';

export interface ModeratorStacks {
  /** The busiest moderators, most cases first (ties by id), then "others" when there are more. */
  stacks: Stack[];
  /** How many moderators "others" stands for (0: no such bar). */
  othersCount: number;
}

export function moderatorStacks(
  rows: readonly { moderatorId: string; action: CaseAction; count: number }[],
  top: number = TOP_MODERATORS,
): ModeratorStacks {
  const ranked = [...grouped(rows, 'moderatorId')]
    .map(([id, byAction]) => stackOf(id, byAction))
    .sort((a, b) => b.total - a.total || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (ranked.length <= top) return { stacks: ranked, othersCount: 0 };
  const rest = new Map<CaseAction, number>();
  for (const stack of ranked.slice(top))
    for (const c of stack.counts) rest.set(c.action, (rest.get(c.action) ?? 0) + c.count);
  return { stacks: [...ranked.slice(0, top), stackOf(OTHERS_KEY, rest)], othersCount: ranked.length - top };
}
