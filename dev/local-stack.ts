// The hosted services, locally: migrates the Postgres database, then starts the Neon HTTP and
// Upstash REST stand-ins over a Postgres and Redis and the Discord stand-in, and returns the Worker
// bindings that point at them. Used by the tests, the benchmarks and `npm run dev`. What `npm run dev`
// falls back on when no Postgres or Redis is configured lives in embedded-postgres/ and private-redis.ts.
import { webcrypto } from 'node:crypto';
import { migrateDatabase } from '../db/migrate.ts';
import { type DiscordStandIn, type PageHandler, startDiscordStandIn } from './discord/server.ts';
import { type NeonHttpServer, startNeonHttpServer } from './neon-http-server.ts';
import { startUpstashRestServer, type UpstashRestServer } from './upstash-rest-server.ts';

/** The Worker's configuration (see functions/env.ts) as the local stack provides it. */
export interface LocalBindings {
  DISCORD_APPLICATION_ID: string;
  DISCORD_PUBLIC_KEY: string;
  DISCORD_BOT_TOKEN: string;
  DISCORD_API_BASE: string;
  DATABASE_URL: string;
  NEON_HTTP_ENDPOINT: string;
  UPSTASH_REDIS_REST_URL: string;
  UPSTASH_REDIS_REST_TOKEN: string;
  DISCORD_CLIENT_SECRET: string;
  DASHBOARD_SESSION_SECRET: string;
}

/** Local-only OAuth2 client secret and session-signing key (never used outside development and tests). */
export const LOCAL_CLIENT_SECRET = 'local-client-secret';
export const LOCAL_SESSION_SECRET = 'local-dashboard-session-secret-not-for-production';
/** The dashboard's callback as the tests (http://lockdown.test) and `npm run dev` (port 8787) reach it. */
export const LOCAL_OAUTH_REDIRECT_URIS = [
  'http://lockdown.test/dashboard/callback',
  'http://localhost:8787/dashboard/callback',
  'http://127.0.0.1:8787/dashboard/callback',
];

/** The callbacks of a Worker on `port` (the e2e stack's is a free port, not 8787). */
export const oauthRedirectUrisFor = (port: number) => [
  `http://localhost:${port}/dashboard/callback`,
  `http://127.0.0.1:${port}/dashboard/callback`,
];

export interface LocalStackOptions {
  databaseUrl: string;
  redisUrl: string;
  applicationId: string;
  botToken: string;
  upstashToken: string;
  /** Fixed ports for `npm run dev`; 0 (any free port) for tests and benchmarks. */
  ports?: { neon?: number; upstash?: number; discord?: number };
  /** Use a real Discord (or another stand-in) instead of starting the local one. */
  discordApiBase?: string;
  /** An existing public key (a real application's); otherwise a key pair is generated. */
  publicKey?: string;
  discordRateLimits?: boolean;
  /** Extra pages the Discord stand-in serves (the sandbox page: dev/sandbox/server.ts). */
  discordPages?: PageHandler;
  /** The port the Worker listens on, when known: its dashboard callback is registered too. */
  workerPort?: number;
}

export interface LocalStack {
  bindings: LocalBindings;
  /** PKCS#8, base64: the private half of a generated DISCORD_PUBLIC_KEY, to sign interactions locally. */
  signingKeyPkcs8: string | null;
  neon: NeonHttpServer;
  upstash: UpstashRestServer;
  discord: DiscordStandIn | null;
  close(): Promise<void>;
}

export async function generateSigningKeys() {
  const pair = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const publicKey = Buffer.from(await webcrypto.subtle.exportKey('raw', pair.publicKey)).toString('hex');
  const privateKey = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', pair.privateKey)).toString(
    'base64',
  );
  return { publicKey, privateKey };
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  await migrateDatabase(options.databaseUrl);
  const [neon, upstash, discord, keys] = await Promise.all([
    startNeonHttpServer({ port: options.ports?.neon }),
    startUpstashRestServer({
      redisUrl: options.redisUrl,
      token: options.upstashToken,
      port: options.ports?.upstash,
    }),
    options.discordApiBase
      ? null
      : startDiscordStandIn({
          botToken: options.botToken,
          applicationId: options.applicationId,
          port: options.ports?.discord,
          rateLimits: options.discordRateLimits,
          pages: options.discordPages,
          clientSecret: LOCAL_CLIENT_SECRET,
          oauthRedirectUris: [
            ...LOCAL_OAUTH_REDIRECT_URIS,
            ...(options.workerPort ? oauthRedirectUrisFor(options.workerPort) : []),
          ],
        }),
    options.publicKey ? null : generateSigningKeys(),
  ]);
  return {
    bindings: {
      DISCORD_APPLICATION_ID: options.applicationId,
      DISCORD_PUBLIC_KEY: options.publicKey ?? (keys as { publicKey: string }).publicKey,
      DISCORD_BOT_TOKEN: options.botToken,
      DISCORD_API_BASE: options.discordApiBase ?? (discord as DiscordStandIn).apiBase,
      DATABASE_URL: options.databaseUrl,
      NEON_HTTP_ENDPOINT: neon.endpoint,
      UPSTASH_REDIS_REST_URL: upstash.url,
      UPSTASH_REDIS_REST_TOKEN: options.upstashToken,
      DISCORD_CLIENT_SECRET: LOCAL_CLIENT_SECRET,
      DASHBOARD_SESSION_SECRET: LOCAL_SESSION_SECRET,
    },
    signingKeyPkcs8: keys?.privateKey ?? null,
    neon,
    upstash,
    discord,
    async close() {
      await Promise.all([neon.close(), upstash.close(), discord?.close()]);
    },
  };
}
