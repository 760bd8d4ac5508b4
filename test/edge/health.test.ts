// Health: `GET /health` is a public liveness answer that touches nothing; `GET /health/deep` checks
// the database and Redis, only for a caller with HEALTH_TOKEN, and words its answer plainly.
import { describe, expect, it } from 'vitest';
import type { Env } from '../../functions/env.ts';
import { callWorker, UNREACHABLE } from '../support/edge.ts';

const TOKEN = 'health-token-for-tests';
const withToken: Partial<Env> = { HEALTH_TOKEN: TOKEN };

const deep = (token?: string) =>
  new Request('http://lockdown.test/health/deep', {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe('GET /health', () => {
  it('answers 200 ok without asking the database or Redis', async () => {
    const response = await callWorker(new Request('http://lockdown.test/health'), {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:9/lockdown',
      UPSTASH_REDIS_REST_URL: UNREACHABLE,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
  });
});

describe('GET /health/deep', () => {
  it('is off (404) when no HEALTH_TOKEN is configured', async () => {
    const response = await callWorker(deep(TOKEN), { HEALTH_TOKEN: '' });
    expect(response.status).toBe(404);
  });

  it('refuses a caller without the token, or with another one', async () => {
    expect((await callWorker(deep(), withToken)).status).toBe(401);
    expect((await callWorker(deep('not-the-token'), withToken)).status).toBe(401);
  });

  it('reports both dependencies up', async () => {
    const response = await callWorker(deep(TOKEN), withToken);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok', redis: 'ok' });
  });

  it('is 503 when Redis is down', async () => {
    const response = await callWorker(deep(TOKEN), { ...withToken, UPSTASH_REDIS_REST_URL: UNREACHABLE });
    expect(response.status).toBe(503);
    const body = (await response.json()) as Record<string, string>;
    expect(body.database).toBe('ok');
    expect(body.redis).toMatch(/^down/);
  });

  it('is 503 when the database is down, in plain words: no connection string, no error text', async () => {
    const response = await callWorker(deep(TOKEN), {
      ...withToken,
      DATABASE_URL: 'postgres://lockdown:s3cret-password@127.0.0.1:9/lockdown',
    });
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(text).toMatch(/"database":"down/);
    expect(text).not.toContain('s3cret-password');
    expect(JSON.parse(text)).toEqual({ status: 'degraded', database: 'down', redis: 'ok' });
  });
});
