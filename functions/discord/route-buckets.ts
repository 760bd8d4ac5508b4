// Per route bucket (X-RateLimit-Bucket, per top-level resource), as pure bookkeeping over a caller's
// clock: how many calls remain until it resets, read from each response (shared/discord-rate-limits.ts
// reads the headers), so a call on an empty bucket waits for the reset instead of earning a 429
// (each 429 counts toward Discord's invalid-request limit: 10,000 401/403/429 per 10 minutes bans
// the IP at Cloudflare; 429s of scope "shared" are not counted).
import type { RateLimitInfo } from '../../shared/discord-rate-limits.ts';

const MAJOR_RESOURCES = new Set(['channels', 'guilds', 'webhooks']);
const SNOWFLAKE = /^\d{15,25}$/;

/**
 * A route as Discord buckets it: `route` is the method and path with every id but the top-level
 * one replaced (`PUT /guilds/:major/bans/:id`), `major` the top-level resource (a webhook's id and
 * token together). Query strings do not matter.
 */
export function routeKey(method: string, path: string): { route: string; major: string } {
  const segments = (path.split('?')[0] ?? '').split('/').filter((segment) => segment !== '');
  let major = '';
  const shape = segments.map((segment, index) => {
    if (index === 1 && MAJOR_RESOURCES.has(segments[0] ?? '')) {
      major = segment;
      return ':major';
    }
    // A webhook's token (after its id) is part of the top-level resource.
    if (index === 2 && segments[0] === 'webhooks' && !SNOWFLAKE.test(segment) && segment !== 'messages') {
      major += `/${segment}`;
      return ':token';
    }
    return SNOWFLAKE.test(segment) ? ':id' : segment;
  });
  return { route: `${method.toUpperCase()} /${shape.join('/')}`, major };
}

interface BucketState {
  /** 0: unknown (a 429 without bucket headers). */
  limit: number;
  remaining: number;
  resetAt: number;
  /** The longest reset-after seen: how long a window lasts once a fresh one opens. */
  windowMs: number;
}

/** Expired buckets are dropped every this many reservations (one per guild, channel, webhook). */
const PRUNE_EVERY = 500;

/**
 * The buckets one process (a Worker isolate) has heard of. `reserve` before a call: 0 to go now
 * (a slot is taken locally, so calls in flight together do not all count on the same remaining),
 * else the milliseconds until the bucket resets. `update` with each response's headers.
 */
export class RouteBuckets {
  /** Route shape → the bucket Discord named for it. */
  readonly #bucketOf = new Map<string, string>();
  readonly #states = new Map<string, BucketState>();
  #reservations = 0;

  #key(method: string, path: string): string {
    const { route, major } = routeKey(method, path);
    return `${this.#bucketOf.get(route) ?? route}|${major}`;
  }

  reserve(method: string, path: string, now: number): number {
    if (++this.#reservations % PRUNE_EVERY === 0) this.#prune(now);
    const state = this.#states.get(this.#key(method, path));
    if (!state) return 0;
    if (now >= state.resetAt && state.limit === 0) {
      // Held after a 429 that named no limit: nothing is known past the hold.
      this.#states.delete(this.#key(method, path));
      return 0;
    }
    if (now >= state.resetAt) {
      // A fresh window: the limit again, until a response says how it really stands.
      state.remaining = state.limit;
      state.resetAt = now + state.windowMs;
    }
    if (state.remaining > 0) {
      state.remaining -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(state.resetAt - now));
  }

  update(method: string, path: string, info: RateLimitInfo, now: number): void {
    const { route } = routeKey(method, path);
    if (info.bucket) this.#bucketOf.set(route, info.bucket);
    if (info.remaining === null || info.resetAfterMs === null || info.limit === null) return;
    const key = this.#key(method, path);
    const resetAt = now + info.resetAfterMs;
    const known = this.#states.get(key);
    const windowMs = Math.max(known?.windowMs ?? 0, info.resetAfterMs);
    // Within the same window, answers of calls sent together arrive in any order: the lowest wins.
    const sameWindow = known !== undefined && Math.abs(known.resetAt - resetAt) < 50 && now < known.resetAt;
    const remaining = sameWindow ? Math.min(known.remaining, info.remaining) : info.remaining;
    this.#states.set(key, { limit: info.limit, remaining, resetAt, windowMs });
  }

  /** A 429 on this route: nothing goes before `retryAfterMs` from now. */
  hold(method: string, path: string, retryAfterMs: number, now: number): void {
    const key = this.#key(method, path);
    const known = this.#states.get(key);
    const resetAt = Math.max(known?.resetAt ?? 0, now + retryAfterMs);
    this.#states.set(key, {
      limit: known?.limit ?? 0,
      remaining: 0,
      resetAt,
      windowMs: Math.max(known?.windowMs ?? 0, retryAfterMs),
    });
  }

  #prune(now: number): void {
    for (const [key, state] of this.#states)
      if (now >= state.resetAt + state.windowMs) this.#states.delete(key);
  }
}

/** What to do about a rate limit: wait `ms` (it fits what the call may still wait), or fail now. */
export type WaitDecision = { kind: 'wait'; ms: number } | { kind: 'fail'; retryAfterMs: number };

/** A wait that would take the call past what it may still wait fails fast instead (nothing sent). */
export function decideWait(ms: number, allowanceMs: number): WaitDecision {
  if (ms <= 0) return { kind: 'wait', ms: 0 };
  return ms <= allowanceMs ? { kind: 'wait', ms } : { kind: 'fail', retryAfterMs: ms };
}
