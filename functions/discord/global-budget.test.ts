// The shared Discord budget against a real Redis (TEST_REDIS_URL): callers on separate connections,
// as separate isolates would be, never start more calls in any one second than the shares allow.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../../test/support/services.ts';
import {
  AUDIT_SYNC_SHARES,
  type BudgetShare,
  createGlobalBudget,
  GLOBAL_SHARE,
  GlobalBudgetBusyError,
  reserveArguments,
  type ScriptRunner,
} from './global-budget.ts';

const connections: Redis[] = [];
afterAll(async () => {
  await Promise.all(connections.map((redis) => redis.quit()));
});

/** A connection of its own, adapted to the budget's `eval(script, keys, args)`. */
function runner(): ScriptRunner {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  connections.push(redis);
  return { eval: (script, keys, args) => redis.eval(script, keys.length, ...keys, ...args) };
}

const unique = (name: string) => `lockdown:test:budget:${name}:${crypto.randomUUID()}`;

/** The most timestamps falling in any window of `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last += 1) {
    while ((sorted[last] as number) - (sorted[first] as number) >= windowMs) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

async function callers(count: number, calls: number, shares: BudgetShare[]): Promise<number[]> {
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: count }, async () => {
      const budget = createGlobalBudget({ redis: runner(), shares });
      for (let i = 0; i < calls; i += 1) {
        await budget.pace();
        starts.push(performance.now());
      }
    }),
  );
  return starts;
}

describe('the shared Discord budget', () => {
  it("keeps Discord's global limit in its default shares", () => {
    expect(GLOBAL_SHARE.perSecond + GLOBAL_SHARE.burst).toBeLessThanOrEqual(50);
    const sync = AUDIT_SYNC_SHARES.find((share) => share !== GLOBAL_SHARE) as BudgetShare;
    expect(sync.perSecond + sync.burst).toBeLessThanOrEqual(30);
    expect(reserveArguments([{ key: 'k', perSecond: 40, burst: 2 }], 100)).toEqual(['100', '25', '50']);
    expect(() => reserveArguments([], 100)).toThrow();
    expect(() => reserveArguments([{ key: 'k', perSecond: 0, burst: 0 }], 100)).toThrow();
  });

  it('holds a rate across concurrent callers on separate connections', async () => {
    const share = { key: unique('rate'), perSecond: 200, burst: 5 };
    const started = performance.now();
    const starts = await callers(8, 45, [share]);
    const elapsed = performance.now() - started;
    expect(starts).toHaveLength(360);
    // 360 calls at 200/s after a burst of 5 take at least (360 - 6) / 200 s.
    expect(elapsed).toBeGreaterThanOrEqual(((360 - 6) / 200) * 1000 - 20);
    // A timer firing late can bunch a few starts; the reservations themselves are spaced.
    expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(200 + 5 + 4);
  });

  it('caps a job by its own share while others use the rest of the global one', async () => {
    const global = { key: unique('global'), perSecond: 150, burst: 0 };
    const job = { key: unique('job'), perSecond: 40, burst: 0 };
    const started = performance.now();
    const [jobStarts, otherStarts] = await Promise.all([
      callers(4, 20, [global, job]),
      callers(4, 40, [global]),
    ]);
    const elapsed = performance.now() - started;
    // The job's 80 calls at 40/s need about 2 s; the others' 160 go on beside them at the global rate.
    expect(elapsed).toBeGreaterThanOrEqual(((80 - 1) / 40) * 1000 - 20);
    expect(busiestWindow(jobStarts, 1000)).toBeLessThanOrEqual(40 + 3);
    expect(busiestWindow([...jobStarts, ...otherStarts], 1000)).toBeLessThanOrEqual(150 + 4);
    expect(busiestWindow(otherStarts, 1000)).toBeGreaterThan(40);
  });

  it('refuses a slot further away than the longest wait, reserving nothing', async () => {
    const share = { key: unique('busy'), perSecond: 1, burst: 0 };
    const budget = createGlobalBudget({ redis: runner(), shares: [share], maxWaitMs: 500 });
    await budget.pace();
    await expect(budget.pace()).rejects.toBeInstanceOf(GlobalBudgetBusyError);
    const patient = createGlobalBudget({ redis: runner(), shares: [share], maxWaitMs: 2_000 });
    const started = performance.now();
    await patient.pace();
    // Only the first slot was taken: the next one is a second after it, not two.
    expect(performance.now() - started).toBeLessThan(1_100);
  });

  it('holds everyone after a 429 for its retry_after', async () => {
    const share = { key: unique('hold'), perSecond: 100, burst: 3 };
    const first = createGlobalBudget({ redis: runner(), shares: [share] });
    const second = createGlobalBudget({ redis: runner(), shares: [share] });
    await first.hold(300);
    const started = performance.now();
    await second.pace();
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
  });
});
