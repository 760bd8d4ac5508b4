// Each moderation command's success path, end to end through the Worker: the exact request Discord
// received, the numbered case, the outbox row, the event in the stream and on pub/sub.
import { describe, expect, it } from 'vitest';
import type { LockdownEvent } from '../../shared/events.ts';
import {
  casesOf,
  discordGuildState,
  discordRequests,
  heardOnPubSub,
  outboxOf,
  runCommand,
  seedGuild,
  streamEventsOf,
  stringOption,
  type TestGuild,
  testConfig,
  userOption,
} from '../support/edge.ts';

const { DISCORD_BOT_TOKEN } = testConfig().bindings;

/** The one request made to `path` with `method` (DMs and guild look-ups are separate requests). */
async function actionRequest(guild: TestGuild, method: string, path: string) {
  const matching = (await discordRequests(guild.guildId)).filter(
    (r) => r.method === method && r.path === path,
  );
  expect(matching).toHaveLength(1);
  return matching[0]!;
}

async function expectPublished(guild: TestGuild, eventType: string): Promise<LockdownEvent> {
  const events = await streamEventsOf(guild.guildId);
  expect(events.map((e) => e.eventType)).toEqual([eventType]);
  const heard = await heardOnPubSub(guild.guildId);
  expect(heard).toHaveLength(1);
  expect(heard[0]!.channel).toBe(eventType);
  expect(JSON.parse(heard[0]!.message)).toEqual(events[0]);
  const [row] = await outboxOf(guild.guildId);
  expect(row?.publishedAt).toBeInstanceOf(Date);
  expect(row?.payload).toEqual(events[0]);
  return events[0]!;
}

describe('/ban', () => {
  it('bans a member for a while, records case #1 and publishes ban:created', async () => {
    const guild = await seedGuild();
    const before = Date.now();
    const result = await runCommand({
      guild,
      name: 'ban',
      options: [
        userOption('user', guild.targetId),
        stringOption('reason', 'Spamming invites'),
        stringOption('duration', '2h'),
        stringOption('delete_messages', '1h'),
      ],
      resolve: [{ id: guild.targetId }],
    });
    expect(result.status).toBe(200);
    expect(result.body.type).toBe(4);
    expect(result.body.data?.flags).toBe(64);
    expect(result.body.data?.allowed_mentions).toEqual({ parse: [] });
    expect(result.body.data?.content).toBe(
      `**Banned** <@${guild.targetId}> for 2 hours — case #1. They were told by DM.`,
    );

    const request = await actionRequest(guild, 'PUT', `/guilds/${guild.guildId}/bans/${guild.targetId}`);
    expect(request.headers.authorization).toBe(`Bot ${DISCORD_BOT_TOKEN}`);
    expect(request.body).toEqual({ delete_message_seconds: 3600 });
    expect(request.auditLogReason).toBe(`moderator (${guild.moderatorId}): Spamming invites`);
    expect((await discordGuildState(guild.guildId)).bans.map((b) => b.user.id)).toEqual([guild.targetId]);

    const [row] = await casesOf(guild.guildId);
    expect(row).toMatchObject({
      caseNumber: 1,
      action: 'ban',
      userId: guild.targetId,
      moderatorId: guild.moderatorId,
      reason: 'Spamming invites',
      state: 'active',
      dmDelivered: true,
    });
    const length = row!.expiresAt!.getTime() - row!.createdAt.getTime();
    expect(length).toBe(2 * 3_600_000);
    expect(row!.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);

    const event = await expectPublished(guild, 'ban:created');
    expect(event.data).toMatchObject({
      id: row!.id,
      caseNumber: 1,
      guildId: guild.guildId,
      userId: guild.targetId,
      moderatorId: guild.moderatorId,
      reason: 'Spamming invites',
      expiresAt: row!.expiresAt!.toISOString(),
    });
  });

  it('bans a user who is not in the server, without a DM', async () => {
    const guild = await seedGuild();
    const result = await runCommand({
      guild,
      name: 'ban',
      options: [userOption('user', guild.outsiderId)],
      resolve: [{ id: guild.outsiderId, roles: null }],
    });
    expect(result.body.data?.content).toBe(`**Banned** <@${guild.outsiderId}> — case #1.`);
    const request = await actionRequest(guild, 'PUT', `/guilds/${guild.guildId}/bans/${guild.outsiderId}`);
    expect(request.body).toEqual({ delete_message_seconds: 0 });
    expect(request.auditLogReason).toBe(`moderator (${guild.moderatorId}): No reason given`);
    const [row] = await casesOf(guild.guildId);
    expect(row).toMatchObject({ action: 'ban', reason: null, expiresAt: null, dmDelivered: null });
    await expectPublished(guild, 'ban:created');
  });

  it('records the DM as not delivered when the member has DMs closed, and still bans', async () => {
    const guild = await seedGuild();
    const result = await runCommand({
      guild,
      name: 'ban',
      options: [userOption('user', guild.closedDmsId)],
      resolve: [{ id: guild.closedDmsId }],
    });
    expect(result.body.data?.content).toContain('I could not DM them.');
    expect((await casesOf(guild.guildId))[0]).toMatchObject({ action: 'ban', dmDelivered: false });
  });

  it('keeps @everyone in a reason inert, and unicode intact', async () => {
    const guild = await seedGuild();
    const reason = '@everyone look: 🚫 spam — «Ünïcödé» 日本語';
    const result = await runCommand({
      guild,
      name: 'ban',
      options: [userOption('user', guild.outsiderId), stringOption('reason', reason)],
      resolve: [{ id: guild.outsiderId, roles: null }],
    });
    expect(result.body.data?.allowed_mentions).toEqual({ parse: [] });
    const request = await actionRequest(guild, 'PUT', `/guilds/${guild.guildId}/bans/${guild.outsiderId}`);
    expect(request.auditLogReason).toBe(`moderator (${guild.moderatorId}): ${reason}`);
    expect((await casesOf(guild.guildId))[0]?.reason).toBe(reason);
    const event = await expectPublished(guild, 'ban:created');
    expect(event.data.reason).toBe(reason);
  });
});

