// The relay's buttons under mod-log lines, end to end (real Redis and Postgres, the Discord stand-in
// with its webhook limits): on a webhook our application made, a case shown alone gets Edit reason,
// Undo and History, a message of several cases a menu, a digest none; on any other webhook nothing
// (and no with_components). A posted case that ended an earlier one (an unban, the scheduler's lift)
// edits that case's line to say how it ended and drops its Undo; a reason edit keeps the buttons;
// the message a case was given for is shown; a message Discord refuses with its buttons goes without.
import { randomUUID } from 'node:crypto';
import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  ComponentType,
} from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { cases } from '../../db/schema.ts';
import type { MessageEvidence } from '../../shared/evidence.ts';
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
  control,
  editedMessage,
  embedField,
  messages,
  ownedGuild,
  relayWorldForFile,
  requests,
  setupGuild,
  snowflake,
  startRelay,
  type TestGuild,
  waitFor,
} from '../support/relay-harness.ts';

const world = relayWorldForFile();

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

/** Waits for the channel to hold `count` messages, and returns them. */
const posted = (guild: TestGuild, count: number) =>
  waitFor(async () => {
    const all = await messages(world, guild.channelId);
    return all.length >= count ? all : null;
  });

/** What the edge writes when a case ends an earlier one: the new case, and the end on the old. */
async function endCase(ended: CaseEvent, by: CaseEvent, state: 'lifted' | 'expired' | 'superseded') {
  await insertCase(world, by);
  await world.db
    .update(cases)
    .set({ state, endedAt: new Date(by.timestamp), endedByCaseId: by.data.id })
    .where(eq(cases.id, ended.data.id));
}

describe('buttons under mod-log lines', () => {
  it('gives a case shown alone Edit reason, Undo and History, carrying its id', async () => {
    const guild = await ownedGuild(world);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const ban = caseEvent(guild, 'ban:created', { caseNumber: 1 });
    await publish(world, guild.streamKey, ban);
    const [message] = await posted(guild, 1);
    expect(componentCustomIds(message?.components)).toEqual([
      caseCustomId('reason', ban.data.id),
      caseCustomId('undo', ban.data.id),
      caseCustomId('history', ban.data.id),
    ]);
    const [sent] = await requests(world, `/webhooks/${guild.webhook.id}/`);
    expect(sent?.query).toMatchObject({ wait: 'true', with_components: 'true' });
    // A warning has nothing to undo.
    const warn = caseEvent(guild, 'warning:added', { caseNumber: 2 });
    await publish(world, guild.streamKey, warn);
    const [, second] = await posted(guild, 2);
    expect(componentCustomIds(second?.components)).toEqual([
      caseCustomId('reason', warn.data.id),
      caseCustomId('history', warn.data.id),
    ]);
    await relay.stop();
  });

  it('gives a message of several cases a menu of them, a digest and an audit line none', async () => {
    const guild = await ownedGuild(world);
    const warnings = [1, 2, 3].map((n) =>
      caseEvent(guild, 'warning:added', { caseNumber: n, reason: `w${n}` }),
    );
    // Queued before the relay starts, they go in one message.
    await publishAll(world, guild.streamKey, warnings);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const [batched] = await posted(guild, 1);
    expect(batched?.embeds).toHaveLength(3);
    const [row] = (batched?.components ?? []) as Row[];
    const menu = row?.components[0];
    expect(row?.components).toHaveLength(1);
    expect(menu?.type).toBe(ComponentType.StringSelect);
    expect(menu?.type === ComponentType.StringSelect && menu.custom_id).toBe(caseCustomId('pick'));
    expect(menu?.type === ComponentType.StringSelect && menu.options.map((o) => [o.label, o.value])).toEqual(
      warnings.map((w) => [`#${w.data.caseNumber} Warning`, w.data.id]),
    );

    // A massban queued while no relay runs folds into one digest.
    await relay.stop();
    const batchId = randomUUID();
    const massban = [4, 5, 6].map((n) =>
      caseEvent(guild, 'ban:created', { caseNumber: n, batchId, reason: 'raid' }),
    );
    await publishAll(world, guild.streamKey, massban);
    const next = startRelay(world, guild.streamKey);
    await next.start();
    const [, digest] = await posted(guild, 2);
    expect(digest?.embeds[0]?.title).toBe('Ban ×3 | Cases #4–#6');
    expect(digest?.components).toEqual([]);
    await publish(world, guild.streamKey, auditEvent(guild, { action: 'slowmode.set' }));
    const [, , audit] = await posted(guild, 3);
    expect(audit?.components).toEqual([]);
    await next.stop();
  });

  it('sends none to a webhook our application did not make', async () => {
    const guild = await setupGuild(world);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    await publish(world, guild.streamKey, caseEvent(guild, 'ban:created'));
    const [message] = await posted(guild, 1);
    expect(message?.components).toEqual([]);
    const [sent] = await requests(world, `/webhooks/${guild.webhook.id}/`);
    expect(sent?.query).toEqual({ wait: 'true' });
    expect(sent?.body).not.toHaveProperty('components');
    await relay.stop();
  });

  it('sends a line Discord refuses with its buttons again without them, rather than losing it', async () => {
    const guild = await ownedGuild(world);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    await control(world, 'POST', '/faults', {
      method: 'POST',
      path: `^/webhooks/${guild.webhook.id}/`,
      count: 1,
      status: 400,
      code: 50035,
      message: 'Invalid Form Body',
    });
    await publish(world, guild.streamKey, caseEvent(guild, 'ban:created'));
    const [message] = await posted(guild, 1);
    expect(message?.embeds[0]?.title).toBe('Ban | Case #1');
    expect(message?.components).toEqual([]);
    // Counted once recorded, just after the post.
    await waitFor(async () => (await relay.metrics.events.value({ outcome: 'delivered' })) === 1);
    await relay.stop();
  });
});

