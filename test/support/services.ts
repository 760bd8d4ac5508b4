// Starts what the integration tests run against: this machine's Postgres (migrated) and Redis, the
// local Neon HTTP and Upstash REST stand-ins over them, the Discord stand-in, and a pub/sub recorder.
import { webcrypto } from 'node:crypto';
import { migrateDatabase } from '../../db/migrate.ts';
import { startDiscordStandIn } from '../../dev/discord/server.ts';
import { startNeonHttpServer } from '../../dev/neon-http-server.ts';
import { startUpstashRestServer } from '../../dev/upstash-rest-server.ts';
import { startPubSubRecorder } from './pubsub-recorder.ts';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lockdown_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_APPLICATION_ID = '1100000000000000001';
export const TEST_BOT_TOKEN = 'test-bot-token.do-not-log-me';
export const TEST_UPSTASH_TOKEN = 'test-upstash-token';

/** What the Worker's tests receive: its env bindings plus the addresses of the test-only helpers. */
export interface EdgeTestConfig {
  bindings: {
    DISCORD_APPLICATION_ID: string;
    DISCORD_PUBLIC_KEY: string;
    DISCORD_BOT_TOKEN: string;
    DISCORD_API_BASE: string;
    DATABASE_URL: string;
    NEON_HTTP_ENDPOINT: string;
    UPSTASH_REDIS_REST_URL: string;
    UPSTASH_REDIS_REST_TOKEN: string;
  };
  /** PKCS#8, base64: the private half of DISCORD_PUBLIC_KEY, to sign test interactions. */
  signingKeyPkcs8: string;
  discordControlUrl: string;
  neonFaultsUrl: string;
  pubsubUrl: string;
}

export async function generateSigningKeys() {
  const pair = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const publicKey = Buffer.from(await webcrypto.subtle.exportKey('raw', pair.publicKey)).toString('hex');
  const privateKey = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', pair.privateKey)).toString('base64');
  return { publicKey, privateKey };
}

export async function startTestServices() {
  await migrateDatabase(TEST_DATABASE_URL);
  const [neon, upstash, discord, pubsub, keys] = await Promise.all([
    startNeonHttpServer(),
    startUpstashRestServer({ redisUrl: TEST_REDIS_URL, token: TEST_UPSTASH_TOKEN }),
    startDiscordStandIn({ botToken: TEST_BOT_TOKEN, applicationId: TEST_APPLICATION_ID }),
    startPubSubRecorder(TEST_REDIS_URL),
    generateSigningKeys(),
  ]);
  const config: EdgeTestConfig = {
    bindings: {
      DISCORD_APPLICATION_ID: TEST_APPLICATION_ID,
      DISCORD_PUBLIC_KEY: keys.publicKey,
      DISCORD_BOT_TOKEN: TEST_BOT_TOKEN,
      DISCORD_API_BASE: discord.apiBase,
      DATABASE_URL: TEST_DATABASE_URL,
      NEON_HTTP_ENDPOINT: neon.endpoint,
      UPSTASH_REDIS_REST_URL: upstash.url,
      UPSTASH_REDIS_REST_TOKEN: TEST_UPSTASH_TOKEN,
    },
    signingKeyPkcs8: keys.privateKey,
    discordControlUrl: discord.controlUrl,
    neonFaultsUrl: neon.faultsUrl,
    pubsubUrl: pubsub.url,
  };
  return {
    config,
    discord,
    async close() {
      await Promise.all([neon.close(), upstash.close(), discord.close(), pubsub.close()]);
    },
  };
}
