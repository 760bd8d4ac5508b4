// The relay when things go wrong: 429s, 5xx, refused payloads, a deleted or invalid webhook (parking
// and replay), a relay killed between send and ack, two relays on one group, a dropped Redis
// connection, and a graceful stop with a send in flight.
import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { deadLetters, guilds, modlogDeliveries } from '../../db/schema.ts';
import type { LockdownEvent } from '../../shared/events.ts';
import { auditEvent, caseEvent, publish, publishAll } from '../support/relay-events.ts';
import {
  control,
  createWebhook,
  messages,
  pendingCount,
  postedEmbeds,
  relayWorldForFile,
  requests,
  setModlogRow,
  setupGuild,
  startRelay,
  waitFor,
} from '../support/relay-harness.ts';

const world = relayWorldForFile();

const titles = async (channelId: string) => (await postedEmbeds(world, channelId)).map((e) => e.title);
const numbered = (n: number) => Array.from({ length: n }, (_, i) => `Warning | Case #${i + 1}`);
// Each with its own reason, so a run of them stays one embed per case (no raid digest).
const warnings = (guild: Parameters<typeof caseEvent>[0], n: number, from = 1) =>
  Array.from({ length: n }, (_, i) =>
    caseEvent(guild, 'warning:added', { caseNumber: from + i, reason: `warning ${from + i}` }),
  );

async function fault(spec: Record<string, unknown>) {
  return control(world, 'POST', '/faults', spec);
}

async function deadLettersOf(guildId: string) {
  return world.db.select().from(deadLetters).where(eq(deadLetters.guildId, guildId));
}

