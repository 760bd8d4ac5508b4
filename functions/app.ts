// The Worker's HTTP surface: the signed interaction endpoint Discord calls, and a health check.
import type { APIInteraction } from 'discord-api-types/v10';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { GuildFactsCache } from './discord/guild-directory.ts';
import type { Env } from './env.ts';
import { DEFAULT_INLINE_BUDGET_MS, handleInteraction } from './interactions/handle.ts';
import { MAX_INTERACTION_BYTES, verifyInteraction } from './interactions/verify.ts';
import { errorForLog } from './log.ts';
import { createServices } from './services.ts';

const HEALTH_TIMEOUT_MS = 2_000;

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

  app.get('/health', async (c) => {
    const services = createServices(c.env, { guildCache });
    const within = <T>(promise: Promise<T>) =>
      Promise.race([
        promise,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('timed out')), HEALTH_TIMEOUT_MS),
        ),
      ]);
    const [database, redis] = await Promise.allSettled([
      within(services.db.execute(sql`select 1`)),
      within(services.eventStream.ping()),
    ]);
    const report = (result: PromiseSettledResult<unknown>) =>
      result.status === 'fulfilled' ? 'ok' : `down: ${errorForLog(result.reason)}`;
    const healthy = database.status === 'fulfilled' && redis.status === 'fulfilled';
    return c.json(
      { status: healthy ? 'ok' : 'degraded', database: report(database), redis: report(redis) },
      healthy ? 200 : 503,
    );
  });

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((error, c) => {
    console.error(`unhandled: ${errorForLog(error)}`);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
