// The raid digest end to end (real Redis and Postgres, the Discord stand-in with Discord's webhook
// limits): a massban's cases fold into a few digest messages, every case exactly once and in order;
// a reason edit of a case in a digest edits that digest's line; a crash after the post re-finds the
// digest's cases by their lines instead of posting them again.
import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { cases, modlogMessages } from '../../db/schema.ts';
import { digestLineCase } from '../../shared/digest-embeds.ts';
import {
  auditEvent,
  type CaseEvent,
  caseEvent,
  insertCase,
  publish,
  publishAll,
  writeOutbox,
} from '../support/relay-events.ts';
import {
  control,
  messages,
  pendingCount,
  relayWorldForFile,
  setupGuild,
  startRelay,
  type TestGuild,
  waitFor,
} from '../support/relay-harness.ts';
import { TEST_APPLICATION_ID } from '../support/services.ts';

const world = relayWorldForFile();

/** A /massban's cases as the edge writes them: one batch id, consecutive numbers, one sequence each. */
function massban(guild: TestGuild, count: number, from = 1): CaseEvent[] {
  const batchId = randomUUID();
  return Array.from({ length: count }, (_, i) => ({
    ...caseEvent(guild, 'ban:created', { caseNumber: from + i, reason: 'raid wave', batchId }),
    sequence: from + i,
  }));
}

/** The case numbers the channel shows, in order: digest lines and single embeds alike. */
async function shownCases(channelId: string): Promise<number[]> {
  const posted = await messages(world, channelId);
  return posted.flatMap((m) =>
    m.embeds.flatMap((e) => {
      const lines = (e.description ?? '').split('\n').map(digestLineCase);
      if (lines.some((n) => n !== null)) return lines.filter((n): n is number => n !== null);
      const single = e.title?.match(/Case #(\d+)$/)?.[1];
      return single ? [Number(single)] : [];
    }),
  );
}

const upTo = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);

