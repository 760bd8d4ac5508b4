// The rate-limit bookkeeping from Discord's headers: what the headers say, how routes are keyed,
// when a call on an emptied bucket waits, and when a wait fails fast instead.
import { describe, expect, it } from 'vitest';
import { decideWait, type RateLimitInfo, RouteBuckets, readRateLimit, routeKey } from './route-buckets.ts';

const headers = (values: Record<string, string>) => new Headers(values);
const GUILD = '123456789012345678';
const OTHER_GUILD = '223456789012345678';
const USER = '323456789012345678';

/** What a response of a bucket says: `remaining` of `limit`, resetting after `resetAfterMs`. */
const said = (remaining: number, resetAfterMs: number, bucket = 'abc', limit = 5): RateLimitInfo => ({
  bucket,
  limit,
  remaining,
  resetAfterMs,
  scope: null,
  retryAfterMs: null,
  global: false,
});

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
});

describe('route keys', () => {
  it('keeps the top-level resource and drops the other ids', () => {
    expect(routeKey('put', `/guilds/${GUILD}/bans/${USER}`)).toEqual({
      route: 'PUT /guilds/:major/bans/:id',
      major: GUILD,
    });
    expect(routeKey('GET', `/guilds/${GUILD}/members?limit=1000&after=0`)).toEqual({
      route: 'GET /guilds/:major/members',
      major: GUILD,
    });
    expect(routeKey('GET', `/users/${USER}`)).toEqual({ route: 'GET /users/:id', major: '' });
  });

  it("counts a webhook's token as part of its resource", () => {
    const edit = routeKey('PATCH', `/webhooks/${USER}/aW50ZXJhY3Rpb24/messages/@original`);
    expect(edit).toEqual({
      route: 'PATCH /webhooks/:major/:token/messages/@original',
      major: `${USER}/aW50ZXJhY3Rpb24`,
    });
    expect(routeKey('DELETE', `/webhooks/${USER}`)).toEqual({
      route: 'DELETE /webhooks/:major',
      major: USER,
    });
  });
});

describe('route buckets', () => {
  const ban = (guild: string) => `/guilds/${guild}/bans/${USER}`;

  it('lets calls go until the headers say the bucket is empty, then waits for its reset', () => {
    const buckets = new RouteBuckets();
    expect(buckets.reserve('PUT', ban(GUILD), 0)).toBe(0);
    buckets.update('PUT', ban(GUILD), said(1, 1000), 10);
    expect(buckets.reserve('PUT', ban(GUILD), 20)).toBe(0);
    // The one remaining was taken locally: the next waits until the reset at 1010.
    expect(buckets.reserve('PUT', ban(GUILD), 30)).toBe(980);
    // Another guild is another bucket.
    expect(buckets.reserve('PUT', ban(OTHER_GUILD), 30)).toBe(0);
    // After the reset a fresh window of the limit opens.
    for (let i = 0; i < 5; i += 1) expect(buckets.reserve('PUT', ban(GUILD), 1010 + i)).toBe(0);
    expect(buckets.reserve('PUT', ban(GUILD), 1020)).toBe(990);
  });

  it('shares a bucket between routes Discord names the same', () => {
    const buckets = new RouteBuckets();
    buckets.update('PUT', ban(GUILD), said(0, 500, 'bans'), 0);
    buckets.update('DELETE', ban(GUILD), said(0, 500, 'bans'), 0);
    expect(buckets.reserve('DELETE', ban(GUILD), 100)).toBe(400);
    expect(buckets.reserve('PUT', ban(GUILD), 100)).toBe(400);
  });

  it('keeps the lowest remaining of answers from the same window arriving out of order', () => {
    const buckets = new RouteBuckets();
    buckets.update('PUT', ban(GUILD), said(0, 1000), 0);
    buckets.update('PUT', ban(GUILD), said(3, 990), 10);
    expect(buckets.reserve('PUT', ban(GUILD), 20)).toBe(980);
  });

  it('holds a route after a 429 for its retry_after, and forgets a hold that named no limit', () => {
    const buckets = new RouteBuckets();
    buckets.hold('PUT', ban(GUILD), 2500, 0);
    expect(buckets.reserve('PUT', ban(GUILD), 1000)).toBe(1500);
    expect(buckets.reserve('PUT', ban(GUILD), 2500)).toBe(0);
    expect(buckets.reserve('PUT', ban(GUILD), 2501)).toBe(0);
  });
});

describe('waiting or failing fast', () => {
  it('waits only when the wait fits what the call may still wait', () => {
    expect(decideWait(0, 0)).toEqual({ kind: 'wait', ms: 0 });
    expect(decideWait(400, 1000)).toEqual({ kind: 'wait', ms: 400 });
    expect(decideWait(1000, 1000)).toEqual({ kind: 'wait', ms: 1000 });
    expect(decideWait(1001, 1000)).toEqual({ kind: 'fail', retryAfterMs: 1001 });
    expect(decideWait(12_500, 0)).toEqual({ kind: 'fail', retryAfterMs: 12_500 });
  });
});
