// The relay end to end against real Redis and Postgres and the Discord stand-in: rendering, order,
// batching, dedupe, reason edits, undecodable entries, and what /stats and /metrics report.
import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { cases, deadLetters, modlogDeliveries } from '../../db/schema.ts';
import { embedsLength } from '../../shared/embed-fit.ts';
import { eventEmbed } from '../../shared/embeds.ts';
import type { CaseEventType, LockdownEvent } from '../../shared/events.ts';
import { withEventRef } from '../../worker/delivery/work-item.ts';
import {
  auditEvent,
  caseEvent,
  insertCase,
  numberedWarnings,
  publish,
  publishAll,
  writeOutbox,
} from '../support/relay-events.ts';
import {
  messages,
  pendingCount,
  postedEmbeds,
  relayWorldForFile,
  setupGuild,
  startRelay,
  waitFor,
} from '../support/relay-harness.ts';

const world = relayWorldForFile();

// The relay adds the event's reference to the footer (how it finds an earlier post of the event).
const rich = (event: LockdownEvent) => ({ type: 'rich', ...withEventRef(eventEmbed(event), event.eventId) });

describe('relay delivery', () => {
  it('posts each event type with its exact embed, one line per event, and no pings', async () => {
    const guild = await setupGuild(world);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const types: [CaseEventType, string | null][] = [
      ['ban:created', inAWeek],
      ['ban:removed', null],
      ['kick:executed', null],
      ['mute:applied', new Date(Date.now() + 3_600_000).toISOString()],
      ['mute:removed', null],
      ['warning:added', null],
    ];
    const events: LockdownEvent[] = types.map(([type, expiresAt], i) =>
      caseEvent(guild, type, { caseNumber: i + 1, expiresAt, reason: i === 2 ? null : `reason ${i}` }),
    );
    events.push(auditEvent(guild, { action: 'modlog.set', details: { Channel: `<#${guild.channelId}>` } }));
    for (const event of events) {
      await publish(world, guild.streamKey, event);
      // One at a time: an idle relay posts at once, so each event is its own message.
      await waitFor(
        async () => (await messages(world, guild.channelId)).length === events.indexOf(event) + 1,
        {
          what: `message for ${event.eventType}`,
        },
      );
    }
    const posted = await messages(world, guild.channelId);
    expect(posted.map((m) => m.embeds)).toEqual(events.map((e) => [rich(e)]));
    for (const message of posted) expect(message.allowed_mentions).toEqual({ parse: [] });
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0, { what: 'all acked' });
    const rows = await world.db
      .select()
      .from(modlogDeliveries)
      .where(
        inArray(
          modlogDeliveries.eventId,
          events.map((e) => e.eventId),
        ),
      );
    expect(rows).toHaveLength(events.length);
    expect(new Set(rows.map((r) => r.messageId))).toEqual(new Set(posted.map((m) => m.id)));
    await relay.stop();
  });

  it('truncates a very long reason within the embed limits', async () => {
    const guild = await setupGuild(world);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const event = caseEvent(guild, 'ban:created', { reason: 'x'.repeat(3000) });
    await publish(world, guild.streamKey, event);
    const [embed] = await waitFor(async () => {
      const posted = await postedEmbeds(world, guild.channelId);
      return posted.length ? posted : null;
    });
    const reason = embed?.fields?.find((f) => f.name === 'Reason')?.value ?? '';
    expect(reason).toHaveLength(1024);
    expect(reason.endsWith('…')).toBe(true);
    await relay.stop();
  });

  it('keeps each guild in order while guilds proceed in parallel, under load', async () => {
    const a = await setupGuild(world);
    const b = await setupGuild(world);
    b.streamKey = a.streamKey; // one stream, two guilds
    const relay = startRelay(world, a.streamKey);
    await relay.start();
    const events: LockdownEvent[] = [];
    for (let i = 1; i <= 60; i++) {
      events.push(caseEvent(a, i % 2 ? 'ban:created' : 'ban:removed', { caseNumber: i }));
      events.push(caseEvent(b, i % 2 ? 'mute:applied' : 'mute:removed', { caseNumber: i }));
    }
    await publishAll(world, a.streamKey, events);
    for (const guild of [a, b]) {
      const embeds = await waitFor(
        async () => {
          const posted = await postedEmbeds(world, guild.channelId);
          return posted.length >= 60 ? posted : null;
        },
        { timeoutMs: 45_000, what: `60 embeds in guild ${guild.guildId}` },
      );
      expect(embeds.map((e) => e.title?.split('#')[1])).toEqual(
        Array.from({ length: 60 }, (_, i) => String(i + 1)),
      );
    }
    await relay.stop();
  });

  it('batches a burst of 200 events into messages of up to 10 embeds, nothing missing or doubled', async () => {
    const guild = await setupGuild(world);
    const relay = startRelay(world, guild.streamKey);
    const events = Array.from({ length: 200 }, (_, i) =>
      caseEvent(guild, 'warning:added', { caseNumber: i + 1, reason: `burst ${i + 1}` }),
    );
    await publishAll(world, guild.streamKey, events);
    await relay.start();
    const posted = await waitFor(
      async () => {
        const all = await messages(world, guild.channelId);
        return all.flatMap((m) => m.embeds).length >= 200 ? all : null;
      },
      { timeoutMs: 50_000, what: '200 embeds' },
    );
    const titles = posted.flatMap((m) => m.embeds.map((e) => e.title));
    expect(titles).toEqual(events.map((e) => `Warning | Case #${e.data.caseNumber}`));
    expect(posted.length).toBeLessThanOrEqual(25); // batched (at most 10 per message)
    for (const message of posted) {
      expect(message.embeds.length).toBeLessThanOrEqual(10);
      expect(embedsLength(message.embeds)).toBeLessThanOrEqual(6000);
    }
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0, { what: 'all acked' });
    await relay.stop();
  });

  it('posts a redelivered event (same eventId twice in the stream) once', async () => {
    const guild = await setupGuild(world);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const event = caseEvent(guild, 'kick:executed');
    await publish(world, guild.streamKey, event);
    await waitFor(async () => (await messages(world, guild.channelId)).length === 1);
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0);
    await publish(world, guild.streamKey, event); // the outbox job re-published it
    const marker = caseEvent(guild, 'warning:added', { caseNumber: 99 });
    await publish(world, guild.streamKey, marker);
    await waitFor(async () =>
      (await postedEmbeds(world, guild.channelId)).some((e) => e.title?.endsWith('#99')),
    );
    expect((await postedEmbeds(world, guild.channelId)).map((e) => e.title)).toEqual([
      'Kick | Case #1',
      'Warning | Case #99',
    ]);
    expect(await relay.metrics.events.value({ outcome: 'duplicate' })).toBe(1);
    await relay.stop();
  });

  it('acknowledges and counts events of a guild without a mod-log', async () => {
    const guild = await setupGuild(world, { modlog: false });
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    await publish(world, guild.streamKey, caseEvent(guild, 'ban:created'));
    await waitFor(async () => (await relay.metrics.events.value({ outcome: 'skipped' })) === 1);
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0);
    expect(await messages(world, guild.channelId)).toEqual([]);
    await relay.stop();
  });

  it('dead-letters an undecodable entry and keeps going', async () => {
    const guild = await setupGuild(world);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const entryId = await publish(world, guild.streamKey, '{"this is": "not an envelope"');
    const good = caseEvent(guild, 'warning:added');
    await publish(world, guild.streamKey, good);
    await waitFor(async () => (await messages(world, guild.channelId)).length === 1);
    const [letter] = await waitFor(async () => {
      const rows = await world.db.select().from(deadLetters).where(eq(deadLetters.streamEntryId, entryId));
      return rows.length ? rows : null;
    });
    expect(letter).toMatchObject({
      reason: 'undecodable',
      raw: '{"this is": "not an envelope"',
      replayedAt: null,
    });
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0);
    await relay.stop();
  });

  it('edits the original case message in place when its reason is edited, and logs the edit', async () => {
    const guild = await setupGuild(world);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const ban = caseEvent(guild, 'ban:created', { caseNumber: 7, reason: 'old reason' });
    await insertCase(world, ban);
    await publish(world, guild.streamKey, ban);
    const [original] = await waitFor(async () => {
      const posted = await messages(world, guild.channelId);
      return posted.length ? posted : null;
    });
    const [row] = await waitFor(async () => {
      const rows = await world.db.select().from(cases).where(eq(cases.id, ban.data.id));
      return rows[0]?.modlogMessageId ? rows : null;
    });
    expect(row?.modlogMessageId).toBe(original?.id);
    expect(row?.modlogWebhookId).toBe(guild.webhook.id);

    await world.db.update(cases).set({ reason: 'the real reason' }).where(eq(cases.id, ban.data.id));
    await publish(
      world,
      guild.streamKey,
      auditEvent(guild, {
        action: 'case.reason_edited',
        id: ban.data.id,
        caseNumber: 7,
        userId: ban.data.userId,
        reason: 'the real reason',
        details: { 'Old reason': 'old reason' },
      }),
    );
    const edited = await waitFor(async () => {
      const all = await messages(world, guild.channelId);
      return all.length === 2 && all[0]?.edited_timestamp ? all : null;
    });
    expect(edited[0]?.id).toBe(original?.id);
    expect(edited[0]?.embeds[0]?.fields?.find((f) => f.name === 'Reason')?.value).toBe('the real reason');
    expect(edited[0]?.embeds[0]?.title).toBe('Ban | Case #7');
    expect(edited[1]?.embeds[0]?.title).toBe('Case reason edited');
    await relay.stop();
  });
});

