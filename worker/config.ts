// The relay's configuration from the environment. Required: REDIS_URL, DATABASE_URL. Optional:
// DISCORD_API_BASE (default https://discord.com/api/v10), DISCORD_BOT_TOKEN (lets the relay read a
// mod-log channel to tell whether a send whose outcome it does not know was posted; without it such
// a send is repeated unchecked and counted), PORT (default 8080), HOST (the address the
// HTTP server binds: default 127.0.0.1, so /stats and /metrics are not reachable from outside unless
// asked for; the container image sets HOST=0.0.0.0), and the RELAY_* tunables below. A bad value is
// an error at start, never a silent default.
import { hostname } from 'node:os';
import { EVENT_STREAM_KEY, RELAY_CONSUMER_GROUP } from '../shared/events.ts';
import { DIGEST_MIN_RUN } from './delivery/digest.ts';

export const DEFAULT_DISCORD_API_BASE = 'https://discord.com/api/v10';

export interface RelayConfig {
  redisUrl: string;
  databaseUrl: string;
  discordApiBase: string;
  /** DISCORD_BOT_TOKEN: read access to mod-log channels, to check for an earlier post. Never logged. */
  botToken: string | null;
  port: number;
  host: string;
  streamKey: string;
  group: string;
  consumer: string;
  blockMs: number;
  claimIdleMs: number;
  /** How often the heartbeat is refreshed, how long it lives, how often dead relays are looked for. */
  heartbeatMs: number;
  heartbeatTtlMs: number;
  sweepMs: number;
  retryBaseMs: number;
  maxAttempts: number;
  requestTimeoutMs: number;
  /** How often the Redis and SQL figures of /stats and /metrics are refreshed (scrapes read the last). */
  statsRefreshMs: number;
  batching: boolean;
  /** The shortest run of same-kind case events folded into a digest (0: none). */
  digestMinRun: number;
  /** How long a lane waits for a guild's missing event number before reading it from the outbox. */
  orderWaitMs: number;
  migrate: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new ConfigError(`${name} must be an integer >= ${min} (got "${raw}")`);
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false (got "${env[name]}")`);
}

function url(env: Env, name: string, protocols: string[], example: string): string {
  const raw = env[name]?.trim();
  if (!raw) throw new ConfigError(`${name} is not set (e.g. ${example})`);
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return raw;
}

export function readConfig(env: Env = process.env): RelayConfig {
  const apiBase = env.DISCORD_API_BASE?.trim() || DEFAULT_DISCORD_API_BASE;
  url({ DISCORD_API_BASE: apiBase }, 'DISCORD_API_BASE', ['http:', 'https:'], DEFAULT_DISCORD_API_BASE);
  const level = (env.LOG_LEVEL?.trim() || 'info') as RelayConfig['logLevel'];
  if (!['debug', 'info', 'warn', 'error'].includes(level))
    throw new ConfigError('LOG_LEVEL must be debug, info, warn or error');
  return checkHeartbeat({
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
    databaseUrl: url(
      env,
      'DATABASE_URL',
      ['postgres:', 'postgresql:'],
      'postgres://postgres@127.0.0.1:5432/lockdown',
    ),
    discordApiBase: apiBase.replace(/\/+$/, ''),
    botToken: env.DISCORD_BOT_TOKEN?.trim() || null,
    port: integer(env, 'PORT', 8080, 0),
    host: env.HOST?.trim() || '127.0.0.1',
    streamKey: env.RELAY_STREAM_KEY?.trim() || EVENT_STREAM_KEY,
    group: env.RELAY_GROUP?.trim() || RELAY_CONSUMER_GROUP,
    consumer: env.RELAY_CONSUMER?.trim() || `${hostname()}-${process.pid}`,
    blockMs: integer(env, 'RELAY_BLOCK_MS', 5_000, 1),
    claimIdleMs: integer(env, 'RELAY_CLAIM_IDLE_MS', 60_000, 100),
    heartbeatMs: integer(env, 'RELAY_HEARTBEAT_MS', 1_000, 50),
    heartbeatTtlMs: integer(env, 'RELAY_HEARTBEAT_TTL_MS', 5_000, 100),
    sweepMs: integer(env, 'RELAY_SWEEP_MS', 2_000, 50),
    retryBaseMs: integer(env, 'RELAY_RETRY_BASE_MS', 1_000, 1),
    maxAttempts: integer(env, 'RELAY_MAX_ATTEMPTS', 8, 1),
    requestTimeoutMs: integer(env, 'RELAY_REQUEST_TIMEOUT_MS', 10_000, 100),
    statsRefreshMs: integer(env, 'RELAY_STATS_REFRESH_MS', 5_000, 100),
    batching: flag(env, 'RELAY_BATCHING', true),
    digestMinRun: integer(env, 'RELAY_DIGEST_MIN_RUN', DIGEST_MIN_RUN, 0),
    orderWaitMs: integer(env, 'RELAY_ORDER_WAIT_MS', 2_000, 0),
    migrate: flag(env, 'RELAY_MIGRATE', true),
    logLevel: level,
  });
}

/** The heartbeat must be refreshed well within its TTL, or a live relay looks dead. */
function checkHeartbeat(config: RelayConfig): RelayConfig {
  if (config.heartbeatMs * 2 > config.heartbeatTtlMs)
    throw new ConfigError('RELAY_HEARTBEAT_TTL_MS must be at least twice RELAY_HEARTBEAT_MS');
  return config;
}
