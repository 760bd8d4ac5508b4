// What one scheduled tick may spend, and the pacing of its Discord calls. Pure bookkeeping over an
// injected clock, so the numbers can be tested without a Worker.
//
// Sources (checked in the Cloudflare and Discord documentation):
// - Subrequests: every fetch() a Worker invocation makes counts — here every Discord REST call, every
//   Neon HTTP query or batch, every Upstash REST command or MULTI. Cloudflare's limits page gives
//   50 per invocation on Workers Free and 1,000 on Workers Paid (newer revisions of the page say
//   10,000 for Paid; we budget for the stricter 1,000). Past the limit fetch() throws.
// - Simultaneous open connections: 6 per invocation; more wait in a queue.
// - Cron Triggers: CPU time 30 s when the schedule runs more often than hourly (ours: every minute);
//   wall-clock duration of a scheduled invocation up to 15 minutes.
// - Discord: 50 requests per second per bot token across all routes (the global limit, shared with
//   the interaction handler's calls); per-route limits "must be read from headers", and the ones
//   client libraries observe are 5 per second per guild for ban/unban and kick, 10 per 10 s per guild
//   for Modify Guild Member (timeouts).

import { MAX_BUDGET_EVALS_PER_CALL, MAX_FETCHES_PER_CALL } from '../discord/rest.ts';

/** Workers Paid: subrequests per invocation (Free: 50). */
export const WORKERS_SUBREQUEST_LIMIT = 1_000;
/** What a tick plans to spend: the limit less 10 % for anything counted wrong. */
export const DEFAULT_SUBREQUEST_BUDGET = 900;
/**
 * A tick stops starting work after this long. Well inside the 15-minute cron duration and below the
 * one-minute interval, so ticks rarely overlap (claims make an overlap safe anyway).
 */
export const TICK_WALL_BUDGET_MS = 40_000;
/** Concurrent work items: below the 6 simultaneous connections an invocation may open. */
export const TICK_CONCURRENCY = 4;
/** 60 % of Discord's global 50 requests/s per bot; the rest stays with moderators' commands. */
export const DISCORD_CALLS_PER_SECOND = 30;
/**
 * Per-guild spacing for write routes, a little under the limits clients observe (see above), so a
 * backlog in one guild drains without a storm of 429s. A 429 is still handled (see backoff.ts).
 */
export const GUILD_ROUTE_SPACING_MS = {
  /** PUT/DELETE bans: 5 per second per guild → 4 per second. */
  banWrite: 250,
  /** PATCH member (timeouts): 10 per 10 s per guild → 1 per second. */
  memberWrite: 1_000,
} as const;
export type GuildRoute = keyof typeof GUILD_ROUTE_SPACING_MS;

/**
 * The most requests one call of each kind can send: what is reserved before work starts. Discord:
 * the REST client retries a short 429 once in place, so a call may be two fetches, and each takes
 * its slot of the shared budget in Redis first (one EVAL fetch without retry; a global 429's hold
 * keeps the retry's slot): a call answered without a 429 costs 2. Redis: the Upstash client is
 * set to retry a failed fetch once. Neon's HTTP driver does not retry: one query or one batch is
 * one fetch. What is then charged is what the clients counted (see RequestMeter).
 */
export const SUBREQUEST_COST = {
  db: 1,
  redis: 2,
  discord: MAX_FETCHES_PER_CALL + MAX_BUDGET_EVALS_PER_CALL,
} as const;

/** What a Discord call answered without a 429 sends: its fetch and its budget slot's EVAL. */
export const DISCORD_CALL_SENDS = 2;

/**
 * Counts the requests of one piece of work as its clients send them (services.ts `countRequests`).
 * Each piece has its own, so pieces running side by side are settled separately.
 */
export class RequestMeter {
  #count = 0;

  get count(): number {
    return this.#count;
  }

  readonly add = (requests: number): void => {
    this.#count += requests;
  };
}

export interface Clock {
  /** Milliseconds, real time (not the tick's scheduled time). */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The subrequest and time allowance of one tick (or of one step, through `slice`). */
export class Budget {
  readonly limit: number;
  readonly #parent: Budget | null;
  readonly #deadline: number;
  readonly #clock: Clock;
  #spent = 0;

