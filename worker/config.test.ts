import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.ts';

const base = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/lockdown',
};

describe('readConfig', () => {
  it('applies the defaults', () => {
    const config = readConfig(base);
    expect(config).toMatchObject({
      discordApiBase: 'https://discord.com/api/v10',
      port: 8080,
      host: '127.0.0.1',
      statsRefreshMs: 5000,
      streamKey: 'lockdown:events',
      group: 'relay',
      blockMs: 5000,
      claimIdleMs: 60000,
      heartbeatMs: 1000,
      heartbeatTtlMs: 5000,
      sweepMs: 2000,
      retryBaseMs: 1000,
      batching: true,
      migrate: true,
    });
    expect(config.consumer).toMatch(/-\d+$/);
  });

  it('reads every option', () => {
    const config = readConfig({
      ...base,
      REDIS_URL: 'rediss://default:pw@example.upstash.io:6379',
      DISCORD_API_BASE: 'http://127.0.0.1:9999/api/v10/',
      PORT: '0',
      HOST: '0.0.0.0',
      RELAY_STATS_REFRESH_MS: '1000',
      RELAY_STREAM_KEY: 'k',
      RELAY_GROUP: 'g',
      RELAY_CONSUMER: 'c',
      RELAY_BLOCK_MS: '100',
      RELAY_CLAIM_IDLE_MS: '500',
      RELAY_RETRY_BASE_MS: '10',
      RELAY_BATCHING: 'off',
      RELAY_MIGRATE: 'false',
    });
    expect(config).toMatchObject({
      redisUrl: 'rediss://default:pw@example.upstash.io:6379',
      discordApiBase: 'http://127.0.0.1:9999/api/v10',
      port: 0,
      host: '0.0.0.0',
      statsRefreshMs: 1000,
      streamKey: 'k',
      group: 'g',
      consumer: 'c',
      blockMs: 100,
      claimIdleMs: 500,
      retryBaseMs: 10,
      batching: false,
      migrate: false,
    });
  });

  it('refuses missing or malformed values with a message that says what to do', () => {
    expect(() => readConfig({ DATABASE_URL: base.DATABASE_URL })).toThrow(/REDIS_URL is not set/);
    expect(() => readConfig({ ...base, REDIS_URL: 'http://x' })).toThrow(/redis:\/\/ or rediss:\/\//);
    expect(() => readConfig({ REDIS_URL: base.REDIS_URL })).toThrow(/DATABASE_URL is not set/);
    expect(() => readConfig({ ...base, PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => readConfig({ ...base, RELAY_BATCHING: 'maybe' })).toThrow(/true or false/);
    expect(() => readConfig({ ...base, RELAY_HEARTBEAT_MS: '3000' })).toThrow(/at least twice/);
    expect(() => readConfig({ ...base, DISCORD_API_BASE: 'discord.com' })).toThrow(/not a URL/);
  });
});