describe('raid digest', () => {
  it('posts a 300-case massban in a few digest messages, every case once and in order, and records them', async () => {
    const guild = await setupGuild(world);
    const events = massban(guild, 300);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    await writeOutbox(world, events, true);
    await publishAll(world, guild.streamKey, events);
    await waitFor(async () => (await shownCases(guild.channelId)).length >= 300, { what: '300 cases' });
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0, { what: 'all acked' });
    expect(await shownCases(guild.channelId)).toEqual(upTo(300));
    const posted = await messages(world, guild.channelId);
    expect(posted.length).toBeLessThanOrEqual(4);
    expect(posted[0]?.embeds[0]?.title).toMatch(/^Ban ×\d+ \| Cases #1–#\d+$/);
    expect(posted[0]?.embeds[0]?.fields?.map((f) => [f.name, f.value])).toContainEqual([
      'Reason',
      'raid wave',
    ]);
    expect(await relay.metrics.events.value({ outcome: 'delivered' })).toBe(300);
    // What each message shows is recorded: a digest embed's entry lists its case ids.
    const rows = await world.db
      .select()
      .from(modlogMessages)
      .where(
        inArray(
          modlogMessages.messageId,
          posted.map((m) => m.id),
        ),
      );
    const recorded = rows.flatMap((r) => (r.caseIds as (string | string[] | null)[]).flat());
    expect(new Set(recorded)).toEqual(new Set(events.map((e) => e.data.id)));
    expect(recorded).toHaveLength(300);
    await relay.stop();
  });

  it("folds the scheduler's lifts of one massban's bans into a digest; a lone lift keeps its own embed", async () => {
    const guild = await setupGuild(world);
    const relay = startRelay(world, guild.streamKey);
    const n = 300;
    // As expire-temp-bans.ts writes them: the bot as moderator, the massban's batch id in the event,
    // one reason for the batch; the lone temporary ban's lift names its case and has no batch.
    const lone = caseEvent(guild, 'ban:removed', {
      caseNumber: 1,
      moderatorId: TEST_APPLICATION_ID,
      reason: 'Temporary ban expired (case #1)',
      source: 'scheduler',
    });
    const batchId = randomUUID();
    const lifts = upTo(n, 2).map((caseNumber) =>
      caseEvent(guild, 'ban:removed', {
        caseNumber,
        moderatorId: TEST_APPLICATION_ID,
        reason: 'Temporary ban expired (massban)',
        source: 'scheduler',
        batchId,
      }),
    );
    await publishAll(world, guild.streamKey, [lone, ...lifts]);
    await relay.start();
    await waitFor(async () => (await shownCases(guild.channelId)).length >= n + 1, {
      what: `${n + 1} cases`,
    });
    expect(await shownCases(guild.channelId)).toEqual(upTo(n + 1));
    const posted = await messages(world, guild.channelId);
    // A message holds 6,000 characters, a digest line ~50: ~75 lifts a message, the lone one riding along.
    expect(posted.length).toBeLessThanOrEqual(Math.ceil((n + 1) / 75));
    const embeds = posted.flatMap((m) => m.embeds);
    expect(embeds[0]?.title).toBe('Unban | Case #1');
    expect(embeds.slice(1).every((e) => /^Unban ×\d+ \| Cases #\d+–#\d+$/.test(e.title ?? ''))).toBe(true);
    expect(embeds[1]?.fields?.find((f) => f.name === 'Reason')?.value).toBe(
      'Temporary ban expired (massban)',
    );
    expect(embeds[1]?.footer?.text).toBe(`Batch ${batchId}`);
    await relay.stop();
  });

  it('edits the line of a case inside a digest when its reason is edited, leaving the others', async () => {
    const guild = await setupGuild(world);
    const events = massban(guild, 40);
    const edited = events[17] as CaseEvent;
    await insertCase(world, edited);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    await publishAll(world, guild.streamKey, events);
    await waitFor(async () => (await shownCases(guild.channelId)).length >= 40, { what: '40 cases' });
    const [digest] = await messages(world, guild.channelId);
    const [row] = await waitFor(async () => {
      const found = await world.db.select().from(cases).where(eq(cases.id, edited.data.id));
      return found[0]?.modlogMessageId ? found : null;
    });
    expect(row?.modlogMessageId).toBe(digest?.id);
    await world.db
      .update(cases)
      .set({
        reason: 'an alt of a banned member',
        reasonEditedBy: guild.moderatorId,
        reasonEditedAt: new Date(),
      })
      .where(eq(cases.id, edited.data.id));
    await publish(
      world,
      guild.streamKey,
      auditEvent(guild, {
        action: 'case.reason_edited',
        id: edited.data.id,
        caseNumber: 18,
        userId: edited.data.userId,
        reason: 'an alt of a banned member',
        details: { 'Old reason': 'raid wave' },
      }),
    );
    const after = await waitFor(async () => {
      const all = await messages(world, guild.channelId);
      return all.length === 2 && all[0]?.edited_timestamp ? all : null;
    });
    expect(after[0]?.id).toBe(digest?.id);
    const lines = (after[0]?.embeds[0]?.description ?? '').split('\n');
    expect(lines[17]).toBe(
      `<@${edited.data.userId}> \`${edited.data.userId}\` #18 — reason: an alt of a banned member (edited by <@${guild.moderatorId}>)`,
    );
    expect(lines.filter((l) => l.includes(' — '))).toHaveLength(1);
    expect(lines).toHaveLength(40);
    expect(after[0]?.embeds[0]?.fields?.find((f) => f.name === 'Reason')?.value).toBe('raid wave');
    expect(after[1]?.embeds[0]?.title).toBe('Case reason edited');
    // Counted once the edited message is saved, just after Discord's answer.
    await waitFor(async () => (await relay.metrics.edits.value({ result: 'edited' })) === 1, {
      what: 'the edit',
    });
    await relay.stop();
  });

  it('folds a run of same-kind cases by one moderator, but not a short run or mixed kinds', async () => {
    const guild = await setupGuild(world);
    const relay = startRelay(world, guild.streamKey);
    // Queue everything before the relay reads, so the lane sees the runs whole.
    const run = upTo(12).map((n) => caseEvent(guild, 'warning:added', { caseNumber: n, reason: 'spam' }));
    const short = upTo(3, 13).map((n) =>
      caseEvent(guild, 'kick:executed', { caseNumber: n, reason: 'spam' }),
    );
    const mixed = upTo(4, 16).map((n) =>
      caseEvent(guild, n % 2 ? 'mute:applied' : 'warning:added', { caseNumber: n, reason: 'spam' }),
    );
    await publishAll(world, guild.streamKey, [...run, ...short, ...mixed]);
    await relay.start();
    await waitFor(async () => (await shownCases(guild.channelId)).length >= 19, { what: '19 cases' });
    expect(await shownCases(guild.channelId)).toEqual(upTo(19));
    const titles = (await messages(world, guild.channelId)).flatMap((m) => m.embeds.map((e) => e.title));
    expect(titles[0]).toBe('Warning ×12 | Cases #1–#12');
    expect(titles.slice(1)).toEqual(
      upTo(7, 13).map((n) => expect.stringMatching(new RegExp(`\\| Case #${n}$`))),
    );
    await relay.stop();
  });

  it('after a send whose outcome is unknown, finds the digest cases by their lines: none posted twice', async () => {
    const guild = await setupGuild(world);
    const events = massban(guild, 30);
    // Discord carries the message out, then answers 503: the relay must look before resending.
    await control(world, 'POST', '/faults', {
      method: 'POST',
      path: `^/webhooks/${guild.webhook.id}/`,
      count: 1,
      status: 503,
      passThrough: true,
    });
    await publishAll(world, guild.streamKey, events);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    await waitFor(async () => (await relay.metrics.events.value({ outcome: 'delivered' })) === 30, {
      what: 'all delivered',
    });
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0, { what: 'all acked' });
    expect(await shownCases(guild.channelId)).toEqual(upTo(30));
    expect(await messages(world, guild.channelId)).toHaveLength(1);
    expect(await relay.metrics.confirmedPosts.value()).toBe(30);
    await relay.stop();
  });

  it('keeps a digest in number order when its first case missed the stream (read from the outbox)', async () => {
    const guild = await setupGuild(world);
    const events = massban(guild, 20);
    await writeOutbox(world, events.slice(0, 1), false);
    await writeOutbox(world, events.slice(1), true);
    await publishAll(world, guild.streamKey, events.slice(1));
    const relay = startRelay(world, guild.streamKey, { orderWaitMs: 300 });
    await relay.start();
    await waitFor(async () => (await shownCases(guild.channelId)).length >= 20, { what: '20 cases' });
    expect(await shownCases(guild.channelId)).toEqual(upTo(20));
    expect(await relay.metrics.sequenceFetched.value()).toBe(1);
    await relay.stop();
  });
});