describe('/unban', () => {
  it('lifts the ban, closes the ban case and publishes ban:removed', async () => {
    const guild = await seedGuild();
    await runCommand({
      guild,
      name: 'ban',
      options: [userOption('user', guild.outsiderId), stringOption('duration', '7d')],
      resolve: [{ id: guild.outsiderId, roles: null }],
    });
    const result = await runCommand({
      guild,
      name: 'unban',
      options: [userOption('user', guild.outsiderId), stringOption('reason', 'Appeal accepted')],
      resolve: [{ id: guild.outsiderId, roles: null }],
    });
    expect(result.body.data?.content).toBe(`**Unbanned** <@${guild.outsiderId}> — case #2.`);
    const request = await actionRequest(guild, 'DELETE', `/guilds/${guild.guildId}/bans/${guild.outsiderId}`);
    expect(request.auditLogReason).toBe(`moderator (${guild.moderatorId}): Appeal accepted`);
    expect((await discordGuildState(guild.guildId)).bans).toEqual([]);
    const [ban, unban] = await casesOf(guild.guildId);
    expect(ban).toMatchObject({ action: 'ban', state: 'lifted', endedByCaseId: unban!.id });
    expect(unban).toMatchObject({
      caseNumber: 2,
      action: 'unban',
      state: 'active',
      reason: 'Appeal accepted',
    });
    const events = await streamEventsOf(guild.guildId);
    expect(events.map((e) => e.eventType)).toEqual(['ban:created', 'ban:removed']);
    expect(events[1]!.data).toMatchObject({
      caseNumber: 2,
      userId: guild.outsiderId,
      reason: 'Appeal accepted',
    });
  });
});

describe('/kick', () => {
  it('kicks the member, DMs them first and publishes kick:executed', async () => {
    const guild = await seedGuild();
    const result = await runCommand({
      guild,
      name: 'kick',
      options: [userOption('user', guild.targetId), stringOption('reason', 'Cool off')],
      resolve: [{ id: guild.targetId }],
    });
    expect(result.body.data?.content).toBe(
      `**Kicked** <@${guild.targetId}> — case #1. They were told by DM.`,
    );
    const requests = await discordRequests(guild.guildId);
    const kick = requests.find(
      (r) => r.method === 'DELETE' && r.path === `/guilds/${guild.guildId}/members/${guild.targetId}`,
    );
    expect(kick?.auditLogReason).toBe(`moderator (${guild.moderatorId}): Cool off`);
    const dms = await discordRequests('/users/@me/channels');
    const dm = dms.find((r) => (r.body as { recipient_id?: string })?.recipient_id === guild.targetId);
    expect(dm).toBeDefined();
    expect(dm!.seq).toBeLessThan(kick!.seq);
    expect((await discordGuildState(guild.guildId)).members.map((m) => m.user.id)).not.toContain(
      guild.targetId,
    );
    expect((await casesOf(guild.guildId))[0]).toMatchObject({
      action: 'kick',
      reason: 'Cool off',
      dmDelivered: true,
    });
    await expectPublished(guild, 'kick:executed');
  });
});

