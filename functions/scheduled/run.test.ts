import { describe, expect, it } from 'vitest';
import { DEFAULT_SUBREQUEST_BUDGET, SUBREQUEST_COST } from './budget.ts';
import { LIFT_COST, LIFT_RESERVE } from './expire-temp-bans.ts';
import { MUTE_SHARE, PIPELINE_RESERVE, RECONCILE_SHARE, tickOptionsFromEnv } from './run.ts';
import { STREAM_RETENTION_MS, trimThreshold } from './trim-stream.ts';

describe('tickOptionsFromEnv', () => {
  it('reads the budget and the guild scope, ignoring what does not parse', () => {
    expect(tickOptionsFromEnv({})).toEqual({});
    expect(
      tickOptionsFromEnv({ SCHEDULER_SUBREQUEST_BUDGET: '45', SCHEDULER_GUILD_IDS: '1, 22,x,' }),
    ).toEqual({
      subrequestBudget: 45,
      guildIds: ['1', '22'],
    });
    expect(tickOptionsFromEnv({ SCHEDULER_SUBREQUEST_BUDGET: 'lots', SCHEDULER_GUILD_IDS: ' ' })).toEqual({});
    expect(tickOptionsFromEnv({ SCHEDULER_SUBREQUEST_BUDGET: '-3' })).toEqual({});
  });
});

describe('the tick budget', () => {
  it('leaves room for the pipeline and still lifts over a hundred and fifty bans a tick', () => {
    const forBans = DEFAULT_SUBREQUEST_BUDGET - PIPELINE_RESERVE;
    expect(PIPELINE_RESERVE).toBeLessThan(DEFAULT_SUBREQUEST_BUDGET / 10);
    expect(RECONCILE_SHARE + MUTE_SHARE).toBeLessThan(0.5);
    // Worst case every lift fails and costs its whole reserve (an unban retried after a 429 takes
    // two budget slots); normally a lift costs LIFT_COST.
    expect(Math.floor(forBans / LIFT_RESERVE)).toBeGreaterThan(90);
    expect(Math.floor(forBans / LIFT_COST)).toBeGreaterThan(150);
    expect(LIFT_RESERVE).toBe(5 * SUBREQUEST_COST.db + SUBREQUEST_COST.discord);
  });
});

describe('trimThreshold', () => {
  it('keeps the retention window by the real clock, even for a tick dated in the future', () => {
    const real = Date.parse('2026-05-01T00:00:00Z');
    expect(trimThreshold(new Date(real), real)).toBe(`${real - STREAM_RETENTION_MS}-0`);
    expect(trimThreshold(new Date(real + 90 * 86_400_000), real)).toBe(`${real - STREAM_RETENTION_MS}-0`);
    expect(STREAM_RETENTION_MS).toBeGreaterThanOrEqual(7 * 86_400_000);
  });
});
