// One guild's audit-log sync (functions/audit-sync/sync-guild.ts) inside workerd, against the
// Discord stand-in's audit log, the real Postgres and Redis: what a moderator does in Discord's own
// UI (the stand-in's control route) and what AutoMod does become cases once each, Lockdown's own
// actions are not recorded twice, hand-lifted bans and timeouts end their cases so the scheduler
// leaves them alone, paging, the first sync, a missing permission, a crash mid-sync, raid alerts.
import { type APIAuditLogEntry, PermissionFlagsBits } from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditSync } from '../../db/schema.ts';
import { type GuildSyncOptions, syncGuild } from '../../functions/audit-sync/sync-guild.ts';
import { publishEvents } from '../../functions/events/publish.ts';
import { recordCase } from '../../functions/moderation/cases.ts';
import { createServices } from '../../functions/services.ts';
import { UNKNOWN_MODERATOR_ID } from '../../shared/actions.ts';
import type { AuditEventData, CaseEventData } from '../../shared/events.ts';
import {
  ALL_MOD_PERMISSIONS,
  appId,
  asBot,
  casesOf,
  discordRequests,
  inDiscordUi,
  injectDatabaseFault,
  outboxOf,
  putGuild,
  runCommand,
  runTick,
  seedGuild,
  streamEventsOf,
  stringOption,
  subcommand,
  type TestGuild,
  testConfig,
  testDatabase,
  testGuildSeed,
  userOption,
  workerEnv,
} from '../support/edge.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The bot's permissions in these tests: the moderation ones, and View Audit Log unless said otherwise. */
const botPermissions = (viewAuditLog: boolean) =>
  ALL_MOD_PERMISSIONS | (viewAuditLog ? PermissionFlagsBits.ViewAuditLog : 0n);

/** A guild like seedGuild's, whose bot may (or may not) read the audit log. */
const seedAuditGuild = (viewAuditLog = true) => seedGuild({ botPermissions: botPermissions(viewAuditLog) });

let paced = 0;
const options = (overrides: Partial<GuildSyncOptions> = {}): GuildSyncOptions => ({
  now: new Date(),
  pace: async () => {
    paced += 1;
  },
  maxPages: 10,
  ...overrides,
});

const services = () => createServices(workerEnv(), { guildCache: new Map() });
const sync = (guildId: string, overrides: Partial<GuildSyncOptions> = {}) =>
  syncGuild(services(), guildId, options(overrides));

/** A guild whose first sync has run (cursor at "now"). */
async function syncedGuild(): Promise<TestGuild> {
  const guild = await seedAuditGuild();
  const first = await sync(guild.guildId);
  expect(first).toMatchObject({ status: 'ok', recorded: 0 });
  return guild;
}

const syncRow = async (guildId: string) =>
  (await testDatabase().select().from(auditSync).where(eq(auditSync.guildId, guildId)))[0];

const auditEventsOf = async (guildId: string, action: string) =>
  (await outboxOf(guildId))
    .map((row) => row.payload as { eventType: string; data: AuditEventData })
    .filter((e) => e.eventType === 'audit:logged' && e.data.action === action);

