// The Upstash REST stand-in, driven by the real @upstash/redis client: what the Worker sends must
// come back as Upstash would answer it.
import { Redis, type RedisConfigNodejs } from '@upstash/redis';
import { Redis as IORedis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstashRestServer, type UpstashRestServer } from '../../dev/upstash-rest-server.ts';
import { TEST_REDIS_URL } from '../support/services.ts';

let server: UpstashRestServer;
let direct: IORedis;
const key = (name: string) => `test:upstash:${crypto.randomUUID()}:${name}`;

beforeAll(async () => {
  server = await startUpstashRestServer({ redisUrl: TEST_REDIS_URL, token: 'secret-token' });
  direct = new IORedis(TEST_REDIS_URL);
});
afterAll(async () => {
  await server.close();
  direct.disconnect();
});

const client = (options: Partial<RedisConfigNodejs> = {}) =>
  new Redis({ url: server.url, token: 'secret-token', enableTelemetry: false, retry: false, ...options });

describe('Upstash REST stand-in', () => {
  it('runs single commands with base64 replies decoded by the client', async () => {
    const redis = client({ automaticDeserialization: false });
    const k = key('str');
    expect(await redis.set(k, 'héllo ✓')).toBe('OK');
    expect(await redis.get(k)).toBe('héllo ✓');
    expect(await redis.incr(key('n'))).toBe(1);
    expect(await redis.get(key('missing'))).toBeNull();
  });

  it('runs MULTI/EXEC atomically: XADD and PUBLISH land together', async () => {
    const redis = client({ automaticDeserialization: false });
    const stream = key('stream');
    const channel = key('channel');
    const subscriber = new IORedis(TEST_REDIS_URL);
    const heard: string[] = [];
    subscriber.on('message', (_c: string, m: string) => heard.push(m));
    await subscriber.subscribe(channel);
    const results = await redis
      .multi()
      .xadd(stream, '*', { event: '{"a":1}' })
      .publish(channel, '{"a":1}')
      .exec();
    expect(results).toHaveLength(2);
    expect(String(results[0])).toMatch(/^\d+-\d+$/);
    expect(results[1]).toBe(1);
    const entries = await direct.xrange(stream, '-', '+');
    expect(entries.map(([, fields]) => fields)).toEqual([['event', '{"a":1}']]);
    for (let i = 0; i < 50 && heard.length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(heard).toEqual(['{"a":1}']);
    subscriber.disconnect();
  });

  it('answers a command error with HTTP 400 and its message', async () => {
    const redis = client();
    const k = key('list');
    await direct.rpush(k, 'x');
    await expect(redis.incr(k)).rejects.toThrow(/WRONGTYPE/);
  });

  it('refuses a wrong token with 401', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong' },
      body: JSON.stringify(['PING']),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'Unauthorized' });
  });

  it('answers malformed bodies with 400', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { authorization: 'Bearer secret-token' },
      body: '{not json',
    });
    expect(response.status).toBe(400);
  });

  it('pipelines without atomicity, one result per command', async () => {
    const response = await fetch(`${server.url}/pipeline`, {
      method: 'POST',
      headers: { authorization: 'Bearer secret-token' },
      body: JSON.stringify([
        ['SET', key('p'), 'v'],
        ['INCR', key('p2')],
      ]),
    });
    expect(await response.json()).toEqual([{ result: 'OK' }, { result: 1 }]);
  });
});
