// What Discord's rate-limit headers (and a 429's body) say, read once for both sides: the Worker's
// REST client (functions/discord/route-buckets.ts) and the relay's webhook client
// (worker/discord/rate-limits.ts). Pure.
//
// Discord (developers/topics/rate-limits): per-route limits are keyed by the route, the method and
// its top-level resource (a channel, a guild, a webhook id + token); routes sharing a limit answer
// the same X-RateLimit-Bucket. X-RateLimit-Scope and X-RateLimit-Global come only with a 429:
// "user" (this bot on this route), "shared" (the resource, for everyone; not counted as an invalid
// request) or "global" (the bot token's 50 requests/s across routes). Retry-After is whole seconds;
// the body's retry_after is fractional. The numbers must be read, never hard coded.

export type RateLimitScope = 'user' | 'shared' | 'global';

export interface RateLimitInfo {
  bucket: string | null;
  limit: number | null;
  /** Requests left in the current window, if Discord said. */
  remaining: number | null;
  /** Milliseconds until the window resets, if Discord said (Reset-After, else Reset). */
  resetAfterMs: number | null;
  /** Only with a 429. */
  scope: RateLimitScope | null;
  /** A 429's wait: the body's fractional retry_after, else Retry-After, else a second; null otherwise. */
  retryAfterMs: number | null;
  /** A 429 of the bot's global limit (X-RateLimit-Global, scope "global" or the body's `global`). */
  global: boolean;
}

interface HeaderSource {
  get(name: string): string | null;
}

const finite = (value: string | null | undefined): number | null => {
  if (value === null || value === undefined || value.trim() === '') return null;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : null;
};

/**
 * Reads a response's rate-limit headers, and a 429's JSON body when given (anything else is
 * ignored). With `nowMs`, a missing Reset-After is worked out from X-RateLimit-Reset (epoch seconds).
 */
export function readRateLimit(
  status: number,
  headers: HeaderSource,
  body?: unknown,
  nowMs?: number,
): RateLimitInfo {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const scopeHeader = headers.get('x-ratelimit-scope');
  const scope =
    scopeHeader === 'user' || scopeHeader === 'shared' || scopeHeader === 'global' ? scopeHeader : null;
  let resetAfter = finite(headers.get('x-ratelimit-reset-after'));
  if (resetAfter === null && nowMs !== undefined) {
    const reset = finite(headers.get('x-ratelimit-reset'));
    if (reset !== null) resetAfter = Math.max(0, reset - nowMs / 1000);
  }
  let retryAfterMs: number | null = null;
  if (status === 429) {
    const seconds =
      (typeof fields.retry_after === 'number' && fields.retry_after >= 0 ? fields.retry_after : null) ??
      finite(headers.get('retry-after')) ??
      1;
    retryAfterMs = Math.ceil(seconds * 1000);
  }
  const remaining = finite(headers.get('x-ratelimit-remaining'));
  return {
    bucket: headers.get('x-ratelimit-bucket'),
    limit: finite(headers.get('x-ratelimit-limit')),
    remaining: remaining === null ? null : Math.floor(remaining),
    resetAfterMs: resetAfter === null ? null : Math.ceil(resetAfter * 1000),
    scope,
    retryAfterMs,
    global:
      status === 429 &&
      ((headers.get('x-ratelimit-global') ?? '').toLowerCase() === 'true' ||
        scope === 'global' ||
        fields.global === true),
  };
}