describe('per-guild order by event number (sequence) through a failed publish', () => {
  const titles = async (channelId: string) =>
    (await postedEmbeds(world, channelId)).map((e) => Number(e.title?.split('#')[1]));
  const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  it('posts a late event read from the outbox before the later ones, once, and acks its republish as a duplicate', async () => {
    const guild = await setupGuild(world);
    const events = numberedWarnings(guild, 1, 10);
    // Event 1's XADD failed (a Redis blip); 2..10 went through.
    await writeOutbox(world, events.slice(0, 1), false);
    await writeOutbox(world, events.slice(1), true);
    await publishAll(world, guild.streamKey, events.slice(1));
    const relay = startRelay(world, guild.streamKey, { orderWaitMs: 300 });
    await relay.start();
    await waitFor(async () => (await titles(guild.channelId)).length >= 10, { what: 'ten lines' });
    expect(await titles(guild.channelId)).toEqual(upTo(10));
    expect(await relay.metrics.sequenceFetched.value()).toBe(1);
    // The scheduler's republish of event 1 reaches the stream later: acked, not posted again.
    await publish(world, guild.streamKey, events[0] as LockdownEvent);
    const [marker] = numberedWarnings(guild, 11, 1);
    await writeOutbox(world, [marker as LockdownEvent], true);
    await publish(world, guild.streamKey, marker as LockdownEvent);
    await waitFor(async () => (await titles(guild.channelId)).length >= 11, { what: 'the marker' });
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0, { what: 'all acked' });
    expect(await titles(guild.channelId)).toEqual(upTo(11));
    expect(await relay.metrics.events.value({ outcome: 'duplicate' })).toBe(1);
    const rows = await world.db
      .select()
      .from(modlogDeliveries)
      .where(
        inArray(
          modlogDeliveries.eventId,
          [...events, marker].map((e) => (e as LockdownEvent).eventId),
        ),
      );
    expect(rows).toHaveLength(11);
    await relay.stop();
  });

  it('takes a late event that reaches the stream within the wait from the stream', async () => {
    const guild = await setupGuild(world);
    const events = numberedWarnings(guild, 1, 5);
    await writeOutbox(world, events.slice(0, 1), false);
    await writeOutbox(world, events.slice(1), true);
    const relay = startRelay(world, guild.streamKey, { orderWaitMs: 5_000 });
    await relay.start();
    await publishAll(world, guild.streamKey, events.slice(1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await publish(world, guild.streamKey, events[0] as LockdownEvent); // republished, newer stream id
    await waitFor(async () => (await titles(guild.channelId)).length >= 5, { what: 'five lines' });
    expect(await titles(guild.channelId)).toEqual(upTo(5));
    expect(await relay.metrics.sequenceFetched.value()).toBe(0);
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0, { what: 'all acked' });
    await relay.stop();
  });

  it('does not wait for numbers handled before (published, skipped, dead-lettered) and passes over a number found nowhere', async () => {
    const guild = await setupGuild(world);
    const events = numberedWarnings(guild, 1, 6);
    // 1..3 reached the stream before this relay started and were handled (skipped: no trace).
    await writeOutbox(world, events.slice(0, 3), true);
    await writeOutbox(world, [events[3] as LockdownEvent], true);
    const relay = startRelay(world, guild.streamKey, { orderWaitMs: 300 });
    await relay.start();
    await publish(world, guild.streamKey, events[3] as LockdownEvent);
    await waitFor(async () => (await titles(guild.channelId)).length >= 1, { what: 'event 4' });
    expect(await relay.metrics.sequenceWaits.value()).toBe(0);
    // 5 is in no outbox (never committed, say): 6 goes after the bound, and the gap is counted.
    await writeOutbox(world, [events[5] as LockdownEvent], true);
    await publish(world, guild.streamKey, events[5] as LockdownEvent);
    await waitFor(async () => (await titles(guild.channelId)).length >= 2, { what: 'event 6' });
    expect(await titles(guild.channelId)).toEqual([4, 6]);
    expect(await relay.metrics.sequenceGaps.value()).toBe(1);
    await relay.stop();
  });
});
