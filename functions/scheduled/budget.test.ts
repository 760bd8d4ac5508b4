import { describe, expect, it } from 'vitest';
import {
  Budget,
  type Clock,
  DEFAULT_SUBREQUEST_BUDGET,
  DiscordPacer,
  GUILD_ROUTE_SPACING_MS,
  runPool,
  TICK_CONCURRENCY,
  WORKERS_SUBREQUEST_LIMIT,
} from './budget.ts';

/** A clock that only moves when something sleeps on it. */
function fakeClock(start = 0): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe('Budget', () => {
  it('stays within the Workers limit and the simultaneous-connection cap', () => {
    expect(DEFAULT_SUBREQUEST_BUDGET).toBeLessThan(WORKERS_SUBREQUEST_LIMIT);
    expect(TICK_CONCURRENCY).toBeLessThan(6);
  });

  it('takes while the count allows, refunds, and refuses past the limit', () => {
    const budget = new Budget({ limit: 10, deadline: 1000, clock: fakeClock() });
    expect(budget.take(6)).toBe(true);
    expect(budget.take(5)).toBe(false);
    expect(budget.spent).toBe(6);
    budget.refund(2);
    expect(budget.remaining).toBe(6);
    expect(budget.take(6)).toBe(true);
    expect(budget.remaining).toBe(0);
  });

  it('slices: a step spends from its parent and stops at its own share', () => {
    const tick = new Budget({ limit: 100, deadline: 1000, clock: fakeClock() });
    const step = tick.slice(30);
    expect(step.take(25)).toBe(true);
    expect(step.take(10)).toBe(false);
    expect(tick.spent).toBe(25);
    step.refund(5);
    expect(tick.spent).toBe(20);
    expect(tick.remaining).toBe(80);
    // A slice never has more than its parent has left.
    const other = tick.slice(500);
    expect(other.remaining).toBe(80);
    expect(tick.slice(10).slice(50).remaining).toBe(10);
  });

  it('runs out of time at the deadline, for slices too', async () => {
    const clock = fakeClock();
    const budget = new Budget({ limit: 100, deadline: 500, clock });
    const step = budget.slice(50);
    expect(step.timeLeft).toBe(true);
    await clock.sleep(500);
    expect(budget.timeLeft).toBe(false);
    expect(step.timeLeft).toBe(false);
  });
});

describe('DiscordPacer', () => {
  it('spaces calls globally at the configured rate', async () => {
    const clock = fakeClock();
    const pacer = new DiscordPacer(clock, 20);
    const starts: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      await pacer.slot();
      starts.push(clock.now());
    }
    expect(starts).toEqual([0, 50, 100, 150, 200]);
  });

  it('spaces writes to one guild further, leaving other guilds free', async () => {
    const clock = fakeClock();
    const pacer = new DiscordPacer(clock, 1000);
    const starts: Record<string, number[]> = { a: [], b: [] };
    for (let i = 0; i < 3; i += 1) {
      for (const guildId of ['a', 'b'] as const) {
        await pacer.slot({ guildId, kind: 'banWrite' });
        starts[guildId]?.push(clock.now());
      }
    }
    const gaps = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] as number));
    for (const gap of gaps(starts.a ?? []))
      expect(gap).toBeGreaterThanOrEqual(GUILD_ROUTE_SPACING_MS.banWrite);
    // Guild b's first call did not wait for guild a's spacing.
    expect(starts.b?.[0]).toBeLessThan(GUILD_ROUTE_SPACING_MS.banWrite);
  });

  it('holds a route after a 429 until retry_after has passed', async () => {
    const clock = fakeClock();
    const pacer = new DiscordPacer(clock, 1000);
    pacer.holdRoute({ guildId: 'a', kind: 'memberWrite' }, 3_000);
    await pacer.slot({ guildId: 'a', kind: 'memberWrite' });
    expect(clock.now()).toBe(3_000);
  });
});

describe('runPool', () => {
  it('runs at most `concurrency` at a time, in order', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    const left = await runPool(
      [1, 2, 3, 4, 5, 6, 7],
      3,
      () => 'start',
      async (n) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        done.push(n);
        running -= 1;
      },
    );
    expect(peak).toBe(3);
    expect([...done].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(left).toEqual([]);
  });

  it('returns skipped items and everything after a stop', async () => {
    const done: number[] = [];
    const left = await runPool(
      [1, 2, 3, 4, 5, 6],
      2,
      (n) => (n === 2 ? 'skip' : n === 5 ? 'stop' : 'start'),
      async (n) => {
        done.push(n);
      },
    );
    expect(done).toEqual([1, 3, 4]);
    expect(left).toEqual([2, 5, 6]);
  });
});