describe('rate limits and retries', () => {
  it('obeys a 429: nothing is sent to the webhook before retry_after', async () => {
    const guild = await setupGuild(world);
    await fault({
      method: 'POST',
      path: `^/webhooks/${guild.webhook.id}/`,
      count: 1,
      status: 429,
      retryAfter: 1,
    });
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    await publish(world, guild.streamKey, caseEvent(guild, 'ban:created'));
    await waitFor(async () => (await messages(world, guild.channelId)).length === 1);
    const sent = await requests(world, `/webhooks/${guild.webhook.id}/`);
    expect(sent.map((r) => r.status)).toEqual([429, 200]);
    expect((sent[1]?.at ?? 0) - (sent[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(await relay.metrics.rateLimited.value()).toBe(1);
    await relay.stop();
  });

  it('obeys a global 429 for every webhook', async () => {
    const a = await setupGuild(world);
    const b = await setupGuild(world);
    const relay = startRelay(world, a.streamKey);
    await relay.start();
    await fault({
      method: 'POST',
      path: `^/webhooks/${a.webhook.id}/`,
      count: 1,
      status: 429,
      retryAfter: 0.6,
      global: true,
    });
    await publish(world, a.streamKey, caseEvent(a, 'ban:created'));
    const [limited] = await waitFor(async () => {
      const sent = await requests(world, `/webhooks/${a.webhook.id}/`);
      return sent.length ? sent : null;
    });
    await publish(world, a.streamKey, caseEvent(b, 'ban:created'));
    await waitFor(async () => (await messages(world, b.channelId)).length === 1);
    await waitFor(async () => (await messages(world, a.channelId)).length === 1);
    const [toB] = await requests(world, `/webhooks/${b.webhook.id}/`);
    expect((toB?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(600);
    await relay.stop();
  });

  it('retries 5xx and network-level failures with backoff, then posts once', async () => {
    const guild = await setupGuild(world);
    await fault({ method: 'POST', path: `^/webhooks/${guild.webhook.id}/`, count: 1, status: 500 });
    await fault({ method: 'POST', path: `^/webhooks/${guild.webhook.id}/`, count: 1, status: 502 });
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    await publish(world, guild.streamKey, caseEvent(guild, 'kick:executed'));
    await waitFor(async () => (await messages(world, guild.channelId)).length === 1);
    const sent = await requests(world, `/webhooks/${guild.webhook.id}/`);
    expect(sent.map((r) => r.status)).toEqual([500, 502, 200]);
    expect(await messages(world, guild.channelId)).toHaveLength(1);
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0);
    await relay.stop();
  });

  it('times out a request that never answers and tries again', async () => {
    const guild = await setupGuild(world);
    await fault({ method: 'POST', path: `^/webhooks/${guild.webhook.id}/`, count: 1, status: 0 });
    const relay = startRelay(world, guild.streamKey, { apiBase: world.discord.apiBase });
    // A short timeout for this relay's client only.
    const { WebhookClient } = await import('../../worker/discord/webhook-client.ts');
    const quick = startRelay(world, guild.streamKey, {
      discord: new WebhookClient({ apiBase: world.discord.apiBase, timeoutMs: 300 }),
    });
    world.relays.splice(world.relays.indexOf(relay), 1);
    await quick.start();
    await publish(world, guild.streamKey, caseEvent(guild, 'kick:executed'));
    await waitFor(async () => (await messages(world, guild.channelId)).length === 1);
    expect(await quick.metrics.requests.value({ route: 'execute', status: 'timeout' })).toBe(1);
    await quick.stop();
  });

  it('gives up after maxAttempts and dead-letters the event as retries_exhausted', async () => {
    const guild = await setupGuild(world);
    await fault({ method: 'POST', path: `^/webhooks/${guild.webhook.id}/`, count: 3, status: 503 });
    const relay = startRelay(world, guild.streamKey, { maxAttempts: 3 });
    await relay.start();
    const lost = caseEvent(guild, 'ban:created', { caseNumber: 1 });
    await publish(world, guild.streamKey, lost);
    await waitFor(async () => (await deadLettersOf(guild.guildId)).length === 1);
    await publish(world, guild.streamKey, caseEvent(guild, 'ban:created', { caseNumber: 2 }));
    await waitFor(async () => (await messages(world, guild.channelId)).length === 1);
    const letters = await deadLettersOf(guild.guildId);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ eventId: lost.eventId, reason: 'retries_exhausted' });
    expect(letters[0]?.detail).toContain('503');
    await relay.stop();
  });
});

describe('refused payloads', () => {
  it('dead-letters a single event Discord refuses with 400, and carries on', async () => {
    const guild = await setupGuild(world);
    await fault({
      method: 'POST',
      path: `^/webhooks/${guild.webhook.id}/`,
      count: 1,
      status: 400,
      code: 50035,
      message: 'Invalid Form Body',
    });
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const bad = caseEvent(guild, 'warning:added', { caseNumber: 1 });
    await publish(world, guild.streamKey, bad);
    await waitFor(async () => (await deadLettersOf(guild.guildId)).length === 1);
    await publish(world, guild.streamKey, caseEvent(guild, 'warning:added', { caseNumber: 2 }));
    await waitFor(async () => (await messages(world, guild.channelId)).length === 1);
    const [letter] = await deadLettersOf(guild.guildId);
    expect(letter).toMatchObject({ eventId: bad.eventId, reason: 'bad_payload' });
    expect(letter?.detail).toBe('Discord answered 400 (code 50035): Invalid Form Body');
    expect(letter?.detail).not.toContain(guild.webhook.token);
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0);
    await relay.stop();
  });

  it('splits a refused batch and sends its events one by one, in order', async () => {
    const guild = await setupGuild(world);
    await publishAll(world, guild.streamKey, warnings(guild, 4));
    await fault({
      method: 'POST',
      path: `^/webhooks/${guild.webhook.id}/`,
      count: 1,
      status: 400,
      code: 50035,
      message: 'x',
    });
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    await waitFor(async () => (await titles(guild.channelId)).length === 4, { timeoutMs: 20_000 });
    expect(await titles(guild.channelId)).toEqual(numbered(4));
    // One refused message of four embeds, then four messages of one.
    expect(
      (await requests(world, `/webhooks/${guild.webhook.id}/`)).map(
        (r) => (r.body as { embeds: unknown[] }).embeds.length,
      ),
    ).toEqual([4, 1, 1, 1, 1]);
    expect(await deadLettersOf(guild.guildId)).toEqual([]);
    await relay.stop();
  });
});

describe('invalid webhooks', () => {
  it('parks a deleted webhook’s events, marks the mod-log broken, and replays them in order after /modlog set', async () => {
    const guild = await setupGuild(world);
    const oldWebhook = guild.webhook;
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const events = warnings(guild, 5);
    await publish(world, guild.streamKey, events[0] as LockdownEvent);
    await waitFor(async () => (await messages(world, guild.channelId)).length === 1);

    await control(world, 'DELETE', `/webhooks/${oldWebhook.id}`);
    await publishAll(world, guild.streamKey, events.slice(1, 3));
    await waitFor(async () => (await deadLettersOf(guild.guildId)).length === 2, {
      what: 'two parked events',
    });
    const [row] = await world.db.select().from(guilds).where(eq(guilds.guildId, guild.guildId));
    expect(row?.modlogBrokenAt).toBeInstanceOf(Date);
    expect(row?.modlogBrokenReason).toContain('10015');
    expect(row?.modlogBrokenReason).not.toContain(oldWebhook.token);

    // While broken, nothing more is sent to the dead webhook: later events are parked directly.
    await publishAll(world, guild.streamKey, events.slice(3));
    await waitFor(async () => (await deadLettersOf(guild.guildId)).length === 4, {
      what: 'four parked events',
    });
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0);
    expect((await requests(world, `/webhooks/${oldWebhook.id}/`)).map((r) => r.status)).toEqual([200, 404]);
    for (const letter of await deadLettersOf(guild.guildId)) {
      expect(letter.reason).toBe('webhook_invalid');
      expect(letter.detail).not.toContain(oldWebhook.token);
    }

    // `/modlog set` as the edge does it: a new webhook in the guild row, then the audit event.
    const fresh = await createWebhook(world, guild.channelId);
    await setModlogRow(world, guild, fresh);
    await publish(
      world,
      guild.streamKey,
      auditEvent(guild, { action: 'modlog.set', details: { Channel: '#mod-logs' } }),
    );
    await waitFor(async () => (await titles(guild.channelId)).length === 6, { what: 'replay' });
    expect(await titles(guild.channelId)).toEqual([...numbered(5), 'Mod-log channel set']);
    // Each replayed event is marked replayed, and every line has its delivery row (written after the 2xx).
    await waitFor(async () => {
      const waiting = await world.db
        .select()
        .from(deadLetters)
        .where(and(eq(deadLetters.guildId, guild.guildId), isNull(deadLetters.replayedAt)));
      return waiting.length === 0;
    });
    await waitFor(async () => {
      const delivered = await world.db
        .select()
        .from(modlogDeliveries)
        .where(eq(modlogDeliveries.guildId, guild.guildId));
      return delivered.length === 6;
    });
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0);
    await relay.stop();
  });

  it('does not park when the webhook it used was replaced meanwhile: it posts through the new one', async () => {
    const guild = await setupGuild(world);
    const relay = startRelay(world, guild.streamKey, { configTtlMs: 600_000 });
    await relay.start();
    await publish(world, guild.streamKey, caseEvent(guild, 'warning:added', { caseNumber: 1 }));
    await waitFor(async () => (await messages(world, guild.channelId)).length === 1);
    // Replaced behind this relay's back (no event reaches it): its cache still has the old webhook.
    const old = guild.webhook;
    const fresh = await createWebhook(world, guild.channelId);
    await setModlogRow(world, guild, fresh);
    await control(world, 'DELETE', `/webhooks/${old.id}`);
    await publish(world, guild.streamKey, caseEvent(guild, 'warning:added', { caseNumber: 2 }));
    await waitFor(async () => (await messages(world, guild.channelId)).length === 2);
    expect((await messages(world, guild.channelId)).map((m) => m.webhook_id)).toEqual([old.id, fresh.id]);
    expect(await deadLettersOf(guild.guildId)).toEqual([]);
    const [row] = await world.db.select().from(guilds).where(eq(guilds.guildId, guild.guildId));
    expect(row?.modlogBrokenAt).toBeNull();
    await relay.stop();
  });

  it('keeps every relay’s cached webhook right when another relay handles /modlog set', async () => {
    const guild = await setupGuild(world);
    const one = startRelay(world, guild.streamKey, { configTtlMs: 600_000, readCount: 1 });
    const two = startRelay(world, guild.streamKey, { configTtlMs: 600_000, readCount: 1 });
    await Promise.all([one.start(), two.start()]);
    await publishAll(world, guild.streamKey, warnings(guild, 6));
    await waitFor(async () => (await titles(guild.channelId)).length === 6);
    const deliveredBy = await Promise.all(
      [one, two].map((r) => r.metrics.events.value({ outcome: 'delivered' })),
    );
    expect(deliveredBy.every((n) => n > 0)).toBe(true); // both relays have the old webhook cached

    // A new webhook while the old one stays valid: only the cache tells a relay which one to use.
    const fresh = await createWebhook(world, guild.channelId);
    await setModlogRow(world, guild, fresh);
    await publish(
      world,
      guild.streamKey,
      auditEvent(guild, { action: 'modlog.set', details: { Channel: '#mod-logs' } }),
    );
    await publishAll(world, guild.streamKey, warnings(guild, 6, 7));
    await waitFor(async () => (await titles(guild.channelId)).length === 13);
    const all = await messages(world, guild.channelId);
    const afterSet = all.slice(all.findIndex((m) => m.embeds.some((e) => e.title === 'Mod-log channel set')));
    expect(afterSet.map((m) => m.webhook_id)).toEqual(afterSet.map(() => fresh.id));
    await Promise.all([one.stop(), two.stop()]);
  });

  it('treats a refused token (401 / 50027) the same way', async () => {
    const guild = await setupGuild(world);
    await setModlogRow(world, guild, { id: guild.webhook.id, token: 'not-the-token' });
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    await publishAll(world, guild.streamKey, warnings(guild, 3));
    await waitFor(async () => (await deadLettersOf(guild.guildId)).length === 3);
    const sent = await requests(world, `/webhooks/${guild.webhook.id}/`);
    expect(sent.map((r) => r.status)).toEqual([401]);
    const [row] = await world.db.select().from(guilds).where(eq(guilds.guildId, guild.guildId));
    expect(row?.modlogBrokenReason).toContain('50027');
    await relay.stop();
  });
});