describe('lines that show how a case ended', () => {
  it('edits a ban’s line when an unban lifts it: “Undone — case #2 by @mod”, and Undo is gone', async () => {
    const guild = await ownedGuild(world);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const ban = caseEvent(guild, 'ban:created', { caseNumber: 1 });
    await insertCase(world, ban);
    await publish(world, guild.streamKey, ban);
    const messageId = await caseMessageId(world, ban.data.id);
    const unban = caseEvent(guild, 'ban:removed', { caseNumber: 2, userId: ban.data.userId });
    await endCase(ban, unban, 'lifted');
    await publish(world, guild.streamKey, unban);
    const line = await editedMessage(world, guild, messageId);
    expect(embedField(line.embeds[0], 'Status')).toMatch(
      new RegExp(`^Undone — case #2 by <@${guild.moderatorId}> <t:\\d+:f>`),
    );
    expect(line.embeds[0]?.footer?.text).toBe(`Case ${ban.data.id} · ref ${ban.eventId}`);
    expect(componentCustomIds(line.components)).toEqual([
      caseCustomId('reason', ban.data.id),
      caseCustomId('history', ban.data.id),
    ]);
    const [edit] = await requests(world, `/messages/${messageId}`);
    expect(edit?.query).toEqual({ with_components: 'true' });
    await waitFor(
      async () => (await relay.metrics.edits.value({ trigger: 'ended', result: 'edited' })) === 1,
    );

    // A later reason edit of the ended case keeps its status and its (recomputed) buttons.
    await world.db
      .update(cases)
      .set({ reason: 'ban evasion', reasonEditedBy: guild.moderatorId, reasonEditedAt: new Date() })
      .where(eq(cases.id, ban.data.id));
    await publish(
      world,
      guild.streamKey,
      auditEvent(guild, {
        action: 'case.reason_edited',
        id: ban.data.id,
        caseNumber: 1,
        reason: 'ban evasion',
      }),
    );
    const again = await waitFor(async () => {
      const found = (await messages(world, guild.channelId)).find((m) => m.id === messageId);
      return embedField(found?.embeds[0], 'Reason') === 'ban evasion' ? found : null;
    });
    expect(embedField(again.embeds[0], 'Status')).toMatch(/^Undone — case #2/);
    expect(componentCustomIds(again.components)).toEqual([
      caseCustomId('reason', ban.data.id),
      caseCustomId('history', ban.data.id),
    ]);
    await relay.stop();
  });

  it('keeps a reason-edited line’s buttons, Undo included while the case is in force', async () => {
    const guild = await ownedGuild(world);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const mute = caseEvent(guild, 'mute:applied', {
      caseNumber: 1,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await insertCase(world, mute);
    await publish(world, guild.streamKey, mute);
    const messageId = await caseMessageId(world, mute.data.id);
    await world.db.update(cases).set({ reason: 'the real reason' }).where(eq(cases.id, mute.data.id));
    await publish(
      world,
      guild.streamKey,
      auditEvent(guild, {
        action: 'case.reason_edited',
        id: mute.data.id,
        caseNumber: 1,
        reason: 'the real reason',
      }),
    );
    const line = await editedMessage(world, guild, messageId);
    expect(embedField(line.embeds[0], 'Reason')).toBe('the real reason');
    expect(embedField(line.embeds[0], 'Status')).toBeUndefined();
    expect(componentCustomIds(line.components)).toEqual([
      caseCustomId('reason', mute.data.id),
      caseCustomId('undo', mute.data.id),
      caseCustomId('history', mute.data.id),
    ]);
    await waitFor(
      async () => (await relay.metrics.edits.value({ trigger: 'reason', result: 'edited' })) === 1,
    );
    await relay.stop();
  });

  it('marks a temp ban lifted on schedule “Expired — case #N”, and a digest line of a lifted ban', async () => {
    const guild = await ownedGuild(world);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const temp = caseEvent(guild, 'ban:created', {
      caseNumber: 1,
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    await insertCase(world, temp);
    await publish(world, guild.streamKey, temp);
    const single = await caseMessageId(world, temp.data.id);
    const lift = caseEvent(guild, 'ban:removed', {
      caseNumber: 2,
      userId: temp.data.userId,
      source: 'scheduler',
    });
    await endCase(temp, lift, 'expired');
    await publish(world, guild.streamKey, lift);
    const expiredLine = await editedMessage(world, guild, single);
    expect(embedField(expiredLine.embeds[0], 'Status')).toMatch(/^Expired — case #2 <t:\d+:f>/);
    expect(componentCustomIds(expiredLine.components)).not.toContain(caseCustomId('undo', temp.data.id));

    await relay.stop();
    const batchId = randomUUID();
    const massban = [3, 4, 5].map((n) =>
      caseEvent(guild, 'ban:created', { caseNumber: n, batchId, reason: 'raid' }),
    );
    for (const event of massban) await insertCase(world, event);
    await publishAll(world, guild.streamKey, massban);
    const next = startRelay(world, guild.streamKey);
    await next.start();
    const digestId = await caseMessageId(world, (massban[1] as CaseEvent).data.id);
    const unban = caseEvent(guild, 'ban:removed', {
      caseNumber: 6,
      userId: (massban[1] as CaseEvent).data.userId,
    });
    await endCase(massban[1] as CaseEvent, unban, 'lifted');
    await publish(world, guild.streamKey, unban);
    const digest = await editedMessage(world, guild, digestId);
    const userId = (massban[1] as CaseEvent).data.userId;
    expect(digest.embeds[0]?.description?.split('\n')).toEqual([
      expect.stringMatching(/ #3$/),
      `<@${userId}> \`${userId}\` #4 — undone: case #6`,
      expect.stringMatching(/ #5$/),
    ]);
    expect(digest.components).toEqual([]);
    await next.stop();
  });
});

describe('evidence', () => {
  it('shows the message a case was given for in its line, mentions defused', async () => {
    const guild = await ownedGuild(world);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const evidence: MessageEvidence = {
      messageId: snowflake(),
      channelId: snowflake(),
      authorId: snowflake(),
      content: 'free nitro for @everyone at https://example.test',
      truncated: false,
      attachments: ['proof.png'],
      sentAt: new Date().toISOString(),
    };
    await publish(world, guild.streamKey, caseEvent(guild, 'warning:added', { evidence }));
    const [message] = await posted(guild, 1);
    const shown = embedField(message?.embeds[0], 'Evidence') ?? '';
    expect(shown).toContain(
      `[Message](https://discord.com/channels/${guild.guildId}/${evidence.channelId}/${evidence.messageId}) by <@${evidence.authorId}>`,
    );
    expect(shown).toContain('> free nitro for @\u200beveryone at https://example.test');
    expect(shown).toMatch(/\nAttachments: proof\.png$/);
    expect(message?.mention_everyone).toBe(false);
    await relay.stop();
  });
});
