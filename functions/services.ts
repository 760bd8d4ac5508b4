// The I/O clients a request (or a scheduled tick) works with, built once from `env` and passed down.
import { Redis } from '@upstash/redis/cloudflare';
import { createEdgeDatabase, type EdgeDatabase } from '../db/edge.ts';
import {
  createGuildDirectory,
  type GuildDirectory,
  type GuildFactsCache,
} from './discord/guild-directory.ts';
import { createDiscordRest, type DiscordRest } from './discord/rest.ts';
import { DEFAULT_DISCORD_API_BASE, type Env } from './env.ts';

export interface Services {
  db: EdgeDatabase;
  redis: Redis;
  discord: DiscordRest;
  guilds: GuildDirectory;
  applicationId: string;
  now: () => Date;
}

const REDIS_TIMEOUT_MS = 3_000;

export interface ServiceOptions {
  /** The isolate's guild cache (see discord/guild-directory.ts). */
  guildCache: GuildFactsCache;
  now?: () => Date;
}

export function createServices(env: Env, options: ServiceOptions): Services {
  const now = options.now ?? (() => new Date());
  const discord = createDiscordRest({
    apiBase: env.DISCORD_API_BASE || DEFAULT_DISCORD_API_BASE,
    botToken: env.DISCORD_BOT_TOKEN,
  });
  return {
    db: createEdgeDatabase(env.DATABASE_URL, { httpEndpoint: env.NEON_HTTP_ENDPOINT }),
    redis: new Redis({
      url: env.UPSTASH_REDIS_REST_URL,
      token: env.UPSTASH_REDIS_REST_TOKEN,
      enableTelemetry: false,
      automaticDeserialization: false,
      // The client's default is five retries with growing waits (~4 s); one is enough at the edge,
      // where the scheduler re-publishes anything left behind.
      retry: { retries: 1, backoff: () => 50 },
      // A function, not a signal: with a plain signal the client reports a timeout as a success.
      signal: () => AbortSignal.timeout(REDIS_TIMEOUT_MS),
    }),
    discord,
    guilds: createGuildDirectory(discord, env.DISCORD_APPLICATION_ID, options.guildCache, () =>
      now().getTime(),
    ),
    applicationId: env.DISCORD_APPLICATION_ID,
    now,
  };
}
