// The composition root: the typed I/O clients a request (or a piece of a scheduled tick) works
// with, built from `env` and passed down — never globals.
import { Redis } from '@upstash/redis/cloudflare';
import { createEdgeDatabase, type EdgeDatabase } from '../db/edge.ts';
import {
  type BudgetShare,
  createGlobalBudget,
  globalShareFor,
  upstashScriptRunner,
} from './discord/global-budget.ts';
import {
  createGuildDirectory,
  type GuildDirectory,
  type GuildFactsCache,
} from './discord/guild-directory.ts';
import { createDiscordRest, type DiscordRest } from './discord/rest.ts';
import { RouteBuckets } from './discord/route-buckets.ts';
import { DEFAULT_DISCORD_API_BASE, type Env } from './env.ts';
import { createEventStream, type EventStream } from './events/event-stream.ts';

export interface Services {
  db: EdgeDatabase;
  eventStream: EventStream;
  discord: DiscordRest;
  guilds: GuildDirectory;
  applicationId: string;
  /** Where Discord is reached (DISCORD_API_BASE): its origin also serves uploads in development. */
  discordApiBase: string;
  now: () => Date;
  /**
   * Subrequests these clients have sent so far (every fetch: Discord, the budget's Redis, Neon,
   * Upstash), so work that must stay within an invocation's limit can count what it really spent
   * rather than the most each call could have cost.
   */
  subrequests: () => number;
}

const REDIS_TIMEOUT_MS = 3_000;
/**
 * The Upstash client's default is five retries with growing waits (~4 s); one is enough at the edge,
 * where the scheduler re-publishes anything left behind.
 */
const REDIS_RETRIES = 1;

/** Told of outbound requests as they are sent (Workers count subrequests: every fetch). */
export type RequestCounter = (requests: number) => void;

export interface ServiceOptions {
  /** The isolate's guild cache (see discord/guild-directory.ts). */
  guildCache: GuildFactsCache;
  now?: () => Date;
  /**
   * Counts every request the clients send: each Discord fetch (a 429 retried in place is two), each
   * database query or batch, each Redis command as one plus its allowed retries (Upstash's client
   * does not say when it retried, so the most it may send is counted).
   */
  countRequests?: RequestCounter;
  /** A background job's own cap, reserved together with the global budget (the audit-log sync's). */
  discordJobShare?: BudgetShare;
}

/**
 * The route buckets Discord's headers told this isolate of, shared by all its requests and ticks
 * (like the guild cache): a bucket one invocation emptied is waited for by the next.
 */
const isolateBuckets = new RouteBuckets();

/** The global share from DISCORD_BUDGET_PER_SECOND / DISCORD_BUDGET_KEY (see env.ts). */
export function discordGlobalShare(env: Env): BudgetShare {
  const perSecond = env.DISCORD_BUDGET_PER_SECOND ? Number(env.DISCORD_BUDGET_PER_SECOND) : undefined;
  return globalShareFor({ perSecond, key: env.DISCORD_BUDGET_KEY });
}

export function createServices(env: Env, options: ServiceOptions): Services {
  const now = options.now ?? (() => new Date());
  let sent = 0;
  const count: RequestCounter = (requests) => {
    sent += requests;
    options.countRequests?.(requests);
  };
  const discordApiBase = env.DISCORD_API_BASE || DEFAULT_DISCORD_API_BASE;
  const discord = createDiscordRest({
    apiBase: discordApiBase,
    botToken: env.DISCORD_BOT_TOKEN,
    fetch: (input, init) => {
      count(1);
      return fetch(input, init);
    },
    budget: createGlobalBudget({
      redis: upstashScriptRunner({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN }),
      shares: [discordGlobalShare(env), ...(options.discordJobShare ? [options.discordJobShare] : [])],
      // One fetch, no retry.
      onRequest: () => count(1),
    }),
    buckets: isolateBuckets,
    onRateLimited: (event) =>
      console.warn(
        `discord: 429 (${event.global ? 'global' : (event.scope ?? 'route')}) on ${event.method} ${event.route}, retry after ${event.retryAfterMs} ms`,
      ),
  });
  // Built on first use: most pieces of a scheduled tick never touch Redis, and the client costs
  // about as much to build as everything else here together.
  let redis: Redis | undefined;
  const redisClient = () =>
    (redis ??= new Redis({
      url: env.UPSTASH_REDIS_REST_URL,
      token: env.UPSTASH_REDIS_REST_TOKEN,
      enableTelemetry: false,
      automaticDeserialization: false,
      retry: { retries: REDIS_RETRIES, backoff: () => 50 },
      // A function, not a signal: with a plain signal the client reports a timeout as a success.
      signal: () => AbortSignal.timeout(REDIS_TIMEOUT_MS),
    }));
  return {
    db: createEdgeDatabase(env.DATABASE_URL, { httpEndpoint: env.NEON_HTTP_ENDPOINT, onRequest: count }),
    eventStream: createEventStream(redisClient, () => count(1 + REDIS_RETRIES)),
    discord,
    guilds: createGuildDirectory(discord, env.DISCORD_APPLICATION_ID, options.guildCache, () =>
      now().getTime(),
    ),
    applicationId: env.DISCORD_APPLICATION_ID,
    discordApiBase,
    now,
    subrequests: () => sent,
  };
}
