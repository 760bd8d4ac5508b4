// The Worker: Discord interactions over HTTP, the every-minute scheduled jobs, and the audit-log
// sync's queue consumer.
import { createApp } from './app.ts';
import { consumeAuditSync } from './audit-sync/consumer.ts';
import { AUDIT_SYNC_SHARE } from './discord/global-budget.ts';
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
      // Its Discord calls reserve on the global budget and the sync's own 30/s share (rest.ts).
      openServices: (countRequests) =>
        createServices(env, { guildCache, countRequests, discordJobShare: AUDIT_SYNC_SHARE }),
      queue: env.AUDIT_SYNC_QUEUE ?? null,
    });
  },
} satisfies ExportedHandler<Env>;
