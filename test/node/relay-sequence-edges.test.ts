// Edges of per-guild order by event number (lanes/sequence-check.ts): an event Redis accepted whose
// outbox row was never marked published (the edge died between XADD and marking) is read from the
// outbox by a relay that waited for it, while another relay holds its stream entry: posted once, in
// order, whichever stream id is older. And an event skipped for want of a mod-log, left unmarked the
// same way, is not posted later (by a relay that restarted, or after the scheduler's republish).
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { modlogDeliveries, outbox } from '../../db/schema.ts';
import type { LockdownEvent } from '../../shared/events.ts';
import { auditEvent, numberedWarnings, publish, writeOutbox } from '../support/relay-events.ts';
import {
  control,
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

const numbers = async (channelId: string) =>
  (await postedEmbeds(world, channelId)).map((e) => Number(e.title?.split('#')[1]));

/** Consumer → entries it holds. */
async function holders(streamKey: string): Promise<Record<string, number>> {
  const summary = (await world.redis.xpending(streamKey, 'relay')) as [number, ...unknown[]];
  return Object.fromEntries(((summary[3] ?? []) as [string, string][]).map(([c, n]) => [c, Number(n)]));
}

// One entry at a time per relay, so the test decides which relay reads which entry.
const one = { maxInFlight: 1, readCount: 1, orderWaitMs: 300 } as const;

describe('a published-but-unmarked event held by another relay', () => {
  it('older entry: the relay that read it from the outbox waits for the holder, and posts it once', async () => {
    const guild = await setupGuild(world);
    const [first, second] = numberedWarnings(guild, 1, 2) as [LockdownEvent, LockdownEvent];
    await writeOutbox(world, [first], false); // in Redis, but never marked
    await writeOutbox(world, [second], true);
    // The holder's post is carried out at once and answered 2 s later (> the 300 ms wait).
    await control(world, 'POST', '/faults', {
      method: 'POST',
      path: `^/webhooks/${guild.webhook.id}/`,
      count: 1,
      status: 200,
      passThrough: true,
      delayMs: 2_000,
    });
    const holder = startRelay(world, guild.streamKey, one);
    await holder.start();
    await publish(world, guild.streamKey, first);
    await waitFor(async () => (await requests(world, `/webhooks/${guild.webhook.id}/`)).length === 1);
    const waiter = startRelay(world, guild.streamKey, one);
    await waiter.start();
    await publish(world, guild.streamKey, second);
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0, { what: 'both acked' });
    expect(await numbers(guild.channelId)).toEqual([1, 2]);
    expect(await waiter.metrics.sequenceFetched.value()).toBe(1);
    expect(await waiter.metrics.orderWaits.value()).toBeGreaterThan(0);
    await Promise.all([holder.stop(), waiter.stop()]);
  });

  it('newer entry (its XADD landed after the next one): posted once, before the next', async () => {
    const guild = await setupGuild(world);
    const [first, second] = numberedWarnings(guild, 1, 2) as [LockdownEvent, LockdownEvent];
    await writeOutbox(world, [first], false);
    await writeOutbox(world, [second], true);
    // The waiter reads 2 and waits for 1; then 1 reaches the stream and the other relay reads it.
    const waiter = startRelay(world, guild.streamKey, { ...one, orderWaitMs: 1_000 });
    await waiter.start();
    await publish(world, guild.streamKey, second);
    await waitFor(async () => (await waiter.metrics.sequenceWaits.value()) === 1, { what: 'the wait' });
    const holder = startRelay(world, guild.streamKey, one);
    await holder.start();
    await publish(world, guild.streamKey, first);
    await waitFor(async () => (await holders(guild.streamKey))[holder.consumer] === 1, {
      what: 'the other relay to hold 1',
    });
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0, { what: 'both acked' });
    expect(await numbers(guild.channelId)).toEqual([1, 2]);
    const rows = await world.db
      .select()
      .from(modlogDeliveries)
      .where(eq(modlogDeliveries.guildId, guild.guildId));
    expect(rows).toHaveLength(2);
    // The waiter read 1 from the outbox and posted it first; the holder, held back by the order gate
    // until the waiter acked 2, then found it posted.
    expect(await waiter.metrics.sequenceFetched.value()).toBe(1);
    expect(await holder.metrics.events.value({ outcome: 'duplicate' })).toBe(1);
    await Promise.all([holder.stop(), waiter.stop()]);
  });
});

describe('an event skipped for want of a mod-log, never marked published', () => {
  it('is not posted once the guild has a mod-log: not by a relay started later, not after its republish', async () => {
    const guild = await setupGuild(world, { modlog: false });
    const [skipped] = numberedWarnings(guild, 1, 1) as [LockdownEvent];
    await writeOutbox(world, [skipped], false); // in Redis, but never marked
    const before = startRelay(world, guild.streamKey, { orderWaitMs: 300 });
    await before.start();
    await publish(world, guild.streamKey, skipped);
    await waitFor(async () => (await before.metrics.events.value({ outcome: 'skipped' })) === 1);
    await before.stop();

    // `/modlog set` (number 2), then a warning (number 3), handled by a relay that knows nothing yet.
    await setModlogRow(world, guild, guild.webhook);
    const set = {
      ...auditEvent(guild, { action: 'modlog.set', details: { Channel: '#mod-logs' } }),
      sequence: 2,
    };
    const [later] = numberedWarnings(guild, 3, 1) as [LockdownEvent];
    await writeOutbox(world, [set, later], true);
    const after = startRelay(world, guild.streamKey, { orderWaitMs: 300 });
    await after.start();
    await publish(world, guild.streamKey, set);
    await publish(world, guild.streamKey, later);
    await waitFor(async () => (await postedEmbeds(world, guild.channelId)).length >= 2, {
      what: 'two lines',
    });
    // The scheduler republishes rows still unmarked after 30 s: this one must not be among them.
    const [row] = await world.db.select().from(outbox).where(eq(outbox.eventId, skipped.eventId));
    if (row?.publishedAt === null) await publish(world, guild.streamKey, skipped);
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0, { what: 'all acked' });
    expect((await postedEmbeds(world, guild.channelId)).map((e) => e.title)).toEqual([
      'Mod-log channel set',
      'Warning | Case #3',
    ]);
    expect(await after.metrics.sequenceFetched.value()).toBe(0);
    expect(row?.publishedAt).toBeInstanceOf(Date);
    await after.stop();
  });
});
