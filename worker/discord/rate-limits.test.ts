import { describe, expect, it } from 'vitest';
import { readRateLimit } from '../../shared/discord-rate-limits.ts';
import { RateLimiter, retryDelay } from './rate-limits.ts';

const headers = (values: Record<string, string>) => new Headers(values);

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
      readRateLimit(200, headers({ 'x-ratelimit-remaining': '1', 'x-ratelimit-reset-after': '2' })),
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
    limiter.update('w1', 429, readRateLimit(429, headers({}), { retry_after: 1.5, global: false }));
    expect(limiter.wait('w1')).toEqual({ ms: 1500, reason: 'route' });
    expect(limiter.wait('w2').ms).toBe(0);
    limiter.update('w2', 429, readRateLimit(429, headers({}), { retry_after: 0.5, global: true }));
    expect(limiter.wait('w3')).toEqual({ ms: 500, reason: 'global' });
    time.advance(500);
    expect(limiter.wait('w3').ms).toBe(0);
    expect(limiter.wait('w1')).toEqual({ ms: 1000, reason: 'route' });
  });

  it('adds the safety margin to waits Discord asks for', () => {
    const time = clock();
    const limiter = new RateLimiter({ now: time.now, marginMs: 20 });
    limiter.update('w1', 429, readRateLimit(429, headers({ 'retry-after': '1' })));
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
    limiter.update('w1', 404, readRateLimit(404, headers({})));
    expect(limiter.invalidCount).toBe(0); // a 404 is not counted by Discord
    limiter.update('w1', 401, readRateLimit(401, headers({})));
    time.advance(1000);
    limiter.update('w2', 403, readRateLimit(403, headers({})));
    limiter.update(
      'w3',
      429,
      readRateLimit(429, headers({ 'x-ratelimit-scope': 'shared' }), { retry_after: 0 }),
    );
    expect(limiter.invalidCount).toBe(2); // a shared-scope 429 is not counted either
    limiter.update('w3', 429, readRateLimit(429, headers({}), { retry_after: 0 }));
    expect(limiter.wait('w9')).toEqual({ ms: 9000, reason: 'invalid_requests' });
    time.advance(9000);
    expect(limiter.wait('w9').ms).toBe(0);
  });
});
