// The route-bucket bookkeeping from Discord's headers: how routes are keyed, when a call on an
// emptied bucket waits, and when a wait fails fast instead.
import { describe, expect, it } from 'vitest';
import type { RateLimitInfo } from '../../shared/discord-rate-limits.ts';
import { decideWait, RouteBuckets, routeKey } from './route-buckets.ts';

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
