// One Discord request budget shared by every isolate and invocation, kept in Redis: each caller
// reserves a start time for its next call with one EVAL (a generic cell rate algorithm over one or
// more keys, on Redis's own clock, so isolates' clocks do not matter) and sleeps until then.
//
// Keys ("shares"): the global one every Discord caller of Lockdown may reserve on (Discord allows
// 50 requests/s per bot token; GLOBAL_SHARE keeps rate + burst within 50 in any one second), and one
// per background job capping what that job takes, so moderators' commands always find room: the
// audit-log sync reserves on both (AUDIT_SYNC_SHARES: at most 30/s of the 50). A call starts only
// when every key it names has room, and then uses a slot of each.
//
// 429s: the REST client (rest.ts) retries a short 429 in place; a longer or global one is told to
// `hold`, which pushes the global key's next slot past Discord's retry_after for everyone.
// A reservation further away than `maxWaitMs` is refused (nothing reserved): the caller's work
// waits for a later run instead of holding an invocation open.

import { Redis } from '@upstash/redis/cloudflare';

/** What the budget needs of a Redis client (Upstash's `eval`, or an adapter in Node tests). */
export interface ScriptRunner {
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
}

export interface BudgetShare {
  key: string;
  perSecond: number;
  /** Calls that may start back to back before the spacing applies. */
  burst: number;
}

/** Discord's 50/s, as 45/s plus a burst of 5: never more than 50 start in any one second. */
export const GLOBAL_SHARE: BudgetShare = { key: 'lockdown:discord:budget:global', perSecond: 45, burst: 5 };
/** The audit-log sync: at most 30 requests/s, leaving the rest for commands and the scheduler. */
export const AUDIT_SYNC_SHARE: BudgetShare = {
  key: 'lockdown:discord:budget:audit-sync',
  perSecond: 30,
  burst: 0,
};
export const AUDIT_SYNC_SHARES: readonly BudgetShare[] = [GLOBAL_SHARE, AUDIT_SYNC_SHARE];
/** A caller waits at most this long for a slot; beyond it the budget is oversubscribed. */
export const DEFAULT_MAX_WAIT_MS = 15_000;
/** Kept after the last reservation, so an idle budget's keys expire. */
const KEY_TTL_MS = 60_000;

// KEYS: the shares' keys. ARGV: maxWait, then per key spacing (ms) and burst allowance (ms).
// Returns the wait in ms (rounded up), or -1 when it would exceed maxWait (nothing reserved).
const RESERVE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local maxWait = tonumber(ARGV[1])
local start = now
local tats = {}
for i, key in ipairs(KEYS) do
  local tat = tonumber(redis.call('GET', key) or '0') or 0
  if tat < now then tat = now end
  tats[i] = tat
  local ready = tat - tonumber(ARGV[2 * i + 1])
  if ready > start then start = ready end
end
local wait = start - now
if wait > maxWait then return -1 end
for i, key in ipairs(KEYS) do
  local tat = tats[i]
  if start > tat then tat = start end
  tat = tat + tonumber(ARGV[2 * i])
  redis.call('SET', key, string.format('%.3f', tat), 'PX', math.ceil(tat - now) + ${KEY_TTL_MS})
end
return math.ceil(wait)
`;

// KEYS[1]: the key to hold. ARGV: hold (ms), burst allowance (ms). No slot starts before now + hold.
const HOLD_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
local held = now + tonumber(ARGV[1]) + tonumber(ARGV[2])
if held > tat then
  redis.call('SET', KEYS[1], string.format('%.3f', held), 'PX', math.ceil(held - now) + ${KEY_TTL_MS})
end
return 1
`;

export class GlobalBudgetBusyError extends Error {
  override readonly name = 'GlobalBudgetBusyError';
}

export interface GlobalBudget {
  /** Resolves when the next Discord call may start (its slot is taken); throws GlobalBudgetBusyError. */
  pace(): Promise<void>;
  /** After a 429 with retry_after: no call through the global key starts for `ms`. */
  hold(ms: number): Promise<void>;
}

export const spacingMs = (share: BudgetShare): number => 1000 / share.perSecond;

/** The EVAL arguments of one reservation (exported for its test). */
export function reserveArguments(shares: readonly BudgetShare[], maxWaitMs: number): string[] {
  if (shares.length === 0) throw new Error('a Discord budget needs at least one share');
  const args = [String(maxWaitMs)];
  for (const share of shares) {
    if (!(share.perSecond > 0) || share.burst < 0) throw new Error(`bad budget share for ${share.key}`);
    args.push(String(spacingMs(share)), String(share.burst * spacingMs(share)));
  }
  return args;
}

export function createGlobalBudget(options: {
  redis: ScriptRunner;
  shares: readonly BudgetShare[];
  maxWaitMs?: number;
  /** Told of each Redis request (the caller counts subrequests). */
  onRequest?: () => void;
  sleep?: (ms: number) => Promise<void>;
}): GlobalBudget {
  const { redis, shares } = options;
  const keys = shares.map((share) => share.key);
  const args = reserveArguments(shares, options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const first = shares[0] as BudgetShare;
  return {
    async pace() {
      options.onRequest?.();
      const wait = Number(await redis.eval(RESERVE_SCRIPT, keys, args));
      if (!Number.isFinite(wait)) throw new Error('the Discord budget answered something else than a wait');
      if (wait < 0)
        throw new GlobalBudgetBusyError('the Discord request budget is oversubscribed; try later');
      if (wait > 0) await sleep(wait);
    },
    async hold(ms) {
      if (!(ms > 0)) return;
      options.onRequest?.();
      await redis.eval(
        HOLD_SCRIPT,
        [first.key],
        [String(Math.ceil(ms)), String(first.burst * spacingMs(first))],
      );
    },
  };
}

const REDIS_TIMEOUT_MS = 3_000;
/** As the event stream's client (services.ts): one retry, so an EVAL counts as two subrequests at most. */
export const BUDGET_REDIS_RETRIES = 1;

/** The budget over Upstash's REST API (the Worker's Redis), every request with a timeout. */
export function upstashScriptRunner(config: { url: string; token: string }): ScriptRunner {
  let redis: Redis | undefined;
  return {
    eval(script, keys, args) {
      redis ??= new Redis({
        url: config.url,
        token: config.token,
        enableTelemetry: false,
        automaticDeserialization: false,
        retry: { retries: BUDGET_REDIS_RETRIES, backoff: () => 50 },
        signal: () => AbortSignal.timeout(REDIS_TIMEOUT_MS),
      });
      return redis.eval(script, keys, args);
    },
  };
}
