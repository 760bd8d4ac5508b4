// The Worker's HTTP surface: the signed interaction endpoint Discord calls, health (health.ts), and
// the web dashboard under /dashboard (dashboard/dashboard-app.ts).
import type { APIInteraction } from 'discord-api-types/v10';
import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { timingSafeEqual } from 'hono/utils/buffer';
import { createDashboardApp } from './dashboard/dashboard-app.ts';
import type { GuildFactsCache } from './discord/guild-directory.ts';
import type { Env } from './env.ts';
import { checkDependencies } from './health.ts';
import { DEFAULT_INLINE_BUDGET_MS, handleInteraction } from './interactions/handle.ts';
import { MAX_INTERACTION_BYTES, verifyInteraction } from './interactions/verify.ts';
import { errorForLog } from './log.ts';
import { createServices } from './services.ts';

export function createApp(guildCache: GuildFactsCache) {
  const app = new Hono<{ Bindings: Env }>();

  // Counted while reading: a chunked body (no Content-Length) past the limit is cut off there, never
  // read in full, and before its signature is checked.
  const limitBody = bodyLimit({
    maxSize: MAX_INTERACTION_BYTES,
    onError: (c) => c.json({ error: 'body too large' }, 413),
  });

  app.post('/interactions', limitBody, async (c) => {
    const verified = await verifyInteraction(c.req.raw, c.env.DISCORD_PUBLIC_KEY, Date.now());
    if (!verified.ok) return c.json({ error: verified.error }, verified.status);
    let interaction: APIInteraction;
    try {
      interaction = JSON.parse(verified.body);
    } catch {
      return c.json({ error: 'malformed JSON' }, 400);
    }
    if (typeof interaction !== 'object' || interaction === null || typeof interaction.type !== 'number') {
      return c.json({ error: 'not an interaction' }, 400);
    }
    const services = createServices(c.env, { guildCache });
    const response = await handleInteraction(services, interaction, {
      inlineBudgetMs: Number(c.env.INLINE_REPLY_BUDGET_MS) || DEFAULT_INLINE_BUDGET_MS,
      waitUntil: (promise) => c.executionCtx.waitUntil(promise),
      log: (line) => console.error(line),
    });
    return c.json(response);
  });

  app.get('/health', (c) => c.text('ok'));

  app.use('/health/deep', async (c, next) => {
    if (!c.env.HEALTH_TOKEN) return c.json({ error: 'not found' }, 404);
    await next();
  });
  app.use(
    '/health/deep',
    bearerAuth({
      verifyToken: (token, c) => timingSafeEqual((c.env as Env).HEALTH_TOKEN ?? '', token),
    }),
  );
  app.get('/health/deep', async (c) => {
    const health = await checkDependencies(createServices(c.env, { guildCache }), (line) =>
      console.error(line),
    );
    return c.json(health, health.status === 'ok' ? 200 : 503);
  });

  // The dashboard (dashboard/): sign-in, then the pages.
  app.route('/', createDashboardApp(guildCache));

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((error, c) => {
    // Middleware refusals (bearerAuth's 401) carry their own response.
    if (error instanceof HTTPException) return error.getResponse();
    console.error(`unhandled: ${errorForLog(error)}`);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
