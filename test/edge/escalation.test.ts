// Escalation policies inside workerd against the real Postgres, Redis and the Discord stand-in:
// /escalation add|list|remove and their refusals; a warning that lands exactly on a policy's
// threshold carries the policy's action out as the bot (source escalation, the automatic reason,
// the moderator told), not below, not twice — also when two warnings arrive at once; AutoMod's
// cases read from the audit log count; deleted warnings do not; a policy the bot may not carry out
// is refused, reported once and never retried; one left pending is carried out by the scheduler.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { escalations } from '../../db/schema.ts';
import { syncGuild } from '../../functions/audit-sync/sync-guild.ts';
import { recordCase } from '../../functions/moderation/cases.ts';
import { createServices } from '../../functions/services.ts';
import type { AuditEventData } from '../../shared/events.ts';
import {
  ALL_MOD_PERMISSIONS,
  appId,
  type CommandSpec,
  casesOf,
  discordRequests,
  inDiscordUi,
  injectDiscordFault,
  integerOption,
  putGuild,
  runCommand,
  runTick,
  seedGuild,
  seedUser,
  snowflake,
  streamEventsOf,
  stringOption,
  subcommand,
  type TestGuild,
  testDatabase,
  testGuildSeed,
  userOption,
  workerEnv,
} from '../support/edge.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const content = (result: { body: { data?: { content?: string } } }) => result.body.data?.content ?? '';

function addPolicy(guild: TestGuild, warnings: number, within: string, action: string, duration?: string) {
  return runCommand({
    guild,
    name: 'escalation',
    options: [
      subcommand('add', [
        integerOption('warnings', warnings),
        stringOption('within', within),
        stringOption('action', action),
        ...(duration ? [stringOption('duration', duration)] : []),
      ]),
    ],
  });
}

const warn = (guild: TestGuild, userId = guild.targetId, spec: Partial<CommandSpec> = {}) =>
  runCommand({
    guild,
    name: 'warn',
    options: [userOption('user', userId), stringOption('reason', 'Rule 3')],
    resolve: [{ id: userId }],
    ...spec,
  });

const timeouts = async (guild: TestGuild, userId = guild.targetId) =>
  (await discordRequests(`/guilds/${guild.guildId}/members/${userId}`)).filter((r) => r.method === 'PATCH');

const crossingsOf = (guildId: string) =>
  testDatabase().select().from(escalations).where(eq(escalations.guildId, guildId));

async function auditEvents(guild: TestGuild, action: string) {
  return (await streamEventsOf(guild.guildId))
    .filter((e) => e.eventType === 'audit:logged' && e.data.action === action)
    .map((e) => e.data as AuditEventData);
}

