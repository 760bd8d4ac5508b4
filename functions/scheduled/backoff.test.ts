import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { pendingActions } from '../../db/schema.ts';
import { DiscordApiError } from '../discord/rest.ts';
import {
  afterCountedFailure,
  afterFailure,
  classifyFailure,
  cumulativeRetryDelayMs,
  cumulativeRetryDelaySql,
  describeMissing,
  failureForGuild,
  REPORT_TRANSIENT_AFTER_ATTEMPTS,
  RETRY_BASE_DELAY_MS,
  RETRY_CAP_ATTEMPTS,
  RETRY_MAX_DELAY_MS,
  retryDelayMs,
} from './backoff.ts';

const MINUTE = 60_000;
const discordError = (status: number, code = 0, retryAfterSeconds: number | null = null) =>
  new DiscordApiError({
    kind: 'http',
    method: 'DELETE',
    route: '/guilds/1/bans/2',
    status,
    code,
    discordMessage: 'x',
    retryAfterSeconds,
  });

describe('retry delays', () => {
  it('double from one minute and stay at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(retryDelayMs)).toEqual(
      [1, 2, 4, 8, 16, 32, 64, 64, 64].map((m) => m * MINUTE),
    );
    expect(RETRY_BASE_DELAY_MS).toBe(MINUTE);
    expect(RETRY_MAX_DELAY_MS).toBe(64 * MINUTE);
    expect(RETRY_CAP_ATTEMPTS).toBe(7);
  });

  it('add up as the SQL used for pending_actions computes them', () => {
    // The SQL mirrors the closed form; check the closed form against the sum for many counts.
    for (let a = 0; a <= 30; a += 1) {
      const closed =
        a <= RETRY_CAP_ATTEMPTS
          ? (2 ** a - 1) * RETRY_BASE_DELAY_MS
          : (2 ** RETRY_CAP_ATTEMPTS - 1) * RETRY_BASE_DELAY_MS +
            (a - RETRY_CAP_ATTEMPTS) * RETRY_MAX_DELAY_MS;
      expect(cumulativeRetryDelayMs(a)).toBe(closed);
    }
    const query = new PgDialect().sqlToQuery(cumulativeRetryDelaySql(pendingActions.reconcileAttempts));
    expect(query.sql).toContain('power(2, "pending_actions"."reconcile_attempts") - 1) * 60000');
    expect(query.sql).toContain(
      `else ${127 * MINUTE} + ("pending_actions"."reconcile_attempts" - 7) * ${64 * MINUTE}`,
    );
  });
});

describe('classifyFailure', () => {
  it('tells rate limits, passing failures and refusals apart', () => {
    expect(classifyFailure(discordError(429, 0, 2.5))).toEqual({ kind: 'rate_limited', retryAfterMs: 2500 });
    expect(classifyFailure(discordError(503)).kind).toBe('transient');
    expect(classifyFailure(discordError(500)).kind).toBe('transient');
    expect(
      classifyFailure(
        new DiscordApiError({
          kind: 'timeout',
          method: 'DELETE',
          route: '/x',
          status: 0,
          code: 0,
          discordMessage: 'timed out',
        }),
      ).kind,
    ).toBe('transient');
    expect(classifyFailure(discordError(403, 50013)).kind).toBe('permanent');
    expect(classifyFailure(discordError(404, 10004)).kind).toBe('permanent');
    // The database (or anything that is not Discord) failing is passing.
    expect(classifyFailure(new Error('fetch failed')).kind).toBe('transient');
  });

  it('names what is missing', () => {
    expect(describeMissing(discordError(403, 50013), 'Ban Members')).toContain('Ban Members permission');
    expect(describeMissing(discordError(403, 50001), 'Ban Members')).toContain('Missing Access');
    expect(describeMissing(discordError(404, 10004), 'Ban Members')).toContain('no longer in it');
    expect(describeMissing(discordError(503), 'Ban Members')).toContain('Discord keeps failing');
  });
});

describe('afterFailure', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const at = (ms: number) => new Date(now.getTime() + ms);

  it('backs off a passing failure and reports it once, after about an hour of them', () => {
    let state = { attempts: 0, reportedAt: null as Date | null };
    const reports: number[] = [];
    for (let i = 1; i <= 10; i += 1) {
      const next = afterFailure(state, 'transient', now);
      expect(next.nextAttemptAt).toEqual(at(retryDelayMs(i)));
      if (next.report) reports.push(next.attempts);
      state = { attempts: next.attempts, reportedAt: next.report ? now : state.reportedAt };
    }
    expect(reports).toEqual([REPORT_TRANSIENT_AFTER_ATTEMPTS]);
  });

  it('reports a permanent failure at once, and never again, retrying at the longest delay', () => {
    const first = afterFailure({ attempts: 0, reportedAt: null }, 'permanent', now);
    expect(first).toEqual({ attempts: 1, nextAttemptAt: at(RETRY_MAX_DELAY_MS), report: true });
    const second = afterFailure({ attempts: 1, reportedAt: now }, 'permanent', now);
    expect(second).toEqual({ attempts: 2, nextAttemptAt: at(RETRY_MAX_DELAY_MS), report: false });
  });
});

describe('afterCountedFailure (rows without a reported column)', () => {
  it('reports a permanent failure once, jumping to the longest delay', () => {
    const first = afterCountedFailure(0, 'permanent');
    expect(first).toEqual({ attempts: RETRY_CAP_ATTEMPTS, report: true });
    expect(afterCountedFailure(first.attempts, 'permanent').report).toBe(false);
    expect(afterCountedFailure(first.attempts, 'transient').report).toBe(false);
  });

  it('reports passing failures once, when they reach the threshold', () => {
    const reports: number[] = [];
    let attempts = 0;
    for (let i = 0; i < 12; i += 1) {
      const next = afterCountedFailure(attempts, 'transient');
      if (next.report) reports.push(next.attempts);
      attempts = next.attempts;
    }
    expect(reports).toEqual([REPORT_TRANSIENT_AFTER_ATTEMPTS]);
  });
});

describe('failureForGuild', () => {
  it('says what failed in a plain sentence, never the error text', () => {
    const sqlError = new Error(
      'Failed query: insert into "pending_actions" values ($1) params: 1 — connect ECONNREFUSED db.internal.example:5432',
    );
    expect(failureForGuild(sqlError)).toBe('The database was unreachable.');
    expect(failureForGuild(discordError(503))).toBe('Discord failed with HTTP 503.');
    const refused = new DiscordApiError({
      kind: 'http',
      method: 'DELETE',
      route: '/guilds/1/bans/2',
      status: 403,
      code: 50013,
      discordMessage: 'Missing Permissions',
    });
    expect(failureForGuild(refused)).toBe('Discord refused: Missing Permissions (50013).');
    const timedOut = new DiscordApiError({
      kind: 'timeout',
      method: 'DELETE',
      route: '/guilds/1/bans/2',
      status: 0,
      code: 0,
      discordMessage: 'timed out',
    });
    expect(failureForGuild(timedOut)).toBe('Discord did not answer in time.');
  });
});
