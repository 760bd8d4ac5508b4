// The relay's unverified resend: a send whose outcome is unknown (a timeout, here one Discord never
// carried out) is checked against the mod-log channel before it is repeated; when the channel cannot
// be read (the bot lacks View Channel there: 50001, or the read itself fails) the relay resends anyway,
// counts `lockdown_relay_unverified_resends_total` and logs once per guild. Also what a missing Read
// Message History does: Discord answers an empty list, which reads as "not posted"; and the cost of an
// unreadable channel: a post whose record was lost is posted again on redelivery (counted).
import { randomUUID } from 'node:crypto';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { modlogDeliveries } from '../../db/schema.ts';
import { WebhookClient } from '../../worker/discord/webhook-client.ts';
import { startHttpServer } from '../../worker/http-server.ts';
import { caseEvent, publish } from '../support/relay-events.ts';
import {
  control,
  messages,
  pendingCount,
  recordingLogger,
  relayWorldForFile,
  requests,
  setupGuild,
  startRelay,
  waitFor,
} from '../support/relay-harness.ts';
import { TEST_BOT_TOKEN } from '../support/services.ts';

const world = relayWorldForFile();

const UNVERIFIED = 'cannot read the mod-log channel to check for an earlier post: posting anyway';

/** A relay whose requests time out after 300 ms, logging into `logger`. */
function quickRelay(streamKey: string, logger: ReturnType<typeof recordingLogger>) {
  return startRelay(world, streamKey, {
    logger,
    discord: new WebhookClient({ apiBase: world.discord.apiBase, botToken: TEST_BOT_TOKEN, timeoutMs: 300 }),
  });
}

/** The next post to the guild's webhook hangs and is never carried out (the client times out). */
const hangNextPost = (webhookId: string) =>
  control(world, 'POST', '/faults', {
    method: 'POST',
    path: `^/webhooks/${webhookId}/`,
    count: 1,
    status: 0,
  });

