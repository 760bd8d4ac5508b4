// The Worker: Discord interactions over HTTP, and the every-minute scheduled jobs.
import { createApp } from './app.ts';
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
        ...tickOptionsFromEnv(env),
      }),
    );
  },
} satisfies ExportedHandler<Env>;