describe('/escalation add, list, remove', () => {
  it('adds policies within the bounds, lists them and removes one, each logged', async () => {
    const guild = await seedGuild();
    expect(content(await addPolicy(guild, 3, '7d', 'mute', '1h'))).toMatch(
      /^Added policy #1 — at 3 warnings within 7d: mute for 1h\. Counted: /,
    );
    expect(content(await addPolicy(guild, 5, '30d', 'ban'))).toMatch(
      /^Added policy #2 — at 5 warnings within 30d: ban\./,
    );
    expect(content(await addPolicy(guild, 3, '7d', 'kick'))).toBe(
      'Policy #1 — at 3 warnings within 7d: mute for 1h already acts at that threshold. Remove it first with /escalation remove.',
    );
    expect(content(await addPolicy(guild, 1, '7d', 'kick'))).toBe('A policy acts at 2 to 50 warnings.');
    expect(content(await addPolicy(guild, 4, '30m', 'kick'))).toBe(
      '`within`: The duration must be at least 1 hour.',
    );
    expect(content(await addPolicy(guild, 4, '7d', 'mute'))).toBe('A mute needs a duration, e.g. 1h or 7d.');
    expect(content(await addPolicy(guild, 4, '7d', 'kick', '1h'))).toBe('A kick takes no duration.');

    const listed = await runCommand({ guild, name: 'escalation', options: [subcommand('list')] });
    const embed = listed.body.data?.embeds?.[0] as { title: string; description: string };
    expect(embed.title).toBe('Escalation policies (2 of 10)');
    expect(embed.description).toContain('#1 — at 3 warnings within 7d: mute for 1h (added by <@');
    expect(embed.description).toContain('#2 — at 5 warnings within 30d: ban (added by <@');

    const removed = await runCommand({
      guild,
      name: 'escalation',
      options: [subcommand('remove', [integerOption('policy', 1)])],
    });
    expect(content(removed)).toBe('Removed policy #1 — at 3 warnings within 7d: mute for 1h.');
    const again = await runCommand({
      guild,
      name: 'escalation',
      options: [subcommand('remove', [integerOption('policy', 1)])],
    });
    expect(content(again)).toBe('There is no policy #1 in this server. See /escalation list.');
    expect((await auditEvents(guild, 'escalation.added')).map((e) => e.reason)).toEqual([
      '#1 — at 3 warnings within 7d: mute for 1h',
      '#2 — at 5 warnings within 30d: ban',
    ]);
    expect(await auditEvents(guild, 'escalation.removed')).toMatchObject([
      { moderatorId: guild.moderatorId, details: { Policy: '#1' } },
    ]);
  });

  it('keeps at most ten, and takes Manage Server', async () => {
    const guild = await seedGuild();
    for (let n = 2; n < 12; n += 1) await addPolicy(guild, n, '7d', 'kick');
    expect(content(await addPolicy(guild, 20, '7d', 'kick'))).toBe(
      'This server has 10 policies, the most it can keep. Remove one first.',
    );
    const helper = await runCommand({
      guild,
      name: 'escalation',
      options: [subcommand('list')],
      permissions: PermissionFlagsBits.ModerateMembers,
    });
    expect(content(helper)).toBe('You need the **Manage Server** permission to use /escalation.');
  });
});