async function scrape(relay: ReturnType<typeof startRelay>, name: string): Promise<number> {
  const http = await startHttpServer({ relay, port: 0 });
  try {
    const text = await (await fetch(`${http.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return Number(line?.split(' ')[1] ?? Number.NaN);
  } finally {
    await http.close();
  }
}

describe('unverified resends', () => {
  it('without View Channel (50001): resends after a timeout, posts once, counts each resend and logs once per guild', async () => {
    const guild = await setupGuild(world, { botChannelDeny: PermissionFlagsBits.ViewChannel });
    const logger = recordingLogger();
    const relay = quickRelay(guild.streamKey, logger);
    await relay.start();
    for (const n of [1, 2]) {
      await hangNextPost(guild.webhook.id);
      await publish(world, guild.streamKey, caseEvent(guild, 'warning:added', { caseNumber: n }));
      await waitFor(async () => (await messages(world, guild.channelId)).length === n, { what: `post ${n}` });
      await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0);
    }
    // Each timed-out post was followed by a channel read Discord refused, then one resend.
    const reads = await requests(world, `/channels/${guild.channelId}/messages`);
    expect(reads.map((r) => r.status)).toEqual([403, 403]);
    const posts = await requests(world, `/webhooks/${guild.webhook.id}/`);
    expect(posts.map((r) => r.status)).toEqual([0, 200, 0, 200]);
    expect((await messages(world, guild.channelId)).map((m) => m.embeds[0]?.title)).toEqual([
      'Warning | Case #1',
      'Warning | Case #2',
    ]);
    expect(await relay.metrics.unverifiedResends.value()).toBe(2);
    expect(await scrape(relay, 'lockdown_relay_unverified_resends_total')).toBe(2);
    expect(await relay.metrics.confirmedPosts.value()).toBe(0);
    const warned = logger.lines.filter((l) => l.msg === UNVERIFIED);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ level: 'warn', fields: { guildId: guild.guildId } });
    expect(String(warned[0]?.fields.why)).toContain('403 (code 50001)');
    await relay.stop();
  });

  it('when the channel read itself fails (a 5xx): resends, posts once, counts it', async () => {
    const guild = await setupGuild(world);
    await control(world, 'POST', '/faults', {
      method: 'GET',
      path: `^/channels/${guild.channelId}/messages`,
      count: 1,
      status: 500,
    });
    const logger = recordingLogger();
    const relay = quickRelay(guild.streamKey, logger);
    await relay.start();
    await hangNextPost(guild.webhook.id);
    await publish(world, guild.streamKey, caseEvent(guild, 'ban:created', { caseNumber: 1 }));
    await waitFor(async () => (await messages(world, guild.channelId)).length === 1);
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0);
    expect((await requests(world, `/webhooks/${guild.webhook.id}/`)).map((r) => r.status)).toEqual([0, 200]);
    expect(await messages(world, guild.channelId)).toHaveLength(1);
    expect(await relay.metrics.unverifiedResends.value()).toBe(1);
    const why = logger.lines.filter((l) => l.msg === UNVERIFIED).map((l) => String(l.fields.why));
    expect(why).toHaveLength(1);
    expect(why[0]).toMatch(/^Discord answered 500\b/);
    await relay.stop();
  });

  it('with View Channel the read is verified: nothing counted, nothing logged', async () => {
    const guild = await setupGuild(world);
    const logger = recordingLogger();
    const relay = quickRelay(guild.streamKey, logger);
    await relay.start();
    await hangNextPost(guild.webhook.id);
    await publish(world, guild.streamKey, caseEvent(guild, 'kick:executed', { caseNumber: 1 }));
    await waitFor(async () => (await messages(world, guild.channelId)).length === 1);
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0);
    expect((await requests(world, `/channels/${guild.channelId}/messages`)).map((r) => r.status)).toEqual([
      200,
    ]);
    expect(await relay.metrics.unverifiedResends.value()).toBe(0);
    expect(logger.lines.filter((l) => l.msg === UNVERIFIED)).toEqual([]);
    await relay.stop();
  });

  it('without Read Message History (an empty list): counted once the webhook has a recorded post there to look around', async () => {
    const guild = await setupGuild(world, { botChannelDeny: PermissionFlagsBits.ReadMessageHistory });
    const logger = recordingLogger();
    const relay = quickRelay(guild.streamKey, logger);
    await relay.start();
    // The guild's first post: nothing recorded to look around, so the empty list stands (uncounted).
    await hangNextPost(guild.webhook.id);
    await publish(world, guild.streamKey, caseEvent(guild, 'kick:executed', { caseNumber: 1 }));
    await waitFor(async () => (await messages(world, guild.channelId)).length === 1);
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0);
    expect(await relay.metrics.unverifiedResends.value()).toBe(0);
    // The next: the channel reads as empty even around the recorded first post, so it is unreadable.
    await hangNextPost(guild.webhook.id);
    await publish(world, guild.streamKey, caseEvent(guild, 'kick:executed', { caseNumber: 2 }));
    await waitFor(async () => (await messages(world, guild.channelId)).length === 2);
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0);
    const reads = await requests(world, `/channels/${guild.channelId}/messages`);
    expect(
      reads.map((r) => [
        r.status,
        Object.keys(r.query ?? {})
          .sort()
          .join(),
      ]),
    ).toEqual([
      [200, 'after,limit'],
      [200, 'after,limit'],
      [200, 'around,limit'],
    ]);
    expect(await messages(world, guild.channelId)).toHaveLength(2);
    expect(await relay.metrics.unverifiedResends.value()).toBe(1);
    const warned = logger.lines.filter((l) => l.msg === UNVERIFIED);
    expect(warned.map((l) => l.fields.why)).toEqual([
      'the channel reads as empty around a message posted there (no Read Message History?)',
    ]);
    await relay.stop();
  });

  it('with history readable, after a recorded post: verified, not counted', async () => {
    const guild = await setupGuild(world);
    const relay = quickRelay(guild.streamKey, recordingLogger());
    await relay.start();
    await publish(world, guild.streamKey, caseEvent(guild, 'kick:executed', { caseNumber: 1 }));
    await waitFor(async () => (await messages(world, guild.channelId)).length === 1);
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0);
    await hangNextPost(guild.webhook.id);
    await publish(world, guild.streamKey, caseEvent(guild, 'kick:executed', { caseNumber: 2 }));
    await waitFor(async () => (await messages(world, guild.channelId)).length === 2);
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0);
    expect(await relay.metrics.unverifiedResends.value()).toBe(0);
    await relay.stop();
  });

  it('an entry redelivered after a crash, in a channel it cannot read: posted again and counted (the cost of no View Channel)', async () => {
    const guild = await setupGuild(world, { botChannelDeny: PermissionFlagsBits.ViewChannel });
    const consumer = `crash-${randomUUID().slice(0, 8)}`;
    // Held before its ack, then killed: the entry stays pending. Its delivery row is deleted below, as
    // if the relay had died between Discord's 2xx and its record.
    const first = startRelay(world, guild.streamKey, {
      consumer,
      hooks: { beforeAck: () => new Promise(() => {}) },
    });
    await first.start();
    await publish(world, guild.streamKey, caseEvent(guild, 'ban:created', { caseNumber: 1 }));
    await waitFor(async () => (await messages(world, guild.channelId)).length === 1);
    first.kill();
    await world.db.delete(modlogDeliveries).where(eq(modlogDeliveries.guildId, guild.guildId));
    const logger = recordingLogger();
    const second = startRelay(world, guild.streamKey, { consumer, logger });
    await second.start();
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0, {
      what: 'the entry acked',
    });
    expect(await messages(world, guild.channelId)).toHaveLength(2);
    expect(await second.metrics.unverifiedResends.value()).toBe(1);
    expect(logger.lines.filter((l) => l.msg === UNVERIFIED)).toHaveLength(1);
    await second.stop();
  });
});
