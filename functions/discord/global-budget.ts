// One Discord request budget shared by every isolate and invocation, kept in Redis: each caller
// reserves a start time for its next call with one EVAL (a generic cell rate algorithm over one or
// more keys, on Redis's own clock, so isolates' clocks do not matter) and sleeps until then.
//
// Keys ("shares"): the global one every bot-token request of Lockdown reserves on — the REST client
// (rest.ts) takes a slot before each one, so commands, the scheduler, the queue consumer and server
// lockdowns all draw on it (Discord allows 50 requests/s per bot token; GLOBAL_SHARE keeps rate +
// burst within 50 in any one second; DISCORD_BUDGET_PER_SECOND lowers it, DISCORD_BUDGET_KEY
// separates bots sharing one Redis) — and one per background job capping what that job takes, so
// moderators' commands always find room: the audit-log sync reserves on both (at most 30/s of the
// 50). A call starts only when every key it names has room, and then uses a slot of each.
// Interaction responses and follow-ups (webhook-token routes) are outside Discord's global limit
// and take no slot.
//
// 429s: a global one (X-RateLimit-Global) is told to `hold`, which pushes the global key's next slot
// past Discord's retry_after for everyone (and keeps the first slot after it for the caller's retry).
// A reservation further away than the caller may wait is refused (nothing reserved): the caller
// fails fast instead of holding an invocation open.

/** What the budget needs of a Redis client (Upstash's `eval`, services.ts; an adapter in Node tests). */
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

/**
 * The global share for `perSecond` requests a second in all (90 % as the rate, 10 % as a burst,
 * so never more than `perSecond` start in any one second), on `key`.
 */
export function globalShareFor(config: { perSecond?: number; key?: string }): BudgetShare {
  const total = config.perSecond ?? GLOBAL_SHARE.perSecond + GLOBAL_SHARE.burst;
  if (!(total > 0) || total > 50)
    throw new Error(`the Discord budget must be within (0, 50] a second, not ${total}`);
  const burst = Math.floor(total / 10);
  return { key: config.key || GLOBAL_SHARE.key, perSecond: total - burst, burst };
}
/** A caller waits at most this long for a slot; beyond it the budget is oversubscribed. */
export const DEFAULT_MAX_WAIT_MS = 15_000;
/** Kept after the last reservation, so an idle budget's keys expire. */
const KEY_TTL_MS = 60_000;

// KEYS: the shares' keys. ARGV: maxWait, then per key spacing (ms) and burst allowance (ms).
// Returns the wait in ms (rounded up), or minus the wait when it would exceed maxWait (nothing
// reserved; a refused wait is always > maxWait >= 0, so at most -1).
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
if wait > maxWait then return -math.ceil(wait) end
for i, key in ipairs(KEYS) do
  local tat = tats[i]
  if start > tat then tat = start end
  tat = tat + tonumber(ARGV[2 * i])
  redis.call('SET', key, string.format('%.3f', tat), 'PX', math.ceil(tat - now) + ${KEY_TTL_MS})
end
return math.ceil(wait)
`;

// KEYS[1]: the key to hold. ARGV: hold (ms), burst allowance (ms), spacing (ms). No slot starts
// before now + hold, and the first one then is the caller's (its retry): one EVAL for both.
const HOLD_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
local held = now + tonumber(ARGV[1]) + tonumber(ARGV[2])
if held < tat then held = tat end
held = held + tonumber(ARGV[3])
redis.call('SET', KEYS[1], string.format('%.3f', held), 'PX', math.ceil(held - now) + ${KEY_TTL_MS})
return 1
`;

export class GlobalBudgetBusyError extends Error {
  override readonly name = 'GlobalBudgetBusyError';
  /** How far away the next slot was (nothing was reserved). */
  readonly retryAfterMs: number;

  constructor(retryAfterMs: number) {
    super(`the Discord request budget is oversubscribed for ${retryAfterMs} ms; try later`);
    this.retryAfterMs = retryAfterMs;
  }
}

export interface GlobalBudget {
  /**
   * Takes the next slot (one EVAL) and resolves with the ms until it starts, without sleeping;
   * throws GlobalBudgetBusyError when that is more than `maxWaitMs` (default: the budget's).
   */
  reserve(maxWaitMs?: number): Promise<number>;
  /** `reserve`, then sleeps until the slot. */
  pace(maxWaitMs?: number): Promise<void>;
  /**
   * After a global 429 with retry_after: no call through the global key starts for `ms`, and the
   * first slot after it is the caller's (its retry needs no reservation of its own).
   */
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
  const reserve = async (maxWaitMs?: number) => {
    options.onRequest?.();
    const callArgs =
      maxWaitMs === undefined ? args : [String(Math.max(0, Math.floor(maxWaitMs))), ...args.slice(1)];
    const wait = Number(await redis.eval(RESERVE_SCRIPT, keys, callArgs));
    if (!Number.isFinite(wait)) throw new Error('the Discord budget answered something else than a wait');
    if (wait < 0) throw new GlobalBudgetBusyError(-wait);
    return wait;
  };
  return {
    reserve,
    async pace(maxWaitMs) {
      const wait = await reserve(maxWaitMs);
      if (wait > 0) await sleep(wait);
    },
    async hold(ms) {
      if (!(ms > 0)) return;
      options.onRequest?.();
      await redis.eval(
        HOLD_SCRIPT,
        [first.key],
        [String(Math.ceil(ms)), String(first.burst * spacingMs(first)), String(spacingMs(first))],
      );
    },
  };
}

/** Redis slower than this to answer: the reservation fails (the REST client then goes unpaced). */
const BUDGET_REDIS_TIMEOUT_MS = 1_000;

/**
 * EVAL over Upstash's REST API as one plain fetch: no client to build per invocation and no retry
 * (a pacing call that failed is not worth a second request; rest.ts goes on unpaced), so each
 * reservation is exactly one subrequest.
 */
export function upstashScriptRunner(config: {
  url: string;
  token: string;
  fetch?: typeof fetch;
}): ScriptRunner {
  const send = config.fetch ?? ((input, init) => fetch(input, init));
  return {
    async eval(script, keys, args) {
      const response = await send(config.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${config.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(['EVAL', script, keys.length, ...keys, ...args]),
        signal: AbortSignal.timeout(BUDGET_REDIS_TIMEOUT_MS),
      });
      const answer = (await response.json().catch(() => ({}))) as { result?: unknown; error?: string };
      if (!response.ok || answer.error !== undefined)
        throw new Error(`the Discord budget's EVAL failed: ${answer.error ?? `HTTP ${response.status}`}`);
      return answer.result;
    },
  };
}