describe('audit-log sync: what becomes a case', () => {
  it('the first sync records nothing that happened before it, and only reads the newest entry', async () => {
    const guild = await seedAuditGuild();
    await inDiscordUi(guild.guildId, {
      action: 'kick',
      actorId: guild.moderatorId,
      targetId: guild.targetId,
    });
    const before = paced;
    const first = await sync(guild.guildId);
    expect(first).toMatchObject({ status: 'ok', recorded: 0, pages: 1, discordCalls: 2, more: false });
    expect(paced - before).toBe(first.discordCalls);
    const reads = await discordRequests(`/guilds/${guild.guildId}/audit-logs`);
    expect(reads.map((r) => r.query)).toEqual([{ limit: '1' }]);
    expect(await casesOf(guild.guildId)).toEqual([]);
    expect((await syncRow(guild.guildId))?.cursor).toBeTruthy();
  });

  it("records a human's ban with that moderator and reason, source discord, and its event", async () => {
    const guild = await syncedGuild();
    const [entry] = await inDiscordUi(guild.guildId, {
      action: 'ban',
      actorId: guild.moderatorId,
      targetId: guild.targetId,
      reason: 'raiding in voice',
    });
    const result = await sync(guild.guildId);
    expect(result).toMatchObject({ status: 'ok', recorded: 1, skipped: 0, pages: 1 });
    const [ban] = await casesOf(guild.guildId);
    expect(ban).toMatchObject({
      caseNumber: 1,
      action: 'ban',
      userId: guild.targetId,
      moderatorId: guild.moderatorId,
      reason: 'raiding in voice',
      source: 'discord',
      auditEntryId: entry!.id,
      state: 'active',
    });
    const [event] = result.events;
    expect(event).toMatchObject({ eventType: 'ban:created', sequence: 1 });
    expect(event!.data as CaseEventData).toMatchObject({ caseNumber: 1, source: 'discord' });
    const [row] = await outboxOf(guild.guildId);
    expect(row!.eventId).toBe(event!.eventId);
    await publishEvents(services(), result.events);
    expect((await streamEventsOf(guild.guildId)).map((e) => e.eventId)).toEqual([event!.eventId]);
    // Read again: nothing new.
    expect(await sync(guild.guildId)).toMatchObject({ recorded: 0, skipped: 0 });
  });

  it("does not record Lockdown's own /ban twice", async () => {
    const guild = await syncedGuild();
    const banned = await runCommand({
      guild,
      name: 'ban',
      options: [userOption('user', guild.targetId), stringOption('reason', 'spam')],
      resolve: [{ id: guild.targetId }],
    });
    expect(banned.body.data?.content).toMatch(/^\*\*Banned\*\*/);
    expect(await sync(guild.guildId)).toMatchObject({ status: 'ok', recorded: 0, skipped: 1 });
    expect((await casesOf(guild.guildId)).map((c) => [c.action, c.source])).toEqual([['ban', 'command']]);
  });

  it('records a timeout set by hand as a mute until its end, and its removal by hand as an unmute', async () => {
    const guild = await syncedGuild();
    const [set] = await inDiscordUi(guild.guildId, {
      action: 'timeout',
      actorId: guild.moderatorId,
      targetId: guild.targetId,
      durationMs: 3_600_000,
      reason: 'cool off',
    });
    const until = (set!.changes![0] as { new_value: string }).new_value;
    await inDiscordUi(guild.guildId, {
      action: 'untimeout',
      actorId: guild.seniorId,
      targetId: guild.targetId,
    });
    expect(await sync(guild.guildId)).toMatchObject({ recorded: 2 });
    const [mute, unmute] = await casesOf(guild.guildId);
    expect(mute).toMatchObject({
      action: 'mute',
      moderatorId: guild.moderatorId,
      reason: 'cool off',
      expiresAt: new Date(until),
      timeoutUntil: new Date(until),
      state: 'lifted',
      endedByCaseId: unmute!.id,
    });
    expect(unmute).toMatchObject({ action: 'unmute', moderatorId: guild.seniorId, source: 'discord' });
  });

  it('ends a mute by the removal logged in the same millisecond (entries share a time, not an order)', async () => {
    const guild = await syncedGuild();
    const at = new Date().toISOString();
    await inDiscordUi(guild.guildId, {
      action: 'timeout',
      actorId: guild.moderatorId,
      targetId: guild.targetId,
      durationMs: 3_600_000,
      at,
    });
    await inDiscordUi(guild.guildId, {
      action: 'untimeout',
      actorId: guild.seniorId,
      targetId: guild.targetId,
      at,
    });
    expect(await sync(guild.guildId)).toMatchObject({ recorded: 2 });
    const [mute, unmute] = await casesOf(guild.guildId);
    expect(mute?.createdAt).toEqual(unmute?.createdAt);
    expect(mute).toMatchObject({ action: 'mute', state: 'lifted', endedByCaseId: unmute!.id });
  });

  it("records AutoMod's timeout (its end read from the member), block and flag, with the rule", async () => {
    const guild = await syncedGuild();
    await inDiscordUi(guild.guildId, {
      action: 'automod_timeout',
      targetId: guild.targetId,
      ruleName: 'No invite links',
      durationMs: 10 * MINUTE,
    });
    await inDiscordUi(guild.guildId, {
      action: 'automod_block',
      targetId: guild.targetId,
      ruleName: 'Slurs',
    });
    await inDiscordUi(guild.guildId, { action: 'automod_flag', targetId: guild.seniorId, ruleName: 'Links' });
    const result = await sync(guild.guildId);
    // The read, the member's timeout, Get Guild.
    expect(result).toMatchObject({ recorded: 3, discordCalls: 3 });
    const rows = await casesOf(guild.guildId);
    expect(rows.map((c) => [c.action, c.userId, c.automodRule, c.source, c.moderatorId])).toEqual([
      ['mute', guild.targetId, 'No invite links', 'automod', appId()],
      ['automod_block', guild.targetId, 'Slurs', 'automod', appId()],
      ['automod_flag', guild.seniorId, 'Links', 'automod', appId()],
    ]);
    const muteEnd = rows[0]!.expiresAt!.getTime() - rows[0]!.createdAt.getTime();
    expect(muteEnd).toBeGreaterThan(9 * MINUTE);
    expect(muteEnd).toBeLessThanOrEqual(10 * MINUTE + 1000);
    expect(result.events.map((e) => e.eventType)).toEqual([
      'mute:applied',
      'automod:blocked',
      'automod:flagged',
    ]);
  });
});

