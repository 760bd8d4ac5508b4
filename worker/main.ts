// The relay process (`npm run relay`, the container's command): reads the environment, builds the
// Redis, Postgres and Discord clients once, serves /healthz, /stats and /metrics on PORT, and relays
// until SIGTERM or SIGINT, when it stops reading, lets in-flight sends finish and ack, and exits 0.
import { fileURLToPath } from 'node:url';
import { migrateDatabase } from '../db/migrate.ts';
import { createNodeDatabase } from '../db/node.ts';
import { createRedis } from './clients.ts';
import { ConfigError, type RelayConfig, readConfig } from './config.ts';
import { RateLimiter } from './discord/rate-limits.ts';
import { WebhookClient } from './discord/webhook-client.ts';
import { startHttpServer } from './http-server.ts';
import { createLogger, type Logger } from './observability/log.ts';
import { Relay } from './relay.ts';

const SHUTDOWN_TIMEOUT_MS = 25_000;

export async function runRelay(config: RelayConfig, logger: Logger) {
  if (config.migrate) await migrateDatabase(config.databaseUrl);
  const redis = createRedis(config.redisUrl, `lockdown-relay:${config.consumer}`);
  const db = createNodeDatabase(config.databaseUrl, 10);
  const discord = new WebhookClient({
    apiBase: config.discordApiBase,
    ...(config.botToken ? { botToken: config.botToken } : {}),
    timeoutMs: config.requestTimeoutMs,
    limiter: new RateLimiter({ marginMs: 50 }),
  });
  const relay = new Relay({
    redis,
    db,
    discord,
    streamKey: config.streamKey,
    group: config.group,
    consumer: config.consumer,
    blockMs: config.blockMs,
    claimIdleMs: config.claimIdleMs,
    heartbeatMs: config.heartbeatMs,
    heartbeatTtlMs: config.heartbeatTtlMs,
    sweepMs: config.sweepMs,
    retryBaseMs: config.retryBaseMs,
    maxAttempts: config.maxAttempts,
    batching: config.batching,
    digestMinRun: config.digestMinRun,
    orderWaitMs: config.orderWaitMs,
    statsRefreshMs: config.statsRefreshMs,
    shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS,
    logger,
  });
  const http = await startHttpServer({ relay, port: config.port, host: config.host, logger });
  logger.info('http listening', { host: http.host, port: http.port });
  for (let attempt = 1; ; attempt++) {
    try {
      await relay.start();
      break;
    } catch (error) {
      // Redis may still be coming up; /healthz says 503 meanwhile.
      logger.error('could not start consuming, retrying', { error, attempt });
      if (attempt >= 30) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(500 * attempt, 5_000)));
    }
  }
  return {
    relay,
    http,
    async shutdown() {
      await relay.stop();
      await http.close();
      await redis.quit().catch(() => redis.disconnect());
      await db.$client.end().catch(() => {});
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let config: RelayConfig;
  try {
    config = readConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`relay: ${error.message}`);
    process.exit(1);
  }
  const logger = createLogger({
    level: config.logLevel,
    base: { service: 'relay', consumer: config.consumer },
  });
  process.on('unhandledRejection', (error) => {
    logger.error('unhandled rejection', { error });
    process.exit(1);
  });
  const running = await runRelay(config, logger).catch((error: unknown) => {
    logger.error('relay failed to start', { error });
    process.exit(1);
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    setTimeout(() => {
      logger.error('shutdown took too long: exiting', {});
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS + 5_000).unref();
    running.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
