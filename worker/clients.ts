// The relay's connections, built once at start (main.ts, scripts, the bench) and passed in.
import { Redis } from 'ioredis';

/**
 * A command connection for `REDIS_URL` (redis:// or rediss:// for TLS). It reconnects on its own
 * with a capped backoff, keeps TCP keep-alive on, and times commands out so a dead socket surfaces
 * as an error instead of a hang. The relay duplicates it for its blocking reads.
 */
export function createRedis(url: string, name = 'lockdown-relay'): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    keepAlive: 10_000,
    commandTimeout: 10_000,
    maxRetriesPerRequest: 3,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 5_000),
  });
  redis.on('error', () => {}); // reported by the commands that fail; ioredis reconnects by itself
  return redis;
}