describe('audit-log sync: bulk bans, which Discord does not attribute', () => {
  it("skips a bulk ban Lockdown's /massban already recorded and records another with the moderator unknown", async () => {
    const guild = await syncedGuild();
    const response = await asBot('POST', `/guilds/${guild.guildId}/bulk-ban`, {
      user_ids: [guild.targetId, guild.outsiderId],
    });
    expect(response.status).toBe(200);
    // As a /massban's chunk records it: a command's ban case of the target, moments after.
    await recordCase(
      testDatabase(),
      {
        id: crypto.randomUUID(),
        guildId: guild.guildId,
        action: 'ban',
        userId: guild.targetId,
        moderatorId: guild.moderatorId,
        reason: 'raid',
        expiresAt: null,
        dmDelivered: null,
      },
      new Date(),
    );
    const result = await sync(guild.guildId);
    expect(result).toMatchObject({ recorded: 1, skipped: 1 });
    const recorded = (await casesOf(guild.guildId)).filter((c) => c.source === 'discord');
    expect(recorded.map((c) => [c.userId, c.moderatorId])).toEqual([
      [guild.outsiderId, UNKNOWN_MODERATOR_ID],
    ]);
  });
});

describe('audit-log sync: hand-lifted actions end their cases', () => {
  it('an unban by hand closes a temp-ban case and the scheduler does not unban again', async () => {
    const guild = await syncedGuild();
    await runCommand({
      guild,
      name: 'ban',
      options: [userOption('user', guild.targetId), stringOption('duration', '1d')],
      resolve: [{ id: guild.targetId }],
    });
    await inDiscordUi(guild.guildId, {
      action: 'unban',
      actorId: guild.moderatorId,
      targetId: guild.targetId,
      reason: 'appeal accepted',
    });
    expect(await sync(guild.guildId)).toMatchObject({ recorded: 1 });
    const [ban, unban] = await casesOf(guild.guildId);
    expect(ban).toMatchObject({ action: 'ban', state: 'lifted', endedByCaseId: unban!.id });
    expect(unban).toMatchObject({ action: 'unban', reason: 'appeal accepted', source: 'discord' });

    await runTick(new Date(Date.now() + 2 * DAY), { SCHEDULER_GUILD_IDS: guild.guildId });
    const lifts = (await discordRequests(`/guilds/${guild.guildId}/bans/`)).filter(
      (r) => r.method === 'DELETE',
    );
    expect(lifts).toEqual([]);
    expect(await casesOf(guild.guildId)).toHaveLength(2);
  });

  it("a timeout removed by hand ends a long mute's case, and its renewals stop", async () => {
    const guild = await syncedGuild();
    await runCommand({
      guild,
      name: 'mute',
      options: [userOption('user', guild.targetId), stringOption('duration', '60d')],
      resolve: [{ id: guild.targetId }],
    });
    await inDiscordUi(guild.guildId, {
      action: 'untimeout',
      actorId: guild.moderatorId,
      targetId: guild.targetId,
    });
    expect(await sync(guild.guildId)).toMatchObject({ recorded: 1 });
    const [mute] = await casesOf(guild.guildId);
    expect(mute).toMatchObject({ action: 'mute', state: 'lifted' });

    // 27.5 days in, when the 28-day timeout would be renewed.
    await runTick(new Date(Date.now() + 27.5 * DAY), { SCHEDULER_GUILD_IDS: guild.guildId });
    const patches = (await discordRequests(`/guilds/${guild.guildId}/members/${guild.targetId}`)).filter(
      (r) => r.method === 'PATCH',
    );
    expect(patches).toHaveLength(1); // /mute's own
  });
});

