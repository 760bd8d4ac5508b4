// Reading Discord's rate-limit headers and a 429's body, as the Worker's REST client and the
// relay's webhook client both do.
import { describe, expect, it } from 'vitest';
import { readRateLimit } from './discord-rate-limits.ts';

const headers = (values: Record<string, string>) => new Headers(values);

describe('reading the rate-limit headers', () => {
  it('reads a bucket of a successful response', () => {
    const info = readRateLimit(
      200,
      headers({
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': '0.941',
        'x-ratelimit-bucket': 'f0e1',
      }),
    );
    expect(info).toEqual({
      bucket: 'f0e1',
      limit: 5,
      remaining: 0,
      resetAfterMs: 941,
      scope: null,
      retryAfterMs: null,
      global: false,
    });
  });

  it("takes a 429's fractional retry_after over the whole-second Retry-After, and knows a global one", () => {
    const global = readRateLimit(
      429,
      headers({ 'retry-after': '2', 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' }),
      { retry_after: 1.234, global: true },
    );
    expect(global).toMatchObject({ retryAfterMs: 1234, global: true, scope: 'global' });
    // Either signal alone says global.
    expect(readRateLimit(429, headers({ 'x-ratelimit-global': 'true' })).global).toBe(true);
    expect(readRateLimit(429, headers({}), { global: true }).global).toBe(true);
    const shared = readRateLimit(429, headers({ 'retry-after': '3', 'x-ratelimit-scope': 'shared' }));
    expect(shared).toMatchObject({ retryAfterMs: 3000, global: false, scope: 'shared' });
    // No figure at all: a second.
    expect(readRateLimit(429, headers({})).retryAfterMs).toBe(1000);
  });

  it('ignores what is not a number or a known scope', () => {
    const info = readRateLimit(
      429,
      headers({ 'x-ratelimit-remaining': 'soon', 'x-ratelimit-scope': 'everyone', 'retry-after': '-4' }),
      { retry_after: 'later' },
    );
    expect(info).toMatchObject({ remaining: null, scope: null, retryAfterMs: 1000, global: false });
    expect(readRateLimit(200, headers({ 'x-ratelimit-global': 'true' })).global).toBe(false);
  });

  it('works out the reset from X-RateLimit-Reset (epoch seconds) when Reset-After is missing', () => {
    const info = readRateLimit(
      200,
      headers({ 'x-ratelimit-remaining': '2', 'x-ratelimit-reset': '1000.5' }),
      undefined,
      999_000,
    );
    expect(info).toMatchObject({ remaining: 2, resetAfterMs: 1500 });
    expect(readRateLimit(200, headers({ 'x-ratelimit-reset': '1000.5' })).resetAfterMs).toBeNull();
  });

  it('ignores a body that is not JSON', () => {
    expect(readRateLimit(429, headers({ 'retry-after': '3' }), 'not json')).toMatchObject({
      retryAfterMs: 3000,
      global: false,
    });
  });
});