describe('a warning reaching a policy', () => {
  it('mutes at exactly the threshold, as the bot, and says so; not below, not again above', async () => {
    const guild = await seedGuild();
    await addPolicy(guild, 3, '7d', 'mute', '1h');
    for (const _ of [1, 2]) expect(content(await warn(guild))).not.toContain('This reached');
    expect(await timeouts(guild)).toEqual([]);

    const third = await warn(guild);
    expect(content(third)).toBe(
      `**Warned** <@${guild.targetId}> — case #3. They were told by DM. This reached 3 warnings within 7d: **Muted** for 1h — case #4.`,
    );
    const [patch] = await timeouts(guild);
    const rows = await casesOf(guild.guildId);
    const muted = rows[3]!;
    expect(muted).toMatchObject({
      action: 'mute',
      userId: guild.targetId,
      moderatorId: appId(),
      source: 'escalation',
      reason: 'Automatic: 3 warnings within 7d (cases #1, #2, #3)',
      state: 'active',
    });
    expect(patch!.body).toEqual({ communication_disabled_until: (muted.expiresAt as Date).toISOString() });
    expect((muted.expiresAt as Date).getTime() - muted.createdAt.getTime()).toBe(HOUR);
    expect(await crossingsOf(guild.guildId)).toMatchObject([
      { triggerCaseId: rows[2]!.id, state: 'done', resultCaseId: muted.id, userId: guild.targetId },
    ]);
    const events = await streamEventsOf(guild.guildId);
    expect(events.filter((e) => e.eventType === 'mute:applied').map((e) => e.data)).toMatchObject([
      { caseNumber: 4, source: 'escalation', moderatorId: appId() },
    ]);

    expect(content(await warn(guild))).not.toContain('This reached');
    expect(await timeouts(guild)).toHaveLength(1);
    expect(await crossingsOf(guild.guildId)).toHaveLength(1);
  });

  it('crosses once when two warnings arrive at the same moment', async () => {
    const guild = await seedGuild();
    await addPolicy(guild, 3, '7d', 'mute', '1h');
    await warn(guild);
    await warn(guild);
    const both = await Promise.all([warn(guild), warn(guild)]);
    expect(both.filter((r) => content(r).includes('This reached'))).toHaveLength(1);
    const rows = await casesOf(guild.guildId);
    expect(rows.filter((r) => r.action === 'mute')).toHaveLength(1);
    expect(await timeouts(guild)).toHaveLength(1);
    const [crossing] = await crossingsOf(guild.guildId);
    expect(rows.find((r) => r.id === crossing!.triggerCaseId)?.caseNumber).toBe(3);
  });

  it('does not count deleted warnings', async () => {
    const guild = await seedGuild();
    await addPolicy(guild, 3, '7d', 'kick');
    await warn(guild);
    await warn(guild);
    await runCommand({
      guild,
      name: 'case',
      options: [subcommand('delete', [integerOption('number', 2), stringOption('reason', 'wrong member')])],
    });
    expect(content(await warn(guild))).not.toContain('This reached');
    expect(content(await warn(guild))).toContain('This reached 3 warnings within 7d: **Kicked** — case #5.');
    const kicked = (await casesOf(guild.guildId))[4];
    expect(kicked).toMatchObject({
      action: 'kick',
      reason: 'Automatic: 3 warnings within 7d (cases #1, #3, #4)',
    });
  });

  it('counts only the member’s own warnings, and only within the window before the warning', async () => {
    const guild = await seedGuild();
    await addPolicy(guild, 3, '7d', 'kick');
    // A warning eight days old: outside the window of the warnings given now.
    await recordCase(
      testDatabase(),
      {
        id: crypto.randomUUID(),
        guildId: guild.guildId,
        action: 'warn',
        userId: guild.targetId,
        moderatorId: guild.moderatorId,
        reason: 'long ago',
        expiresAt: null,
        dmDelivered: null,
      },
      new Date(Date.now() - 8 * 24 * HOUR),
    );
    await warn(guild, guild.closedDmsId); // another member's
    await warn(guild);
    expect(content(await warn(guild))).not.toContain('This reached');
    expect(content(await warn(guild))).toContain('This reached 3 warnings within 7d: **Kicked** — case #6.');
    expect((await casesOf(guild.guildId))[5]!.reason).toBe(
      'Automatic: 3 warnings within 7d (cases #3, #4, #5)',
    );
  });

  it('counts AutoMod’s blocked messages read from the audit log with the moderators’ warnings', async () => {
    const guild = await seedGuild({ botPermissions: ALL_MOD_PERMISSIONS | PermissionFlagsBits.ViewAuditLog });
    const services = createServices(workerEnv(), { guildCache: new Map() });
    const sync = () =>
      syncGuild(services, guild.guildId, { now: new Date(), pace: async () => {}, maxPages: 5 });
    await sync(); // the cursor starts now
    await addPolicy(guild, 3, '7d', 'mute', '10m');
    await warn(guild);
    await inDiscordUi(guild.guildId, {
      action: 'automod_block',
      targetId: guild.targetId,
      ruleName: 'Slurs',
    });
    expect((await sync()).recorded).toBe(1);
    expect(await timeouts(guild)).toEqual([]);
    await inDiscordUi(guild.guildId, { action: 'automod_flag', targetId: guild.targetId, ruleName: 'Links' });
    const result = await sync();
    const rows = await casesOf(guild.guildId);
    expect(rows.map((r) => [r.caseNumber, r.action, r.source])).toEqual([
      [1, 'warn', 'command'],
      [2, 'automod_block', 'automod'],
      [3, 'automod_flag', 'automod'],
      [4, 'mute', 'escalation'],
    ]);
    expect(rows[3]!.reason).toBe('Automatic: 3 warnings within 7d (cases #1, #2, #3)');
    expect(await timeouts(guild)).toHaveLength(1);
    // The sync hands the mute's event on with its own, to publish.
    expect(result.events.map((e) => e.eventType)).toEqual(['automod:flagged', 'mute:applied']);
  });
});