describe('audit-log sync: paging, restarts, reports', () => {
  it('reads 250 entries between two syncs page by page: nothing skipped, nothing twice, in order', async () => {
    const guild = await syncedGuild();
    const cursor = (await syncRow(guild.guildId))!.cursor!;
    const entries = await inDiscordUi(guild.guildId, {
      action: 'ban',
      actorId: guild.moderatorId,
      count: 250,
    });
    expect(entries).toHaveLength(250);

    const partial = await sync(guild.guildId, { maxPages: 2 });
    expect(partial).toMatchObject({ status: 'ok', recorded: 200, pages: 2, more: true });
    const rest = await sync(guild.guildId, { maxPages: 2 });
    expect(rest).toMatchObject({ status: 'ok', recorded: 50, pages: 1, more: false });
    expect(await sync(guild.guildId)).toMatchObject({ recorded: 0, skipped: 0 });

    const rows = await casesOf(guild.guildId);
    const ids = entries.map((e) => e.id).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    expect(rows.map((c) => c.auditEntryId)).toEqual(ids);
    expect(rows.map((c) => c.caseNumber)).toEqual(ids.map((_, i) => i + 1));
    const reads = await discordRequests(`/guilds/${guild.guildId}/audit-logs`);
    // After the first sync's read: pages after the cursor, each after the last entry of the one before.
    expect(reads.slice(1).map((r) => r.query)).toEqual(
      [cursor, ids[99], ids[199], ids[249]].map((after) => ({ limit: '100', after })),
    );
  });

  it('a database failure mid-sync resumes from the cursor without skipping or doubling', async () => {
    const guild = await syncedGuild();
    const entries: APIAuditLogEntry[] = [];
    for (const targetId of [guild.targetId, guild.seniorId, guild.outsiderId]) {
      entries.push(
        ...(await inDiscordUi(guild.guildId, { action: 'ban', actorId: guild.ownerId, targetId })),
      );
    }
    const cursorBefore = (await syncRow(guild.guildId))!.cursor;
    // The second entry's case transaction fails as an outage.
    await injectDatabaseFault(entries[1]!.id, 1);
    const failed = await sync(guild.guildId);
    expect(failed).toMatchObject({ status: 'failed', recorded: 1 });
    expect((await syncRow(guild.guildId))!.cursor).toBe(cursorBefore);
    expect((await syncRow(guild.guildId))!.lastError).toBeTruthy();

    const resumed = await sync(guild.guildId);
    expect(resumed).toMatchObject({ status: 'ok', recorded: 2, skipped: 1 });
    const rows = await casesOf(guild.guildId);
    expect(rows.map((c) => c.auditEntryId)).toEqual(entries.map((e) => e.id));
    expect(await syncRow(guild.guildId)).toMatchObject({ cursor: entries[2]!.id, lastError: null });
  });

  it('reports a missing View Audit Log once over several syncs, and clears it once it works', async () => {
    const guild = await seedAuditGuild(false);
    for (let i = 0; i < 3; i += 1) {
      expect(await sync(guild.guildId)).toMatchObject({ status: 'missing_permission', recorded: 0 });
    }
    const reports = await auditEventsOf(guild.guildId, 'auditlog.missing_permission');
    expect(reports).toHaveLength(1);
    const row = await syncRow(guild.guildId);
    expect(row!.missingPermissionAt).toBeInstanceOf(Date);
    expect(row!.missingReportedAt).toBeInstanceOf(Date);

    const modlogStatus = async () =>
      (await runCommand({ guild, name: 'modlog', options: [subcommand('status')] })).body.data?.content;
    expect(await modlogStatus()).toContain('**Audit log:** cannot be read since');

    await putGuild(guild.guildId, testGuildSeed(guild, { botPermissions: botPermissions(true) }));
    expect(await sync(guild.guildId)).toMatchObject({ status: 'ok' });
    expect(await modlogStatus()).not.toContain('Audit log');
    expect(await syncRow(guild.guildId)).toMatchObject({
      missingPermissionAt: null,
      missingReportedAt: null,
    });
  });

  it("alerts Discord's raid detection once per incident", async () => {
    const guild = await syncedGuild();
    const detect = (body: Record<string, unknown>) =>
      fetch(`${testConfig().discordControlUrl}/guilds/${guild.guildId}/incidents`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await detect({ raid_detected_at: new Date(Date.now() - MINUTE).toISOString() });
    const first = await sync(guild.guildId);
    expect(first.events.map((e) => (e.data as AuditEventData).action)).toEqual(['discord.incident']);
    await sync(guild.guildId);
    await sync(guild.guildId);
    expect(await auditEventsOf(guild.guildId, 'discord.incident')).toHaveLength(1);

    await detect({ raid_detected_at: new Date().toISOString() });
    await sync(guild.guildId);
    const alerts = await auditEventsOf(guild.guildId, 'discord.incident');
    expect(alerts).toHaveLength(2);
    expect(alerts[0]!.data.details).toMatchObject({ incident: 'raid' });
  });

  it("alerts Discord's DM-spam detection once, with its time and what Discord paused", async () => {
    const guild = await syncedGuild();
    // DMs between members paused (as /raidmode on dms, or Discord itself, would leave them).
    const paused = await asBot('PUT', `/guilds/${guild.guildId}/incident-actions`, {
      invites_disabled_until: null,
      dms_disabled_until: new Date(Date.now() + 60 * MINUTE).toISOString(),
    });
    expect(paused.ok).toBe(true);
    const { dms_disabled_until: dmsUntil } = (await paused.json()) as { dms_disabled_until: string };
    const detected = await fetch(`${testConfig().discordControlUrl}/guilds/${guild.guildId}/incidents`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dm_spam_detected_at: new Date(Date.now() - MINUTE).toISOString() }),
    });
    // As Discord writes it (ISO 8601 with microseconds and +00:00), which the alert quotes.
    const detectedAt = ((await detected.json()) as { incidents_data: { dm_spam_detected_at: string } })
      .incidents_data.dm_spam_detected_at;
    expect(Date.now() - Date.parse(detectedAt)).toBeGreaterThanOrEqual(MINUTE);
    const first = await sync(guild.guildId);
    expect(first.events.map((e) => (e.data as AuditEventData).action)).toEqual(['discord.incident']);
    await sync(guild.guildId);
    const [alert, ...more] = await auditEventsOf(guild.guildId, 'discord.incident');
    expect(more).toEqual([]);
    expect(alert!.data.reason).toBe(
      `Discord detected DM spam at ${detectedAt}. Discord paused DMs until ${dmsUntil}.`,
    );
    expect(alert!.data.details).toEqual({
      incident: 'dm_spam',
      detectedAt,
      invitesDisabledUntil: null,
      dmsDisabledUntil: dmsUntil,
    });
    expect(alert!.data.moderatorId).toBe(workerEnv().DISCORD_APPLICATION_ID);
  });
});
