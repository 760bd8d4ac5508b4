// What the integration tests run against: the local stack (dev/local-stack.ts) over this machine's
// Postgres and Redis, plus a real pub/sub subscriber whose catch the workerd tests can read.
import { type LocalBindings, startLocalStack } from '../../dev/local-stack.ts';
import { startPubSubRecorder } from './pubsub-recorder.ts';

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lockdown_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_APPLICATION_ID = '1100000000000000001';
export const TEST_BOT_TOKEN = 'test-bot-token.do-not-log-me';
export const TEST_UPSTASH_TOKEN = 'test-upstash-token';

/** What the Worker's tests receive: its env bindings plus the addresses of the test-only helpers. */
export interface EdgeTestConfig {
  bindings: LocalBindings;
  /** PKCS#8, base64: the private half of DISCORD_PUBLIC_KEY, to sign test interactions. */
  signingKeyPkcs8: string;
  discordControlUrl: string;
  neonFaultsUrl: string;
  pubsubUrl: string;
}

export async function startTestServices() {
  const [stack, pubsub] = await Promise.all([
    startLocalStack({
      databaseUrl: TEST_DATABASE_URL,
      redisUrl: TEST_REDIS_URL,
      applicationId: TEST_APPLICATION_ID,
      botToken: TEST_BOT_TOKEN,
      upstashToken: TEST_UPSTASH_TOKEN,
      // Many test files share this one stand-in and bot token: Discord's global 50 requests/s would
      // turn their parallelism into flaky 429s. Rate limits are tested on stand-ins of their own.
      discordRateLimits: false,
    }),
    startPubSubRecorder(TEST_REDIS_URL),
  ]);
  const config: EdgeTestConfig = {
    bindings: stack.bindings,
    signingKeyPkcs8: stack.signingKeyPkcs8 as string,
    discordControlUrl: stack.discord?.controlUrl as string,
    neonFaultsUrl: stack.neon.faultsUrl,
    pubsubUrl: pubsub.url,
  };
  return {
    config,
    stack,
    async close() {
      await Promise.all([stack.close(), pubsub.close()]);
    },
  };
}
