// The shared Discord budget against a real Redis (TEST_REDIS_URL): callers on separate connections,
// as separate isolates would be, never start more calls in any one second than the shares allow.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../../test/support/services.ts';
import {
  AUDIT_SYNC_SHARE,
  type BudgetShare,
  createGlobalBudget,
  GLOBAL_SHARE,
  GlobalBudgetBusyError,
  globalShareFor,
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
    expect(AUDIT_SYNC_SHARE.perSecond + AUDIT_SYNC_SHARE.burst).toBeLessThanOrEqual(30);
    expect(globalShareFor({})).toEqual(GLOBAL_SHARE);
    expect(globalShareFor({ perSecond: 20, key: 'k' })).toEqual({ key: 'k', perSecond: 18, burst: 2 });
    expect(globalShareFor({ perSecond: 4, key: '' })).toEqual({
      key: GLOBAL_SHARE.key,
      perSecond: 4,
      burst: 0,
    });
    for (const perSecond of [0, -1, 51, Number.NaN]) expect(() => globalShareFor({ perSecond })).toThrow();
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
    const refused = await budget.pace().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GlobalBudgetBusyError);
    // It says how far away the slot was: about a second.
    expect((refused as GlobalBudgetBusyError).retryAfterMs).toBeGreaterThan(500);
    expect((refused as GlobalBudgetBusyError).retryAfterMs).toBeLessThanOrEqual(1_000);
    // A caller allowed to wait longer than the budget's default is not refused.
    expect(await budget.reserve(1_100)).toBeGreaterThan(500);
    const patient = createGlobalBudget({ redis: runner(), shares: [share], maxWaitMs: 3_000 });
    const started = performance.now();
    await patient.pace();
    // Only the refused slot was not taken: the reserved one was a second after the first, this one two.
    expect(performance.now() - started).toBeLessThan(2_100);
    expect(performance.now() - started).toBeGreaterThan(1_400);
  });

  it('holds everyone after a 429 for its retry_after', async () => {
    const share = { key: unique('hold'), perSecond: 100, burst: 3 };
    const first = createGlobalBudget({ redis: runner(), shares: [share] });
    const second = createGlobalBudget({ redis: runner(), shares: [share] });
    await first.hold(300);
    const started = performance.now();
    await second.pace();
    // The first slot after the hold is kept for the holder's retry: the other waits one spacing more.
    expect(performance.now() - started).toBeGreaterThanOrEqual(300 + 10 - 20);
  });
});
