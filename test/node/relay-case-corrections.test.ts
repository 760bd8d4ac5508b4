// The relay's edits of a case's mod-log line after its corrections, end to end (real Redis and
// Postgres, the Discord stand-in): a posted `case.deleted` line greys the case's line as removed —
// by whom, when, why, its reason struck, its buttons gone — and a posted `case.duration_changed`
// line shows the case's new end, buttons kept; a case in a digest gets a note on its own line.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { cases } from '../../db/schema.ts';
import { caseCustomId } from '../../shared/modlog-components.ts';
import {
  auditEvent,
  type CaseEvent,
  caseEvent,
  insertCase,
  publish,
  publishAll,
} from '../support/relay-events.ts';
import {
  caseMessageId,
  componentCustomIds,
  editedMessage,
  embedField,
  messages,
  ownedGuild,
  relayWorldForFile,
  startRelay,
  type TestGuild,
  waitFor,
} from '../support/relay-harness.ts';

const world = relayWorldForFile();

type Embed = {
  title?: string;
  color?: number;
  fields?: { name: string; value: string }[];
  description?: string;
};

const unix = (date: Date) => Math.floor(date.getTime() / 1000);

/** What /case delete writes: the deletion on the row, then its audit line. */
async function deleteCase(guild: TestGuild, event: CaseEvent, why: string) {
  const at = new Date();
  await world.db
    .update(cases)
    .set({ deletedAt: at, deletedBy: guild.moderatorId, deleteReason: why })
    .where(eq(cases.id, event.data.id));
  const audit = auditEvent(guild, {
    action: 'case.deleted',
    id: event.data.id,
    caseNumber: event.data.caseNumber,
    userId: event.data.userId,
    reason: why,
  });
  await publish(world, guild.streamKey, audit);
  return at;
}

/** What /duration writes: the new end on the row, then its audit line. */
async function moveEnd(guild: TestGuild, event: CaseEvent, end: Date) {
  await world.db.update(cases).set({ expiresAt: end }).where(eq(cases.id, event.data.id));
  const audit = auditEvent(guild, {
    action: 'case.duration_changed',
    id: event.data.id,
    caseNumber: event.data.caseNumber,
    userId: event.data.userId,
    reason: 'appeal',
  });
  await publish(world, guild.streamKey, audit);
}

describe('a case’s line after its corrections', () => {
  it('greys a deleted case’s line as removed — by whom, when, why — and drops its buttons', async () => {
    const guild = await ownedGuild(world);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const ban = caseEvent(guild, 'ban:created', { caseNumber: 1, reason: 'raiding' });
    await insertCase(world, ban);
    await publish(world, guild.streamKey, ban);
    const messageId = await caseMessageId(world, ban.data.id);
    const at = await deleteCase(guild, ban, 'wrong member');
    const line = await editedMessage(world, guild, messageId);
    const embed = line.embeds[0] as Embed;
    expect(embed.title).toBe('[Removed] Ban | Case #1');
    expect(embed.color).toBe(0x747f8d);
    expect(embedField(embed, 'Removed')).toBe(
      `by <@${guild.moderatorId}> <t:${unix(at)}:f> (<t:${unix(at)}:R>): wrong member`,
    );
    expect(embedField(embed, 'Reason')).toBe('~~raiding~~');
    expect(line.components).toEqual([]);
    // The audit line itself is posted too, titled.
    const all = await messages(world, guild.channelId);
    expect(all.map((m) => m.embeds[0]?.title)).toContain('Case deleted');
    await waitFor(
      async () => (await relay.metrics.edits.value({ trigger: 'deleted', result: 'edited' })) === 1,
    );
    await relay.stop();
  });

  it('shows a mute’s new end after /duration, its buttons kept', async () => {
    const guild = await ownedGuild(world);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const start = new Date();
    const mute = caseEvent(guild, 'mute:applied', {
      caseNumber: 1,
      expiresAt: new Date(start.getTime() + 3_600_000).toISOString(),
    });
    await insertCase(world, mute);
    await publish(world, guild.streamKey, mute);
    const messageId = await caseMessageId(world, mute.data.id);
    const end = new Date(new Date(mute.timestamp).getTime() + 3 * 3_600_000);
    await moveEnd(guild, mute, end);
    const line = await editedMessage(world, guild, messageId);
    const embed = line.embeds[0] as Embed;
    expect(embedField(embed, 'Ends')).toBe(`<t:${unix(end)}:f> (<t:${unix(end)}:R>)`);
    expect(embedField(embed, 'Duration')).toBe('3 hours');
    expect(componentCustomIds(line.components)).toEqual([
      caseCustomId('reason', mute.data.id),
      caseCustomId('undo', mute.data.id),
      caseCustomId('history', mute.data.id),
    ]);
    await waitFor(
      async () => (await relay.metrics.edits.value({ trigger: 'duration', result: 'edited' })) === 1,
    );
    await relay.stop();
  });

  it('notes a removal and a new end on a digest’s own line of the case', async () => {
    const guild = await ownedGuild(world);
    const batchId = randomUUID();
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const massban = [1, 2, 3].map((n) =>
      caseEvent(guild, 'ban:created', { caseNumber: n, batchId, reason: 'raid', expiresAt }),
    );
    for (const event of massban) await insertCase(world, event);
    await publishAll(world, guild.streamKey, massban);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const [first, second, third] = massban as [CaseEvent, CaseEvent, CaseEvent];
    const digestId = await caseMessageId(world, second.data.id);
    await deleteCase(guild, second, 'not in the raid');
    const afterDelete = await editedMessage(world, guild, digestId);
    expect((afterDelete.embeds[0] as Embed).description?.split('\n')[1]).toBe(
      `<@${second.data.userId}> \`${second.data.userId}\` #2 — ~~removed~~ by <@${guild.moderatorId}>: not in the raid`,
    );
    const end = new Date(new Date(third.timestamp).getTime() + 3_600_000);
    await moveEnd(guild, third, end);
    await waitFor(async () => {
      const found = (await messages(world, guild.channelId)).find((m) => m.id === digestId);
      const lines = (found?.embeds[0] as Embed | undefined)?.description?.split('\n') ?? [];
      return lines[2]?.includes('now ends') ? lines : null;
    }).then((lines) => {
      expect(lines[2]).toBe(
        `<@${third.data.userId}> \`${third.data.userId}\` #3 — now ends <t:${unix(end)}:f>`,
      );
      expect(lines[0]).toMatch(new RegExp(` #${first.data.caseNumber}$`));
    });
    await relay.stop();
  });
});