describe('crashes and restarts', () => {
  it('posts exactly once when a relay is killed between send and ack and restarted', async () => {
    const guild = await setupGuild(world);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const consumer = `crash-${randomUUID().slice(0, 8)}`;
    const first = startRelay(world, guild.streamKey, { consumer, hooks: { beforeAck: () => held } });
    await first.start();
    const event = caseEvent(guild, 'ban:created');
    await publish(world, guild.streamKey, event);
    await waitFor(async () => (await messages(world, guild.channelId)).length === 1);
    first.kill();
    release();
    expect(await pendingCount(world, guild.streamKey)).toBe(1);

    const second = startRelay(world, guild.streamKey, { consumer });
    await second.start();
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0, {
      what: 'the entry acked',
    });
    expect(await messages(world, guild.channelId)).toHaveLength(1);
    expect(await second.metrics.events.value({ outcome: 'duplicate' })).toBe(1);
    await second.stop();
  });

  it('lets another relay claim what a dead relay left pending, once it is idle', async () => {
    const guild = await setupGuild(world);
    const dead = startRelay(world, guild.streamKey, { hooks: { beforeAck: () => new Promise(() => {}) } });
    await dead.start();
    await publish(world, guild.streamKey, caseEvent(guild, 'mute:applied', { caseNumber: 1 }));
    await waitFor(async () => (await messages(world, guild.channelId)).length === 1);
    dead.kill();
    await publish(world, guild.streamKey, caseEvent(guild, 'mute:removed', { caseNumber: 2 }));
    const other = startRelay(world, guild.streamKey, { claimIdleMs: 500 });
    await other.start();
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0, {
      what: 'claimed and acked',
    });
    expect(await titles(guild.channelId)).toEqual(['Mute | Case #1', 'Unmute | Case #2']);
    await other.stop();
  });

  it('runs two relays on one group without duplicates, keeping each guild in order', async () => {
    const guildsUnderTest = [await setupGuild(world), await setupGuild(world), await setupGuild(world)];
    const streamKey = guildsUnderTest[0]?.streamKey as string;
    const options = { readCount: 5, batching: true };
    const one = startRelay(world, streamKey, options);
    const two = startRelay(world, streamKey, options);
    await Promise.all([one.start(), two.start()]);
    const events: LockdownEvent[] = [];
    for (let i = 1; i <= 30; i++)
      for (const guild of guildsUnderTest)
        events.push(caseEvent(guild, 'warning:added', { caseNumber: i, reason: `warning ${i}` }));
    // The outbox job re-published a few: same eventId, new entries.
    events.push(events[3] as LockdownEvent, events[40] as LockdownEvent, events[77] as LockdownEvent);
    await publishAll(world, streamKey, events);
    for (const guild of guildsUnderTest) {
      await waitFor(async () => (await titles(guild.channelId)).length >= 30, { timeoutMs: 45_000 });
    }
    await waitFor(async () => (await pendingCount(world, streamKey)) === 0);
    for (const guild of guildsUnderTest) expect(await titles(guild.channelId)).toEqual(numbered(30));
    const delivered = await Promise.all(
      [one, two].map((r) => r.metrics.events.value({ outcome: 'delivered' })),
    );
    expect(delivered[0]! + delivered[1]!).toBe(90);
    expect(delivered[0]).toBeGreaterThan(0);
    expect(delivered[1]).toBeGreaterThan(0);
    await Promise.all([one.stop(), two.stop()]);
  });

  it('reconnects after its Redis connection drops', async () => {
    const guild = await setupGuild(world);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    await publish(world, guild.streamKey, caseEvent(guild, 'warning:added', { caseNumber: 1 }));
    await waitFor(async () => (await messages(world, guild.channelId)).length === 1);
    const clients = (await world.redis.client('LIST')) as string;
    const reader = clients
      .split('\n')
      .find((line) => line.includes(`name=lockdown-relay:${relay.consumer}:reader`))
      ?.match(/\bid=(\d+)/)?.[1];
    expect(reader).toBeDefined();
    await world.redis.client('KILL', 'ID', reader as string);
    await publish(world, guild.streamKey, caseEvent(guild, 'warning:added', { caseNumber: 2 }));
    await waitFor(async () => (await messages(world, guild.channelId)).length === 2, {
      what: 'delivery after reconnect',
    });
    expect((await relay.health()).ok).toBe(true);
    await relay.stop();
  });

  it('stops gracefully: the send in flight finishes and is acked, queued events stay pending for the next relay', async () => {
    const guild = await setupGuild(world);
    await fault({
      method: 'POST',
      path: `^/webhooks/${guild.webhook.id}/`,
      count: 1,
      status: 200,
      passThrough: true,
      delayMs: 800,
    });
    const consumer = `stop-${randomUUID().slice(0, 8)}`;
    const relay = startRelay(world, guild.streamKey, { consumer });
    await relay.start();
    await publish(world, guild.streamKey, caseEvent(guild, 'warning:added', { caseNumber: 1 }));
    await waitFor(async () => (await requests(world, `/webhooks/${guild.webhook.id}/`)).length === 1, {
      what: 'the send in flight',
    });
    await publishAll(world, guild.streamKey, warnings(guild, 2, 2));
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 3);
    await relay.stop();
    // The in-flight message landed and was acked; the two queued behind it were not sent.
    expect(await titles(guild.channelId)).toEqual(['Warning | Case #1']);
    expect(await pendingCount(world, guild.streamKey)).toBe(2);
    expect((await relay.health()).ok).toBe(false);

    const next = startRelay(world, guild.streamKey, { consumer });
    await next.start();
    await waitFor(async () => (await titles(guild.channelId)).length === 3);
    expect(await titles(guild.channelId)).toEqual(numbered(3));
    await next.stop();
  });
});
