import { describe, expect, it } from 'vitest';
import {
  ACTIVE_INTERVAL_MS,
  FAILED_RETRY_MS,
  grownInterval,
  JITTER_FRACTION,
  MAX_INTERVAL_MS,
  MISSING_PERMISSION_RETRY_MS,
  nextSync,
  RECENT_ACTIVITY_MS,
  type SyncOutcome,
} from './schedule.ts';

const MINUTE = 60_000;
const now = new Date('2026-12-01T12:00:00Z');
const quiet: SyncOutcome = { status: 'ok', recorded: 0, skipped: 0, more: false };
const delayOf = (decision: { nextSyncAt: Date }) => decision.nextSyncAt.getTime() - now.getTime();
const input = (
  result: SyncOutcome | null,
  previousIntervalMs: number,
  lastActivityAt: Date | null = null,
) => ({
  now,
  result,
  previousIntervalMs,
  lastActivityAt,
  jitter: 0,
});

describe('the adaptive audit-log schedule', () => {
  it('reads an active guild every minute and records the activity', () => {
    const decision = nextSync(input({ ...quiet, recorded: 2 }, 8 * MINUTE));
    expect(decision.intervalMs).toBe(ACTIVE_INTERVAL_MS);
    expect(delayOf(decision)).toBe(ACTIVE_INTERVAL_MS);
    expect(decision.lastActivityAt).toEqual(now);
  });

  it('counts entries read and skipped (moderators using Lockdown) as activity', () => {
    const decision = nextSync(input({ ...quiet, skipped: 1 }, 15 * MINUTE));
    expect(decision.intervalMs).toBe(ACTIVE_INTERVAL_MS);
    expect(decision.lastActivityAt).toEqual(now);
  });

  it('doubles the interval while quiet, up to 15 minutes and never beyond', () => {
    const seen: number[] = [];
    let interval = ACTIVE_INTERVAL_MS;
    for (let i = 0; i < 8; i += 1) {
      interval = nextSync(input(quiet, interval)).intervalMs;
      seen.push(interval / MINUTE);
    }
    expect(seen).toEqual([2, 4, 8, 15, 15, 15, 15, 15]);
    expect(grownInterval(Number.NaN)).toBe(2 * MINUTE);
    expect(grownInterval(10 * 60 * MINUTE)).toBe(MAX_INTERVAL_MS);
  });

  it('keeps a guild at one minute while its last activity is recent', () => {
    const recent = new Date(now.getTime() - RECENT_ACTIVITY_MS + 1);
    expect(nextSync(input(quiet, ACTIVE_INTERVAL_MS, recent)).intervalMs).toBe(ACTIVE_INTERVAL_MS);
    const old = new Date(now.getTime() - RECENT_ACTIVITY_MS);
    expect(nextSync(input(quiet, ACTIVE_INTERVAL_MS, old)).intervalMs).toBe(2 * MINUTE);
  });

  it('shortens quiet intervals by the jitter, never lengthens them', () => {
    const spread = nextSync({ ...input(quiet, MAX_INTERVAL_MS), jitter: 0.5 });
    expect(delayOf(spread)).toBe(Math.round(MAX_INTERVAL_MS * (1 - JITTER_FRACTION / 2)));
    const most = nextSync({ ...input(quiet, MAX_INTERVAL_MS), jitter: 5 });
    expect(delayOf(most)).toBeLessThanOrEqual(MAX_INTERVAL_MS);
    expect(delayOf(most)).toBeGreaterThanOrEqual(MAX_INTERVAL_MS * (1 - JITTER_FRACTION));
  });

  it('comes back at the next tick when pages were left to read', () => {
    const decision = nextSync(input({ ...quiet, recorded: 300, more: true }, MAX_INTERVAL_MS));
    expect(delayOf(decision)).toBe(0);
    expect(decision.intervalMs).toBe(ACTIVE_INTERVAL_MS);
  });

  it('retries a guild without View Audit Log hourly, as quiet once it is back', () => {
    const decision = nextSync(input({ ...quiet, status: 'missing_permission' }, ACTIVE_INTERVAL_MS));
    expect(delayOf(decision)).toBe(MISSING_PERMISSION_RETRY_MS);
    expect(decision.intervalMs).toBe(MAX_INTERVAL_MS);
  });

  it('retries a failed or crashed sync soon without growing the interval', () => {
    const activity = new Date(now.getTime() - 60 * MINUTE);
    for (const result of [{ ...quiet, status: 'failed' as const }, null]) {
      const decision = nextSync(input(result, 8 * MINUTE, activity));
      expect(delayOf(decision)).toBe(FAILED_RETRY_MS);
      expect(decision.intervalMs).toBe(8 * MINUTE);
      expect(decision.lastActivityAt).toEqual(activity);
    }
    expect(delayOf(nextSync(input(null, ACTIVE_INTERVAL_MS)))).toBe(ACTIVE_INTERVAL_MS);
  });
});

describe('an unknown previous interval', () => {
  it('counts as the active one', () => {
    expect(nextSync(input(quiet, Number.NaN)).intervalMs).toBe(2 * MINUTE);
    expect(nextSync(input({ ...quiet, status: 'failed' }, Number.NaN)).intervalMs).toBe(ACTIVE_INTERVAL_MS);
  });
});
