// Discord rate-limit bookkeeping for the relay's webhook calls, as small pure logic with an injected
// clock (unit-tested in rate-limits.test.ts):
// - per webhook: the X-RateLimit-Remaining / -Reset-After headers of every answer, and a 429's
//   retry_after, close that webhook until its window resets;
// - globally: a 429 flagged global closes every route; a pacer keeps all requests under a steady
//   rate; and an invalid-request guard pauses everything before Discord's IP ban (10,000 responses
//   of 401/403/429 in 10 minutes) could come near.
// See https://discord.com/developers/docs/topics/rate-limits. The headers are read by
// shared/discord-rate-limits.ts, as the Worker's REST client reads them.
import type { RateLimitInfo } from '../../shared/discord-rate-limits.ts';

/**
 * The delay before retry number `attempt` (1 = the first retry) of a failed call: exponential from
 * `baseMs`, capped at `maxMs`, with "equal jitter" (between half and all of it) so relays that failed
 * together do not retry together.
 */
export function retryDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}

export interface RateLimiterOptions {
  now?: () => number;
  /** Steady cap on all requests (Discord's global limit is 50 per second). */
  globalPerSecond?: number;
  /** Invalid requests (401, 403, non-shared 429) allowed per window before pausing everything. */
  invalidLimit?: number;
  invalidWindowMs?: number;
  /** Added to every wait Discord asks for, against clock skew between us and Discord. */
  marginMs?: number;
}

interface Bucket {
  remaining: number | null;
  resetAt: number;
}

/** Why a request has to wait, for metrics and logs. */
export type WaitReason = 'route' | 'global' | 'pacer' | 'invalid_requests';

export class RateLimiter {
  readonly #now: () => number;
  readonly #intervalMs: number;
  readonly #invalidLimit: number;
  readonly #invalidWindowMs: number;
  readonly #marginMs: number;
  readonly #buckets = new Map<string, Bucket>();
  #globalUntil = 0;
  #nextSlot = 0;
  #invalid: number[] = [];

  constructor(options: RateLimiterOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#intervalMs = 1000 / (options.globalPerSecond ?? 50);
    this.#invalidLimit = options.invalidLimit ?? 1000;
    this.#invalidWindowMs = options.invalidWindowMs ?? 10 * 60_000;
    this.#marginMs = options.marginMs ?? 0;
  }

  /** How long a request on `key` must wait now (0: it may go), and why. */
  wait(key: string): { ms: number; reason: WaitReason | null } {
    const now = this.#now();
    this.#dropOldInvalid(now);
    if (this.#invalid.length >= this.#invalidLimit) {
      return { ms: (this.#invalid[0] as number) + this.#invalidWindowMs - now, reason: 'invalid_requests' };
    }
    if (this.#globalUntil > now) return { ms: this.#globalUntil - now, reason: 'global' };
    const bucket = this.#buckets.get(key);
    if (bucket && bucket.resetAt > now && bucket.remaining !== null && bucket.remaining <= 0) {
      return { ms: bucket.resetAt - now, reason: 'route' };
    }
    if (this.#nextSlot > now) return { ms: this.#nextSlot - now, reason: 'pacer' };
    return { ms: 0, reason: null };
  }

  /** Records that a request on `key` is being sent (call only when {@link wait} returned 0). */
  take(key: string): void {
    const now = this.#now();
    this.#nextSlot = Math.max(now, this.#nextSlot) + this.#intervalMs;
    const bucket = this.#buckets.get(key);
    if (bucket && bucket.remaining !== null) {
      if (bucket.resetAt <= now) bucket.remaining = null;
      else bucket.remaining -= 1;
    }
  }

  /** Updates `key` from an answer's headers (and, for a 429, closes the route or everything). */
  update(key: string, status: number, info: RateLimitInfo): void {
    const now = this.#now();
    if (status === 429) {
      const wait = (info.retryAfterMs ?? info.resetAfterMs ?? 1000) + this.#marginMs;
      if (info.global) {
        this.#globalUntil = Math.max(this.#globalUntil, now + wait);
      } else {
        this.#buckets.set(key, { remaining: 0, resetAt: now + wait });
      }
      if (info.scope !== 'shared') this.recordInvalid();
      return;
    }
    if (status === 401 || status === 403) this.recordInvalid();
    if (info.remaining !== null && info.resetAfterMs !== null) {
      this.#buckets.set(key, {
        remaining: info.remaining,
        resetAt: now + info.resetAfterMs + this.#marginMs,
      });
    }
  }

  /** Counts a response that Discord counts towards its invalid-request ban. */
  recordInvalid(): void {
    this.#invalid.push(this.#now());
  }

  /** Invalid requests counted in the current window. */
  get invalidCount(): number {
    this.#dropOldInvalid(this.#now());
    return this.#invalid.length;
  }

  /** Forgets buckets whose window ended long ago, so the map does not grow with every webhook ever seen. */
  prune(): void {
    const now = this.#now();
    for (const [key, bucket] of this.#buckets) if (bucket.resetAt < now - 60_000) this.#buckets.delete(key);
  }

  #dropOldInvalid(now: number): void {
    let drop = 0;
    while (drop < this.#invalid.length && (this.#invalid[drop] as number) <= now - this.#invalidWindowMs)
      drop++;
    if (drop) this.#invalid = this.#invalid.slice(drop);
  }
}
