// The Worker: Discord interactions over HTTP, the every-minute scheduled jobs, and the audit-log
// sync's queue consumer.
import { createApp } from './app.ts';
import { consumeAuditSync } from './audit-sync/consumer.ts';
import { AUDIT_SYNC_SHARES, createGlobalBudget, upstashScriptRunner } from './discord/global-budget.ts';
import type { GuildFactsCache } from './discord/guild-directory.ts';
import type { Env } from './env.ts';
import { runScheduledJobs, tickOptionsFromEnv } from './scheduled/run.ts';
import { createServices } from './services.ts';

// Lives as long as the isolate: a short-lived cache of guild owner/roles shared by its requests.
const guildCache: GuildFactsCache = new Map();
const app = createApp(guildCache);

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    const now = () => new Date(controller.scheduledTime);
    ctx.waitUntil(
      runScheduledJobs((countRequests) => createServices(env, { guildCache, now, countRequests }), {
        scheduledTime: new Date(controller.scheduledTime),
        auditSyncQueue: env.AUDIT_SYNC_QUEUE ?? null,
        ...tickOptionsFromEnv(env),
      }),
    );
  },
  async queue(batch, env) {
    await consumeAuditSync(batch, {
      openServices: (countRequests) => createServices(env, { guildCache, countRequests }),
      discordBudget: createGlobalBudget({
        redis: upstashScriptRunner({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN }),
        shares: AUDIT_SYNC_SHARES,
      }),
      queue: env.AUDIT_SYNC_QUEUE ?? null,
    });
  },
} satisfies ExportedHandler<Env>;
