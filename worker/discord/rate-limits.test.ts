import { describe, expect, it } from 'vitest';
import { parseRateLimit, RateLimiter, retryDelay } from './rate-limits.ts';

const headers = (values: Record<string, string>) => new Headers(values);

describe('parseRateLimit', () => {
  it('reads the per-route headers', () => {
    const info = parseRateLimit(
      headers({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset-After': '1.234' }),
    );
    expect(info).toEqual({
      remaining: 0,
      resetAfterMs: 1234,
      retryAfterMs: null,
      global: false,
      scope: null,
    });
  });

  it('falls back to X-RateLimit-Reset (epoch seconds) when Reset-After is missing', () => {
    const info = parseRateLimit(
      headers({ 'x-ratelimit-remaining': '2', 'x-ratelimit-reset': '1000.5' }),
      undefined,
      999_000,
    );
    expect(info.resetAfterMs).toBe(1500);
  });

  it('prefers the body retry_after of a 429 over Retry-After, and sees a global limit', () => {
    const info = parseRateLimit(headers({ 'retry-after': '3' }), { retry_after: 0.25, global: true });
    expect(info.retryAfterMs).toBe(250);
    expect(info.global).toBe(true);
    expect(parseRateLimit(headers({ 'retry-after': '3' })).retryAfterMs).toBe(3000);
    expect(parseRateLimit(headers({ 'x-ratelimit-global': 'true' })).global).toBe(true);
    expect(parseRateLimit(headers({ 'x-ratelimit-scope': 'global' })).global).toBe(true);
  });

  it('ignores garbage', () => {
    expect(
      parseRateLimit(headers({ 'x-ratelimit-remaining': 'lots', 'retry-after': '' }), 'not json'),
    ).toEqual({
      remaining: null,
      resetAfterMs: null,
      retryAfterMs: null,
      global: false,
      scope: null,
    });
  });
});

describe('retryDelay', () => {
  it('grows exponentially up to the cap, with jitter between half and all of it', () => {
    expect(retryDelay(1, 100, 10_000, () => 0)).toBe(50);
    expect(retryDelay(1, 100, 10_000, () => 1)).toBe(100);
    expect(retryDelay(4, 100, 10_000, () => 1)).toBe(800);
    expect(retryDelay(20, 100, 10_000, () => 1)).toBe(10_000);
    const delays = Array.from({ length: 50 }, () => retryDelay(3, 100, 10_000));
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(200);
    for (const d of delays) expect(d).toBeLessThanOrEqual(400);
  });
});

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('RateLimiter', () => {
  it('lets requests through until the headers say the window is spent', () => {
    const time = clock();
    const limiter = new RateLimiter({ now: time.now, globalPerSecond: 1000 });
    expect(limiter.wait('w1').ms).toBe(0);
    limiter.take('w1');
    limiter.update(
      'w1',
      200,
      parseRateLimit(headers({ 'x-ratelimit-remaining': '1', 'x-ratelimit-reset-after': '2' })),
    );
    time.advance(10);
    expect(limiter.wait('w1').ms).toBe(0);
    limiter.take('w1'); // the last one of the window
    expect(limiter.wait('w1')).toEqual({ ms: 1990, reason: 'route' });
    time.advance(1); // past the pacer's slot
    expect(limiter.wait('w2').ms).toBe(0); // other webhooks are not concerned
    time.advance(1989);
    expect(limiter.wait('w1').ms).toBe(0);
  });

  it('closes a route for retry_after after a 429, and everything after a global 429', () => {
    const time = clock();
    const limiter = new RateLimiter({ now: time.now, globalPerSecond: 1000 });
    limiter.update('w1', 429, parseRateLimit(headers({}), { retry_after: 1.5, global: false }));
    expect(limiter.wait('w1')).toEqual({ ms: 1500, reason: 'route' });
    expect(limiter.wait('w2').ms).toBe(0);
    limiter.update('w2', 429, parseRateLimit(headers({}), { retry_after: 0.5, global: true }));
    expect(limiter.wait('w3')).toEqual({ ms: 500, reason: 'global' });
    time.advance(500);
    expect(limiter.wait('w3').ms).toBe(0);
    expect(limiter.wait('w1')).toEqual({ ms: 1000, reason: 'route' });
  });

  it('adds the safety margin to waits Discord asks for', () => {
    const time = clock();
    const limiter = new RateLimiter({ now: time.now, marginMs: 20 });
    limiter.update('w1', 429, parseRateLimit(headers({ 'retry-after': '1' })));
    expect(limiter.wait('w1').ms).toBe(1020);
  });

  it('paces all requests to the global rate', () => {
    const time = clock();
    const limiter = new RateLimiter({ now: time.now, globalPerSecond: 10 });
    limiter.take('a');
    expect(limiter.wait('b')).toEqual({ ms: 100, reason: 'pacer' });
    time.advance(100);
    expect(limiter.wait('b').ms).toBe(0);
  });

  it('pauses everything when invalid requests pile up, until they age out of the window', () => {
    const time = clock();
    const limiter = new RateLimiter({
      now: time.now,
      invalidLimit: 3,
      invalidWindowMs: 10_000,
      globalPerSecond: 1000,
    });
    limiter.update('w1', 404, parseRateLimit(headers({})));
    expect(limiter.invalidCount).toBe(0); // a 404 is not counted by Discord
    limiter.update('w1', 401, parseRateLimit(headers({})));
    time.advance(1000);
    limiter.update('w2', 403, parseRateLimit(headers({})));
    limiter.update('w3', 429, parseRateLimit(headers({ 'x-ratelimit-scope': 'shared' }), { retry_after: 0 }));
    expect(limiter.invalidCount).toBe(2); // a shared-scope 429 is not counted either
    limiter.update('w3', 429, parseRateLimit(headers({}), { retry_after: 0 }));
    expect(limiter.wait('w9')).toEqual({ ms: 9000, reason: 'invalid_requests' });
    time.advance(9000);
    expect(limiter.wait('w9').ms).toBe(0);
  });
});
