// Corrections of cases inside workerd against the real Postgres, Redis and the Discord stand-in:
// /case delete (who may, once, kept with who and why, a punishment still in force), /reason's
// history, /duration of a timeout (the exact PATCH) and of a temporary ban (the scheduler lifts it
// at the new time, not the old), each with its case_edits row and `audit:logged` event, and their
// refusals. Every tick here is limited to the test's own guild.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { caseEdits, cases, pendingActions } from '../../db/schema.ts';
import { recordCase } from '../../functions/moderation/cases.ts';
import type { AuditEventData } from '../../shared/events.ts';
import {
  ALL_MOD_PERMISSIONS,
  appId,
  type CommandSpec,
  casesOf,
  discordRequests,
  integerOption,
  runCommand,
  runTick,
  seedGuild,
  streamEventsOf,
  stringOption,
  subcommand,
  type TestGuild,
  testDatabase,
  userOption,
} from '../support/edge.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const content = (result: { body: { data?: { content?: string } } }) => result.body.data?.content ?? '';
const tick = (at: number, guild: TestGuild) => runTick(new Date(at), { SCHEDULER_GUILD_IDS: guild.guildId });

const warn = (guild: TestGuild, reason = 'Rule 3') =>
  runCommand({
    guild,
    name: 'warn',
    options: [userOption('user', guild.targetId), stringOption('reason', reason)],
    resolve: [{ id: guild.targetId }],
  });

const mute = (guild: TestGuild, duration: string) =>
  runCommand({
    guild,
    name: 'mute',
    options: [userOption('user', guild.targetId), stringOption('duration', duration)],
    resolve: [{ id: guild.targetId }],
  });

const tempBan = (guild: TestGuild, duration: string) =>
  runCommand({
    guild,
    name: 'ban',
    options: [userOption('user', guild.outsiderId), stringOption('duration', duration)],
    resolve: [{ id: guild.outsiderId, roles: null }],
  });

const view = (guild: TestGuild, number: number) =>
  runCommand({ guild, name: 'case', options: [subcommand('view', [integerOption('number', number)])] });

const deleteCase = (guild: TestGuild, number: number, reason: string, spec: Partial<CommandSpec> = {}) =>
  runCommand({
    guild,
    name: 'case',
    options: [subcommand('delete', [integerOption('number', number), stringOption('reason', reason)])],
    ...spec,
  });

const changeDuration = (guild: TestGuild, number: number, length: string, spec: Partial<CommandSpec> = {}) =>
  runCommand({
    guild,
    name: 'duration',
    options: [
      integerOption('case', number),
      stringOption('duration', length),
      stringOption('reason', 'appeal'),
    ],
    ...spec,
  });

const editsOf = (caseId: string) =>
  testDatabase().select().from(caseEdits).where(eq(caseEdits.caseId, caseId)).orderBy(caseEdits.editedAt);

async function auditEvents(guild: TestGuild, action: string) {
  return (await streamEventsOf(guild.guildId))
    .filter((e) => e.eventType === 'audit:logged' && e.data.action === action)
    .map((e) => e.data as AuditEventData);
}

type Embed = { title: string; fields: { name: string; value: string }[] };
const fieldOf = (embed: Embed, name: string) => embed.fields.find((f) => f.name === name)?.value;

describe('/case view', () => {
  it('shows the case with its status, as /case did', async () => {
    const guild = await seedGuild();
    await warn(guild);
    const embed = (await view(guild, 1)).body.data?.embeds?.[0] as Embed;
    expect(embed.title).toBe('Warning | Case #1');
    expect(fieldOf(embed, 'Status')).toBe('In force');
    expect(fieldOf(embed, 'Edits (latest first)')).toBeUndefined();
  });
});