describe('a policy the bot may not carry out', () => {
  it('is refused, reported once in the mod-log and never retried', async () => {
    const guild = await seedGuild();
    // A member ranked above the bot; the owner may warn them.
    const adminId = snowflake();
    const adminRole = snowflake();
    const seed = testGuildSeed(guild);
    await putGuild(guild.guildId, {
      ...seed,
      roles: [...seed.roles, { id: adminRole, name: 'admin', position: 10, permissions: '0' }],
      members: [...seed.members, { user: seedUser(adminId, 'admin'), roles: [adminRole] }],
    });
    await addPolicy(guild, 2, '7d', 'kick');
    const asOwner = { invokerId: guild.ownerId, invokerRoles: [] };
    await warn(guild, adminId, { ...asOwner, resolve: [{ id: adminId, roles: [adminRole] }] });
    const second = await warn(guild, adminId, { ...asOwner, resolve: [{ id: adminId, roles: [adminRole] }] });
    expect(content(second)).toContain(
      `This reached 2 warnings within 7d, but I did not kick them: <@${adminId}>'s highest role is not below mine. This is reported in the mod-log.`,
    );
    const kicks = async () =>
      (await discordRequests(`/guilds/${guild.guildId}/members/${adminId}`)).filter(
        (r) => r.method === 'DELETE',
      );
    expect(await kicks()).toEqual([]);
    expect(await crossingsOf(guild.guildId)).toMatchObject([
      { state: 'refused', detail: `<@${adminId}>'s highest role is not below mine`, resultCaseId: null },
    ]);
    await runTick(new Date(Date.now() + 5 * MINUTE), { SCHEDULER_GUILD_IDS: guild.guildId });
    expect(await kicks()).toEqual([]);
    expect(await auditEvents(guild, 'escalation.refused')).toMatchObject([
      { userId: adminId, caseNumber: 2, moderatorId: appId(), details: { Policy: '#1', Warnings: '#1, #2' } },
    ]);
  });

  it('is refused when the bot lacks the permission', async () => {
    const guild = await seedGuild();
    await addPolicy(guild, 2, '7d', 'ban');
    await warn(guild);
    const second = await warn(guild, guild.targetId, {
      appPermissions: ALL_MOD_PERMISSIONS & ~PermissionFlagsBits.BanMembers,
    });
    expect(content(second)).toContain('but I did not ban them: I lack the **Ban Members** permission.');
    expect(await auditEvents(guild, 'escalation.refused')).toHaveLength(1);
  });
});

describe('a crossing left pending', () => {
  it('is carried out by the scheduler once Discord’s lost answer is settled', async () => {
    const guild = await seedGuild();
    await addPolicy(guild, 2, '7d', 'mute', '1h');
    await warn(guild);
    await injectDiscordFault({
      method: 'PATCH',
      path: `^/guilds/${guild.guildId}/members/${guild.targetId}$`,
      count: 1,
      status: 500,
    });
    const second = await warn(guild);
    expect(content(second)).toContain(
      'This reached 2 warnings within 7d: **Muted** for 1h, but Discord did not confirm it',
    );
    expect(await crossingsOf(guild.guildId)).toMatchObject([{ state: 'pending' }]);
    // The reconciler finds no timeout and drops the bot's intent; the same tick's escalation step
    // then carries the mute out again, under the crossing's id.
    await runTick(new Date(Date.now() + 3 * MINUTE), { SCHEDULER_GUILD_IDS: guild.guildId });
    const rows = await casesOf(guild.guildId);
    expect(rows.filter((r) => r.action === 'mute')).toMatchObject([
      { source: 'escalation', moderatorId: appId() },
    ]);
    const [crossing] = await crossingsOf(guild.guildId);
    expect(crossing).toMatchObject({ state: 'done', resultCaseId: crossing!.id });
    expect((await timeouts(guild)).map((r) => r.status)).toEqual([500, 200]);
  });
});
