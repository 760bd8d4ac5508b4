import { describe, expect, it } from 'vitest';
import {
  type BucketRule,
  bucketHash,
  bucketHeaders,
  currentWindow,
  RateLimiter,
  rateLimitedResponse,
  rules,
} from './rate-limits.ts';

const rule: BucketRule = { name: 'test', limit: 2, windowMs: 1000 };
const ref = (key: string, r: BucketRule = rule) => ({ key, rule: r });

function clock(start = 1_700_000_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('currentWindow', () => {
  it('opens a window at the first request and keeps it until it runs out', () => {
    const first = currentWindow(undefined, rule, 100);
    expect(first).toEqual({ count: 0, resetAt: 1100 });
    const used = { count: 2, resetAt: 1100 };
    expect(currentWindow(used, rule, 1099)).toBe(used);
    expect(currentWindow(used, rule, 1100)).toEqual({ count: 0, resetAt: 2100 });
  });
});

describe('bucketHeaders', () => {
  it('reports limit, remaining, fractional reset times and an opaque bucket', () => {
    const headers = bucketHeaders(rule, { count: 1, resetAt: 1_700_000_000_500 }, 1_700_000_000_000);
    expect(headers).toEqual({
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '1',
      'x-ratelimit-reset': '1700000000.500',
      'x-ratelimit-reset-after': '0.500',
      'x-ratelimit-bucket': bucketHash(rule),
    });
    expect(bucketHash(rule)).toMatch(/^[0-9a-f]{32}$/);
    expect(bucketHash(rules.webhookExecute)).not.toBe(bucketHash(rules.banWrite));
  });
});

describe('rateLimitedResponse', () => {
  it('words the body by scope and rounds Retry-After up to whole seconds', () => {
    expect(rateLimitedResponse('user', 1234)).toEqual({
      body: { message: 'You are being rate limited.', retry_after: 1.234, global: false },
      headers: { 'retry-after': '2', 'x-ratelimit-scope': 'user' },
    });
    expect(rateLimitedResponse('shared', 500).body.message).toBe('The resource is being rate limited.');
    expect(rateLimitedResponse('global', 500)).toEqual({
      body: { message: 'You are being rate limited.', retry_after: 0.5, global: true },
      headers: { 'retry-after': '1', 'x-ratelimit-scope': 'global', 'x-ratelimit-global': 'true' },
    });
  });
});

describe('RateLimiter', () => {
  it('allows `limit` requests per window, then 429s until the window resets', () => {
    const time = clock();
    const limiter = new RateLimiter(time.now);
    const request = { global: null, route: ref('a'), shared: [] };
    expect(limiter.take(request)).toMatchObject({ allowed: true, headers: { 'x-ratelimit-remaining': '1' } });
    expect(limiter.take(request)).toMatchObject({ allowed: true, headers: { 'x-ratelimit-remaining': '0' } });
    time.advance(400);
    const refused = limiter.take(request);
    expect(refused).toMatchObject({
      allowed: false,
      scope: 'user',
      body: { retry_after: 0.6, global: false },
      headers: { 'retry-after': '1', 'x-ratelimit-scope': 'user', 'x-ratelimit-remaining': '0' },
    });
    time.advance(600);
    expect(limiter.take(request)).toMatchObject({ allowed: true, headers: { 'x-ratelimit-remaining': '1' } });
  });

  it('keeps buckets per resource', () => {
    const limiter = new RateLimiter(clock().now);
    for (let i = 0; i < 2; i++) limiter.take({ global: null, route: ref('guild-1'), shared: [] });
    expect(limiter.take({ global: null, route: ref('guild-1'), shared: [] }).allowed).toBe(false);
    expect(limiter.take({ global: null, route: ref('guild-2'), shared: [] }).allowed).toBe(true);
  });

  it('checks the global limit first and answers it with scope global', () => {
    const limiter = new RateLimiter(clock().now);
    const global = ref('token', { name: 'global', limit: 1, windowMs: 1000 });
    expect(limiter.take({ global, route: ref('a'), shared: [] }).allowed).toBe(true);
    const refused = limiter.take({ global, route: ref('b'), shared: [] });
    expect(refused).toMatchObject({
      allowed: false,
      scope: 'global',
      headers: { 'x-ratelimit-global': 'true' },
    });
  });

  it('answers a shared limit with scope shared and the route bucket as it stands', () => {
    const limiter = new RateLimiter(clock().now);
    const shared = ref('channel', { name: 'channel', limit: 1, windowMs: 60_000 });
    expect(limiter.take({ global: null, route: ref('hook-1'), shared: [shared] }).allowed).toBe(true);
    const refused = limiter.take({ global: null, route: ref('hook-2'), shared: [shared] });
    expect(refused).toMatchObject({
      allowed: false,
      scope: 'shared',
      body: { message: 'The resource is being rate limited.', retry_after: 60 },
      headers: { 'x-ratelimit-scope': 'shared', 'x-ratelimit-remaining': '2', 'retry-after': '60' },
    });
  });

  it('does not count a refused request against any bucket', () => {
    const time = clock();
    const limiter = new RateLimiter(time.now);
    const shared = ref('channel', { name: 'channel', limit: 1, windowMs: 60_000 });
    limiter.take({ global: null, route: ref('hook'), shared: [shared] });
    limiter.take({ global: null, route: ref('hook'), shared: [shared] });
    // The route bucket saw one request, not two.
    expect(limiter.take({ global: null, route: ref('hook'), shared: [] })).toMatchObject({
      allowed: true,
      headers: { 'x-ratelimit-remaining': '0' },
    });
  });

  it('enforces webhook execution at 5 per 2 s', () => {
    const time = clock();
    const limiter = new RateLimiter(time.now);
    const request = { global: null, route: ref('hook', rules.webhookExecute), shared: [] };
    for (let i = 0; i < 5; i++) expect(limiter.take(request).allowed).toBe(true);
    time.advance(1999);
    expect(limiter.take(request).allowed).toBe(false);
    time.advance(1);
    expect(limiter.take(request).allowed).toBe(true);
  });
});