  constructor(options: { limit: number; deadline: number; clock: Clock; parent?: Budget | null }) {
    this.limit = options.limit;
    this.#deadline = options.deadline;
    this.#clock = options.clock;
    this.#parent = options.parent ?? null;
  }

  get spent(): number {
    return this.#spent;
  }

  get remaining(): number {
    const own = this.limit - this.#spent;
    return this.#parent ? Math.min(own, this.#parent.remaining) : own;
  }

  /** Whether the wall-clock allowance still has room to start something. */
  get timeLeft(): boolean {
    return this.#clock.now() < this.#deadline && (this.#parent?.timeLeft ?? true);
  }

  /** Takes `n` if the count allows; false (and nothing taken) otherwise. Time is checked by the caller (`timeLeft`). */
  take(n: number): boolean {
    if (n > this.remaining) return false;
    this.#charge(n);
    return true;
  }

  /** Charges `n` without asking (a clean-up that must happen); callers keep room for it. */
  charge(n: number): void {
    this.#charge(n);
  }

  /** Gives back what was reserved but not spent. */
  refund(n: number): void {
    const amount = Math.min(n, this.#spent);
    this.#spent -= amount;
    this.#parent?.refund(amount);
  }

  /** After work that reserved `reserved` and sent `used`: gives back the rest, or charges an overrun. */
  settle(reserved: number, used: number): void {
    if (used < reserved) this.refund(reserved - used);
    else this.#charge(used - reserved);
  }

  /** A budget for one step: at most `limit` of what this one has left, spending from it. */
  slice(limit: number): Budget {
    return new Budget({
      limit: Math.max(0, Math.min(limit, this.remaining)),
      deadline: this.#deadline,
      clock: this.#clock,
      parent: this,
    });
  }

  #charge(n: number): void {
    this.#spent += n;
    this.#parent?.charge(n);
  }
}

/**
 * Spaces Discord calls: one global slot every 1000/rate ms, and per guild and write route the
 * spacing above. `slot()` resolves when the call may start; slots are handed out in call order.
 */
export class DiscordPacer {
  readonly #clock: Clock;
  readonly #globalSpacingMs: number;
  #nextGlobal = 0;
  readonly #nextByKey = new Map<string, number>();

  constructor(clock: Clock, callsPerSecond = DISCORD_CALLS_PER_SECOND) {
    this.#clock = clock;
    this.#globalSpacingMs = callsPerSecond > 0 ? 1000 / callsPerSecond : 0;
  }

  async slot(route: { guildId: string; kind: GuildRoute } | null = null): Promise<void> {
    const now = this.#clock.now();
    const key = route ? `${route.kind}:${route.guildId}` : null;
    const routeReady = key ? (this.#nextByKey.get(key) ?? 0) : 0;
    const start = Math.max(now, this.#nextGlobal, routeReady);
    this.#nextGlobal = start + this.#globalSpacingMs;
    if (route && key) this.#nextByKey.set(key, start + GUILD_ROUTE_SPACING_MS[route.kind]);
    if (start > now) await this.#clock.sleep(start - now);
  }

  /** Nothing may start on this guild's route before `until` (a 429's retry_after). */
  holdRoute(route: { guildId: string; kind: GuildRoute }, until: number): void {
    const key = `${route.kind}:${route.guildId}`;
    this.#nextByKey.set(key, Math.max(this.#nextByKey.get(key) ?? 0, until));
  }
}

export type PoolDecision = 'start' | 'skip' | 'stop';

/**
 * Runs `work` over `items`, at most `concurrency` at a time, in order. Before each item `decide()`
 * says whether to start it, skip it (say its guild is rate limited) or stop starting anything.
 * Returns the items that were not started (skipped or never reached), in order.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  decide: (item: T) => PoolDecision,
  work: (item: T) => Promise<void>,
): Promise<T[]> {
  let next = 0;
  let stopped = false;
  const skipped: T[] = [];
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (!stopped && next < items.length) {
      const item = items[next] as T;
      const decision = decide(item);
      if (decision === 'stop') {
        stopped = true;
        break;
      }
      next += 1;
      if (decision === 'skip') skipped.push(item);
      else await work(item);
    }
  });
  await Promise.all(lanes);
  return [...skipped, ...items.slice(next)];
}
