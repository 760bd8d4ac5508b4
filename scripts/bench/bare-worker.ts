// The yardstick for the Worker's cold start: the least an interaction endpoint can be (Hono and
// discord-interactions' signature check, answering PING). Built and timed by scripts/bench/cold-start.ts.
import { InteractionResponseType, InteractionType, verifyKey } from 'discord-interactions';
import { Hono } from 'hono';

const app = new Hono<{ Bindings: { DISCORD_PUBLIC_KEY: string } }>();

app.post('/interactions', async (c) => {
  const body = await c.req.text();
  const valid = await verifyKey(
    body,
    c.req.header('x-signature-ed25519') ?? '',
    c.req.header('x-signature-timestamp') ?? '',
    c.env.DISCORD_PUBLIC_KEY,
  );
  if (!valid) return c.text('invalid request signature', 401);
  const interaction = JSON.parse(body) as { type: number };
  if (interaction.type !== InteractionType.PING) return c.text('unsupported', 400);
  return c.json({ type: InteractionResponseType.PONG });
});

export default app;