describe('/mute and /unmute', () => {
  it('times the member out and publishes mute:applied', async () => {
    const guild = await seedGuild();
    const result = await runCommand({
      guild,
      name: 'mute',
      options: [
        userOption('user', guild.targetId),
        stringOption('duration', '1h30m'),
        stringOption('reason', 'Heated'),
      ],
      resolve: [{ id: guild.targetId }],
    });
    expect(result.body.data?.content).toBe(
      `**Muted** <@${guild.targetId}> for 1 hour, 30 minutes — case #1. They were told by DM.`,
    );
    const request = await actionRequest(guild, 'PATCH', `/guilds/${guild.guildId}/members/${guild.targetId}`);
    const until = Date.parse(
      (request.body as { communication_disabled_until: string }).communication_disabled_until,
    );
    const [row] = await casesOf(guild.guildId);
    expect(until).toBe(row!.expiresAt!.getTime());
    expect(row!.timeoutUntil?.getTime()).toBe(until);
    expect(row!.expiresAt!.getTime() - row!.createdAt.getTime()).toBe(90 * 60_000);
    expect(request.auditLogReason).toBe(`moderator (${guild.moderatorId}): Heated`);
    await expectPublished(guild, 'mute:applied');
  });

  it('sets a 28-day timeout for a 60-day mute and keeps the real end', async () => {
    const guild = await seedGuild();
    await runCommand({
      guild,
      name: 'mute',
      options: [userOption('user', guild.targetId), stringOption('duration', '60d')],
      resolve: [{ id: guild.targetId }],
    });
    const [row] = await casesOf(guild.guildId);
    expect(row!.expiresAt!.getTime() - row!.createdAt.getTime()).toBe(60 * 86_400_000);
    const timeout = row!.timeoutUntil!.getTime() - row!.createdAt.getTime();
    expect(timeout).toBeLessThanOrEqual(28 * 86_400_000);
    expect(timeout).toBeGreaterThan(28 * 86_400_000 - 5 * 60_000);
  });

  it('ends the timeout, lifts the mute case and publishes mute:removed', async () => {
    const guild = await seedGuild();
    await runCommand({
      guild,
      name: 'mute',
      options: [userOption('user', guild.targetId), stringOption('duration', '1d')],
      resolve: [{ id: guild.targetId }],
    });
    const result = await runCommand({
      guild,
      name: 'unmute',
      options: [userOption('user', guild.targetId)],
      resolve: [{ id: guild.targetId }],
    });
    expect(result.body.data?.content).toBe(`**Unmuted** <@${guild.targetId}> — case #2.`);
    const patches = (await discordRequests(guild.guildId)).filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => r.body)).toEqual([
      { communication_disabled_until: expect.any(String) },
      { communication_disabled_until: null },
    ]);
    const [mute, unmute] = await casesOf(guild.guildId);
    expect(mute).toMatchObject({ state: 'lifted', endedByCaseId: unmute!.id });
    expect((await streamEventsOf(guild.guildId)).map((e) => e.eventType)).toEqual([
      'mute:applied',
      'mute:removed',
    ]);
  });
});

describe('/warn', () => {
  it('records a warning without a Discord action and publishes warning:added', async () => {
    const guild = await seedGuild();
    const result = await runCommand({
      guild,
      name: 'warn',
      options: [userOption('user', guild.targetId), stringOption('reason', 'Rule 3')],
      resolve: [{ id: guild.targetId }],
    });
    expect(result.body.data?.content).toBe(
      `**Warned** <@${guild.targetId}> — case #1. They were told by DM.`,
    );
    const writes = (await discordRequests(guild.guildId)).filter((r) => r.method !== 'GET');
    expect(writes).toEqual([]);
    expect((await casesOf(guild.guildId))[0]).toMatchObject({
      action: 'warn',
      reason: 'Rule 3',
      dmDelivered: true,
    });
    await expectPublished(guild, 'warning:added');
  });
});
