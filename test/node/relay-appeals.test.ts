// The relay's appeal lines, end to end (real Redis and Postgres, the Discord stand-in): an
// `appeal.created` line is posted alone with Accept and Deny (only on a webhook our application
// made), and a posted decision (`appeal.accepted`/`appeal.denied`) edits it — the decision shown,
// whether the user was told by DM, its buttons gone — while other lines keep travelling in batches.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { modlogDeliveries } from '../../db/schema.ts';
import { appealCustomId } from '../../shared/appeal-components.ts';
import type { LockdownEvent } from '../../shared/events.ts';
import { auditEvent, caseEvent, publish, publishAll } from '../support/relay-events.ts';
import {
  componentCustomIds,
  editedMessage,
  embedField,
  messages,
  ownedGuild,
  relayWorldForFile,
  setupGuild,
  snowflake,
  startRelay,
  type TestGuild,
  waitFor,
} from '../support/relay-harness.ts';

const world = relayWorldForFile();

type Embed = { title?: string; color?: number; fields?: { name: string; value: string }[] };

function appealCreated(guild: TestGuild, appealId: string, userId: string): LockdownEvent {
  return auditEvent(guild, {
    action: 'appeal.created',
    id: randomUUID(),
    caseNumber: 1,
    userId,
    moderatorId: userId,
    reason: 'I was hacked.',
    details: { Appeal: appealId.slice(0, 8), 'Ban reason': 'Spam' },
    appealId,
  });
}

function decision(
  guild: TestGuild,
  created: LockdownEvent,
  action: 'appeal.accepted' | 'appeal.denied',
  extra: Record<string, unknown>,
): LockdownEvent {
  return auditEvent(guild, {
    action,
    id: created.data.id as string,
    caseNumber: 1,
    userId: created.data.userId as string,
    details: { Appeal: String(created.data.appealId).slice(0, 8) },
    appealId: created.data.appealId,
    appealEventId: created.eventId,
    ...extra,
  });
}

/** The message the event was posted in, once its delivery is recorded. */
const postedIn = (eventId: string) =>
  waitFor(async () => {
    const [row] = await world.db.select().from(modlogDeliveries).where(eq(modlogDeliveries.eventId, eventId));
    return row?.messageId ?? null;
  });

describe('appeal lines', () => {
  it('posts an appeal alone with Accept and Deny; an acceptance edits it and clears them', async () => {
    const guild = await ownedGuild(world);
    const appealId = randomUUID();
    const userId = snowflake();
    const created = appealCreated(guild, appealId, userId);
    // A case just before and just after: the appeal still goes in a message of its own.
    const before = caseEvent(guild, 'warning:added', { caseNumber: 2 });
    const after = caseEvent(guild, 'warning:added', { caseNumber: 3 });
    await publishAll(world, guild.streamKey, [before, created, after]);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const messageId = await postedIn(created.eventId);
    const line = (await messages(world, guild.channelId)).find((m) => m.id === messageId);
    expect(line?.embeds).toHaveLength(1);
    expect((line?.embeds[0] as Embed | undefined)?.title).toBe('Ban appeal');
    expect(embedField(line?.embeds[0], 'Reason')).toBe('I was hacked.');
    expect(componentCustomIds(line?.components)).toEqual([
      appealCustomId('accept', appealId),
      appealCustomId('deny', appealId),
    ]);

    const accepted = decision(guild, created, 'appeal.accepted', {
      dmDelivered: false,
      unbanCaseNumber: 4,
      details: { 'Unban case': '#4', 'Told by DM': 'No — Discord refused the DM' },
    });
    await publish(world, guild.streamKey, accepted);
    const edited = await editedMessage(world, guild, messageId);
    const embed = edited.embeds[0] as Embed;
    expect(embed.title).toBe('Ban appeal (accepted)');
    const shown = embedField(embed, 'Decision');
    expect(shown).toContain(`Accepted by <@${guild.moderatorId}>`);
    expect(shown).toContain('Unbanned — case #4');
    expect(shown).toContain('Not told: Discord refused the DM');
    expect(embedField(embed, 'Reason')).toBe('I was hacked.');
    expect(edited.components).toEqual([]);
    await waitFor(
      async () => (await relay.metrics.edits.value({ trigger: 'appeal', result: 'edited' })) === 1,
    );
    await relay.stop();
  });

  it('shows a denial told by DM', async () => {
    const guild = await ownedGuild(world);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const created = appealCreated(guild, randomUUID(), snowflake());
    await publish(world, guild.streamKey, created);
    const messageId = await postedIn(created.eventId);
    await publish(world, guild.streamKey, decision(guild, created, 'appeal.denied', { dmDelivered: true }));
    const embed = (await editedMessage(world, guild, messageId)).embeds[0] as Embed;
    expect(embed.title).toBe('Ban appeal (denied)');
    expect(embedField(embed, 'Decision')).toMatch(/^Denied by <@\d+> .*\nTold by DM$/);
    await relay.stop();
  });

  it('puts no buttons on an appeal posted through a webhook our application did not make', async () => {
    const guild = await setupGuild(world);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const created = appealCreated(guild, randomUUID(), snowflake());
    await publish(world, guild.streamKey, created);
    const messageId = await postedIn(created.eventId);
    const line = (await messages(world, guild.channelId)).find((m) => m.id === messageId);
    expect(line?.components ?? []).toEqual([]);
    await relay.stop();
  });
});
