// An older relay beside a newer edge: events of a type it does not know are acked and counted
// (one label per type, bounded), logged once, never dead-lettered, and never hold up the guild's
// order: their numbers count as done, on the stream or still unpublished in the outbox.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { deadLetters } from '../../db/schema.ts';
import type { LockdownEvent } from '../../shared/events.ts';
import { caseEvent, publish, writeOutbox } from '../support/relay-events.ts';
import {
  pendingCount,
  postedEmbeds,
  relayWorldForFile,
  setupGuild,
  startRelay,
  type TestGuild,
  waitFor,
} from '../support/relay-harness.ts';

const world = relayWorldForFile();

/** An envelope from a newer edge: well formed, of a type this relay does not know. */
function futureEvent(guild: TestGuild, eventType: string, sequence?: number) {
  return {
    eventId: randomUUID(),
    eventType,
    timestamp: new Date().toISOString(),
    ...(sequence === undefined ? {} : { sequence }),
    data: { id: randomUUID(), guildId: guild.guildId, moderatorId: guild.moderatorId, score: 0.97 },
  };
}

const warning = (guild: TestGuild, n: number): LockdownEvent => ({
  ...caseEvent(guild, 'warning:added', { caseNumber: n, reason: `warning ${n}` }),
  sequence: n,
});

describe('event types this relay does not know', () => {
  it('acks and counts them without a post or a dead letter, and keeps the guild in order past their numbers', async () => {
    const guild = await setupGuild(world);
    // 1 warning, 2 unknown, 3 warning, 4 unknown (its XADD failed: only in the outbox), 5 warning.
    const one = warning(guild, 1);
    const two = futureEvent(guild, 'raid:detected', 2);
    const three = warning(guild, 3);
    const four = futureEvent(guild, 'raid:detected', 4);
    const five = warning(guild, 5);
    await writeOutbox(world, [one, two as unknown as LockdownEvent, three, five], true);
    await writeOutbox(world, [four as unknown as LockdownEvent], false);
    // A long order wait: a relay that waited for 4 would take seconds.
    const relay = startRelay(world, guild.streamKey, { orderWaitMs: 10_000 });
    await relay.start();
    const started = Date.now();
    for (const event of [one, two, three, five]) await publish(world, guild.streamKey, JSON.stringify(event));
    await waitFor(async () => (await postedEmbeds(world, guild.channelId)).length >= 3, {
      what: 'three lines',
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    const titles = (await postedEmbeds(world, guild.channelId)).map((e) => e.title);
    expect(titles).toEqual(['Warning | Case #1', 'Warning | Case #3', 'Warning | Case #5']);
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0, { what: 'all acked' });
    expect(await relay.metrics.unknownEvents.byLabel('event_type')).toEqual({ 'raid:detected': 1 });
    expect(await relay.metrics.sequenceWaits.value()).toBe(0);
    expect(await relay.metrics.sequenceGaps.value()).toBe(0);
    expect(await relay.metrics.events.value({ outcome: 'dead_lettered' })).toBe(0);
    const letters = await world.db.select().from(deadLetters).where(eq(deadLetters.guildId, guild.guildId));
    expect(letters).toEqual([]);

    // The scheduler's republish of 4 later: acked and counted the same way, then 6 goes at once.
    await publish(world, guild.streamKey, JSON.stringify(four));
    const six = warning(guild, 6);
    await writeOutbox(world, [six], true);
    await publish(world, guild.streamKey, six);
    await waitFor(async () => (await postedEmbeds(world, guild.channelId)).length >= 4, { what: 'event 6' });
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0, { what: 'all acked' });
    expect(await relay.metrics.unknownEvents.byLabel('event_type')).toEqual({ 'raid:detected': 2 });
    expect(await relay.metrics.sequenceWaits.value()).toBe(0);
    expect((await relay.stats()).unknownEvents).toEqual({ 'raid:detected': 2 });
    expect(await relay.metricsText()).toContain(
      'lockdown_relay_unknown_events_total{event_type="raid:detected"} 2',
    );
    await relay.stop();
  });

  it('keeps the type label bounded: past 20 types, the rest count as "other"', async () => {
    const guild = await setupGuild(world);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    for (let i = 0; i < 23; i++)
      await publish(world, guild.streamKey, JSON.stringify(futureEvent(guild, `future:kind${i}`)));
    await publish(world, guild.streamKey, JSON.stringify(futureEvent(guild, 'future:kind0')));
    // Garbage is still garbage: dead-lettered as undecodable.
    await publish(
      world,
      guild.streamKey,
      JSON.stringify({ ...futureEvent(guild, 'future:kind1'), eventId: 'x' }),
    );
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0, { what: 'all acked' });
    const counts = await relay.metrics.unknownEvents.byLabel('event_type');
    expect(Object.keys(counts)).toHaveLength(21);
    expect(counts['future:kind0']).toBe(2);
    expect(counts.other).toBe(3);
    expect(await relay.metrics.deadLettered.value({ reason: 'undecodable' })).toBe(1);
    expect(await postedEmbeds(world, guild.channelId)).toEqual([]);
    await relay.stop();
  });
});