describe('/case delete', () => {
  it('hides the case, keeps it with who, when and why, logs it once and refuses a second time', async () => {
    const guild = await seedGuild();
    await warn(guild, 'spam');
    const result = await deleteCase(guild, 1, 'given to the wrong member');
    expect(content(result)).toBe(
      'Deleted case #1: it is hidden from lists, history and escalation counts, and kept with who deleted it and why.',
    );
    const [row] = await casesOf(guild.guildId);
    expect(row).toMatchObject({
      reason: 'spam',
      deletedBy: guild.moderatorId,
      deleteReason: 'given to the wrong member',
    });
    expect(row!.deletedAt).toBeInstanceOf(Date);
    expect(await editsOf(row!.id)).toMatchObject([
      {
        field: 'deleted',
        oldValue: 'false',
        newValue: 'true',
        editedBy: guild.moderatorId,
        note: 'given to the wrong member',
      },
    ]);
    expect(await auditEvents(guild, 'case.deleted')).toMatchObject([
      {
        id: row!.id,
        caseNumber: 1,
        userId: guild.targetId,
        moderatorId: guild.moderatorId,
        reason: 'given to the wrong member',
      },
    ]);

    const again = await deleteCase(guild, 1, 'again', {
      invokerId: guild.seniorId,
      invokerRoles: [guild.roles.senior],
    });
    expect(content(again)).toMatch(/^Case #1 was already deleted by <@\d+> <t:\d+:R>\.$/);
    expect(await editsOf(row!.id)).toHaveLength(1);
    expect(await auditEvents(guild, 'case.deleted')).toHaveLength(1);

    // /case view still shows it: deleted, by whom, when, why.
    const embed = (await view(guild, 1)).body.data?.embeds?.[0] as Embed;
    expect(embed.title).toBe('[Removed] Warning | Case #1');
    expect(fieldOf(embed, 'Reason')).toBe('~~spam~~');
    expect(fieldOf(embed, 'Removed')).toMatch(
      new RegExp(`^by <@${guild.moderatorId}> <t:\\d+:f> .*: given to the wrong member$`),
    );
    expect(fieldOf(embed, 'Edits (latest first)')).toMatch(/<@\d+> deleted — “given to the wrong member”/);
    // A deleted case is corrected no more.
    const edited = await runCommand({
      guild,
      name: 'reason',
      options: [integerOption('case', 1), stringOption('reason', 'x')],
    });
    expect(content(edited)).toBe('Case #1 was deleted; it can no longer be changed.');
  });

  it('takes the action’s permission and a rank above the member from anyone but the case’s moderator', async () => {
    const guild = await seedGuild();
    await tempBan(guild, '1d');
    const helper = await deleteCase(guild, 1, 'mine now', {
      invokerId: guild.seniorId,
      invokerRoles: [guild.roles.senior],
      permissions: PermissionFlagsBits.ModerateMembers,
    });
    expect(content(helper)).toBe(
      'You need the **Ban Members** permission to delete a ban case you did not give.',
    );
    // A case of another server is not found here.
    const other = await seedGuild();
    expect(content(await deleteCase(other, 1, 'x'))).toBe('There is no case #1 in this server.');
    expect((await casesOf(guild.guildId))[0]!.deletedAt).toBeNull();
  });

  it('does not lift a temporary ban it deletes: the reply says so and the scheduler still lifts it on time', async () => {
    const guild = await seedGuild();
    await tempBan(guild, '1h');
    const result = await deleteCase(guild, 1, 'duplicate');
    expect(content(result)).toMatch(
      /The ban itself stays in force — deleting a case does not lift it\. It still ends <t:\d+:R>; \/unban lifts it now\.$/,
    );
    const [ban] = await casesOf(guild.guildId);
    await tick((ban!.expiresAt as Date).getTime() + MINUTE, guild);
    const unbans = (await discordRequests(`/guilds/${guild.guildId}/bans/${guild.outsiderId}`)).filter(
      (r) => r.method === 'DELETE',
    );
    expect(unbans).toHaveLength(1);
    expect((await casesOf(guild.guildId))[0]).toMatchObject({ state: 'expired' });
  });
});

describe('/reason keeps the history', () => {
  it('writes the old and the new reason, and /case view shows the edit', async () => {
    const guild = await seedGuild();
    await warn(guild, 'typo');
    await runCommand({
      guild,
      name: 'reason',
      options: [integerOption('case', 1), stringOption('reason', 'Rule 3: spam')],
    });
    const [row] = await casesOf(guild.guildId);
    expect(await editsOf(row!.id)).toMatchObject([
      {
        field: 'reason',
        oldValue: 'typo',
        newValue: 'Rule 3: spam',
        editedBy: guild.moderatorId,
        note: null,
      },
    ]);
    const embed = (await view(guild, 1)).body.data?.embeds?.[0] as Embed;
    expect(fieldOf(embed, 'Edits (latest first)')).toMatch(
      new RegExp(`^<t:\\d+:R> <@${guild.moderatorId}> reason “typo” → “Rule 3: spam”$`),
    );
  });
});

describe('/duration of a mute', () => {
  it('PATCHes the timeout to the case’s creation plus the new length and records the change', async () => {
    const guild = await seedGuild();
    await mute(guild, '1h');
    const [before] = await casesOf(guild.guildId);
    const result = await changeDuration(guild, 1, '3h');
    const end = new Date(before!.createdAt.getTime() + 3 * HOUR);
    const unix = (date: Date) => Math.floor(date.getTime() / 1000);
    expect(content(result)).toBe(
      `Case #1 now ends <t:${unix(end)}:f> (<t:${unix(end)}:R>): 3 hours counted from the case (<t:${unix(before!.createdAt)}:f>), not from now.`,
    );
    const patches = (await discordRequests(`/guilds/${guild.guildId}/members/${guild.targetId}`)).filter(
      (r) => r.method === 'PATCH',
    );
    expect(patches.map((p) => p.body)).toEqual([
      { communication_disabled_until: (before!.expiresAt as Date).toISOString() },
      { communication_disabled_until: end.toISOString() },
    ]);
    expect(patches[1]!.auditLogReason).toBe(`moderator (${guild.moderatorId}): appeal`);
    const [after] = await casesOf(guild.guildId);
    expect(after).toMatchObject({ expiresAt: end, timeoutUntil: end, state: 'active', scheduleAttempts: 0 });
    expect(await editsOf(after!.id)).toMatchObject([
      {
        field: 'expires_at',
        oldValue: (before!.expiresAt as Date).toISOString(),
        newValue: end.toISOString(),
        note: 'appeal',
      },
    ]);
    expect(await auditEvents(guild, 'case.duration_changed')).toMatchObject([
      {
        id: after!.id,
        caseNumber: 1,
        userId: guild.targetId,
        moderatorId: guild.moderatorId,
        reason: 'appeal',
      },
    ]);
    // The claim it took on the member is gone.
    expect(
      await testDatabase().select().from(pendingActions).where(eq(pendingActions.guildId, guild.guildId)),
    ).toEqual([]);
  });

  it('past 28 days sets Discord’s longest timeout and leaves the rest to the scheduler’s renewals', async () => {
    const guild = await seedGuild();
    await mute(guild, '1d');
    const [before] = await casesOf(guild.guildId);
    const result = await changeDuration(guild, 1, '60d');
    expect(content(result)).toContain('Discord caps a timeout at 28 days');
    const [after] = await casesOf(guild.guildId);
    expect(after!.expiresAt).toEqual(new Date(before!.createdAt.getTime() + 60 * DAY));
    const timeout = (after!.timeoutUntil as Date).getTime();
    expect(timeout).toBeLessThan(Date.now() + 28 * DAY);
    expect(timeout).toBeGreaterThan(Date.now() + 28 * DAY - 2 * MINUTE);
    const [, patch] = (await discordRequests(`/guilds/${guild.guildId}/members/${guild.targetId}`)).filter(
      (r) => r.method === 'PATCH',
    );
    expect(patch!.body).toEqual({
      communication_disabled_until: (after!.timeoutUntil as Date).toISOString(),
    });
  });

  it('waits while the scheduler holds the member, and refuses an end already past or a bot without the permission', async () => {
    const guild = await seedGuild();
    await mute(guild, '1h');
    const [row] = await casesOf(guild.guildId);
    // A renewal in flight: the scheduler's claim on the member (member-claims.ts).
    const claimId = crypto.randomUUID();
    await testDatabase().insert(pendingActions).values({
      id: claimId,
      guildId: guild.guildId,
      action: 'mute',
      userId: guild.targetId,
      moderatorId: appId(),
      reason: null,
      expiresAt: row!.expiresAt,
      purpose: 'renewal',
    });
    expect(content(await changeDuration(guild, 1, '2h'))).toBe(
      `I am renewing or ending this mute right now, or another mute or unmute of <@${guild.targetId}> is in progress. Try again in a few seconds.`,
    );
    await testDatabase().delete(pendingActions).where(eq(pendingActions.id, claimId));
    expect(
      content(await changeDuration(guild, 1, '2h', { appPermissions: PermissionFlagsBits.BanMembers })),
    ).toBe(
      'I need the **Timeout Members** permission in this server to do that. Ask an admin to grant it to my role.',
    );

    // A mute given two hours ago: an hour from then is already over.
    const old = await recordCase(
      testDatabase(),
      {
        id: crypto.randomUUID(),
        guildId: guild.guildId,
        action: 'mute',
        userId: guild.closedDmsId,
        moderatorId: guild.moderatorId,
        reason: null,
        expiresAt: new Date(Date.now() + HOUR),
        dmDelivered: null,
      },
      new Date(Date.now() - 2 * HOUR),
    );
    expect(content(await changeDuration(guild, old.row.caseNumber, '1h'))).toMatch(
      /^The length is counted from the case \(<t:\d+:f>\): 1 hour from then ended <t:\d+:R>\. Give a longer one\.$/,
    );
    const patches = (await discordRequests(`/guilds/${guild.guildId}/members/`)).filter(
      (r) => r.method === 'PATCH',
    );
    expect(patches).toHaveLength(1); // the /mute's own
    expect((await casesOf(guild.guildId))[0]!.expiresAt).toEqual(row!.expiresAt);
  });
});

describe('/duration of a temporary ban', () => {
  it('makes the scheduler lift it at the new end, not the old one', async () => {
    const guild = await seedGuild();
    await tempBan(guild, '1h');
    const [ban] = await casesOf(guild.guildId);
    const created = ban!.createdAt.getTime();
    expect(content(await changeDuration(guild, 1, '3h'))).toMatch(
      /^Case #1 now ends .*: 3 hours counted from the case/,
    );
    const unbans = async () =>
      (await discordRequests(`/guilds/${guild.guildId}/bans/${guild.outsiderId}`)).filter(
        (r) => r.method === 'DELETE',
      );
    await tick(created + HOUR + MINUTE, guild); // the old end
    expect(await unbans()).toHaveLength(0);
    expect((await casesOf(guild.guildId))[0]).toMatchObject({
      state: 'active',
      expiresAt: new Date(created + 3 * HOUR),
    });
    await tick(created + 3 * HOUR + MINUTE, guild);
    expect(await unbans()).toHaveLength(1);
    expect((await casesOf(guild.guildId))[0]).toMatchObject({ state: 'expired' });
    expect(await editsOf(ban!.id)).toMatchObject([
      {
        field: 'expires_at',
        oldValue: new Date(created + HOUR).toISOString(),
        newValue: new Date(created + 3 * HOUR).toISOString(),
      },
    ]);
  });

  it('shortened, is lifted at the new end, and its failed-lift bookkeeping starts afresh', async () => {
    const guild = await seedGuild();
    await tempBan(guild, '2h');
    const [ban] = await casesOf(guild.guildId);
    const created = ban!.createdAt.getTime();
    await testDatabase()
      .update(cases)
      .set({
        scheduleAttempts: 3,
        scheduleNextAttemptAt: new Date(created + 5 * HOUR),
        scheduleLastError: 'x',
      })
      .where(eq(cases.id, ban!.id));
    await changeDuration(guild, 1, '30m');
    expect((await casesOf(guild.guildId))[0]).toMatchObject({
      scheduleAttempts: 0,
      scheduleNextAttemptAt: null,
      scheduleLastError: null,
    });
    await tick(created + 31 * MINUTE, guild);
    expect((await casesOf(guild.guildId))[0]).toMatchObject({ state: 'expired' });
  });

  it('refuses while a tick is lifting it, and for a permanent ban, a warning or a case no longer in force', async () => {
    const guild = await seedGuild();
    await tempBan(guild, '1h');
    const [ban] = await casesOf(guild.guildId);
    await testDatabase()
      .update(cases)
      .set({ scheduleClaimedUntil: new Date(Date.now() + 5 * MINUTE) })
      .where(eq(cases.id, ban!.id));
    expect(content(await changeDuration(guild, 1, '3h'))).toBe(
      `I am lifting this ban right now, or another ban or unban of <@${guild.outsiderId}> is in progress. Try again in a few seconds.`,
    );
    expect((await casesOf(guild.guildId))[0]!.expiresAt).toEqual(ban!.expiresAt);
    expect(await editsOf(ban!.id)).toEqual([]);

    await runCommand({
      guild,
      name: 'ban',
      options: [userOption('user', guild.outsiderId)],
      resolve: [{ id: guild.outsiderId, roles: null }],
    }); // #2, permanent, superseding #1
    await warn(guild); // #3
    expect(content(await changeDuration(guild, 2, '3h'))).toBe(
      'Case #2 is a permanent ban; /duration changes only temporary bans and mutes.',
    );
    expect(content(await changeDuration(guild, 3, '3h'))).toBe(
      'Case #3 is a warning; /duration changes only temporary bans and mutes.',
    );
    expect(content(await changeDuration(guild, 1, '3h'))).toBe(
      'Case #1 is no longer in force (superseded); only a ban or mute still in force can be changed.',
    );
    expect(content(await changeDuration(guild, 9, '3h'))).toBe('There is no case #9 in this server.');
  });

  it('takes Ban Members and a rank above the member, even from the case’s own moderator', async () => {
    const guild = await seedGuild({ botPermissions: ALL_MOD_PERMISSIONS | PermissionFlagsBits.ViewAuditLog });
    // A temporary ban of the senior member, given by the owner.
    await recordCase(
      testDatabase(),
      {
        id: crypto.randomUUID(),
        guildId: guild.guildId,
        action: 'ban',
        userId: guild.seniorId,
        moderatorId: guild.moderatorId,
        reason: null,
        expiresAt: new Date(Date.now() + HOUR),
        dmDelivered: null,
      },
      new Date(),
    );
    expect(
      content(await changeDuration(guild, 1, '3h', { permissions: PermissionFlagsBits.ModerateMembers })),
    ).toBe('You need the **Ban Members** permission to change the duration of a ban case.');
    expect(content(await changeDuration(guild, 1, '3h'))).toBe(
      `You cannot change the duration of case #1: <@${guild.seniorId}>'s highest role is not below yours.`,
    );
  });
});
