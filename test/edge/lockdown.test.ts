// /lockdown, /unlock, /slowmode and /raidmode against the Discord stand-in, the real Postgres and the
// Worker in workerd: the exact requests Discord receives, what the channels look like after, the
// events recorded, and refusals that change nothing.
import {
  type APIApplicationCommandInteractionDataOption,
  type APIOverwrite,
  OverwriteType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { channelLocks, lockdowns } from '../../db/schema.ts';
import type { RecordedRequest } from '../../dev/discord/types.ts';
import { INVOCATION_REQUESTS } from '../../functions/commands/raid/lockdown.ts';
import { batchSizes } from '../../functions/lockdown/lockdown-runner.ts';
import { LOCK_BITS } from '../../functions/lockdown/overwrites.ts';
import { NOT_LOGGED } from '../../functions/moderation/audit.ts';
import { WORKERS_SUBREQUEST_LIMIT } from '../../functions/scheduled/budget.ts';
import {
  ALL_MOD_PERMISSIONS,
  asBot,
  booleanOption,
  channelOption,
  commandInteraction,
  discordGuildState,
  discordRequests,
  injectDatabaseFault,
  injectDiscordFault,
  outboxOf,
  putGuild,
  runCommand,
  runTick,
  seedUser,
  sendInteraction,
  snowflake,
  stringOption,
  subcommand,
  type TestGuild,
  testConfig,
  testDatabase,
  testGuildIds,
} from '../support/edge.ts';

type Option = APIApplicationCommandInteractionDataOption;

const MINUTE = 60_000;
const P = PermissionFlagsBits;
const EVERYONE =
  P.ViewChannel | P.SendMessages | P.AddReactions | P.CreatePublicThreads | P.SendMessagesInThreads;
const RAID_PERMISSIONS = ALL_MOD_PERMISSIONS | P.ManageChannels | P.ManageRoles;
// Discord lets the bot deny @everyone only permissions it has itself, so it holds what a lock denies.
const BOT = RAID_PERMISSIONS | P.ViewChannel | P.ViewAuditLog | LOCK_BITS;

type Overwrite = APIOverwrite;

interface LockGuild extends TestGuild {
  /** A channel with no overwrite at all. */
  plainId: string;
  /** A channel with a custom @everyone overwrite and a role allowed to send. */
  customId: string;
  customOverwrite: Overwrite;
  /** Hidden from @everyone: a server lockdown leaves it alone. */
  hiddenId: string;
  voiceId: string;
  /** A channel where the bot's own role is denied Manage Permissions: Discord refuses to lock it. */
  refusedId: string;
  /** Extra text channels, for server lockdowns. */
  extraIds: string[];
}

async function seedLockGuild(extra = 0): Promise<LockGuild> {
  const id = snowflake;
  const g = {
    ...testGuildIds(),
    plainId: id(),
    customId: id(),
    hiddenId: id(),
    voiceId: id(),
    refusedId: id(),
    extraIds: Array.from({ length: extra }, () => id()),
  } as LockGuild;
  g.customOverwrite = {
    id: g.guildId,
    type: OverwriteType.Role,
    allow: String(P.AddReactions | P.AttachFiles),
    deny: String(P.EmbedLinks),
  };
  const user = seedUser;
  const text = (cid: string, name: string, overwrites: Overwrite[] = []) => ({
    id: cid,
    name,
    type: 0,
    permission_overwrites: overwrites,
  });
  await putGuild(g.guildId, {
    name: 'Raid Server',
    ownerId: g.ownerId,
    roles: [
      { id: g.guildId, name: '@everyone', position: 0, permissions: String(EVERYONE) },
      { id: g.roles.member, name: 'member', position: 1, permissions: '0' },
      { id: g.roles.mod, name: 'Mods', position: 5, permissions: String(RAID_PERMISSIONS) },
      { id: g.roles.senior, name: 'senior', position: 7, permissions: String(RAID_PERMISSIONS) },
      { id: g.roles.bot, name: 'Lockdown', position: 9, permissions: String(BOT) },
    ],
    members: [
      { user: user(g.ownerId, 'owner'), roles: [] },
      { user: user(g.moderatorId, 'moderator'), roles: [g.roles.mod] },
      { user: user(g.targetId, 'target'), roles: [g.roles.member] },
    ],
    channels: [
      text(g.channelId, 'general'),
      text(g.plainId, 'chat'),
      text(g.customId, 'art', [
        g.customOverwrite,
        { id: g.roles.mod, type: OverwriteType.Role, allow: String(P.SendMessages), deny: '0' },
      ]),
      text(g.hiddenId, 'staff', [
        { id: g.guildId, type: OverwriteType.Role, allow: '0', deny: String(P.ViewChannel) },
      ]),
      { id: g.voiceId, name: 'Voice', type: 2 },
      ...(extra === 0
        ? []
        : [
            text(g.refusedId, 'refused', [
              { id: g.roles.bot, type: OverwriteType.Role, allow: '0', deny: String(P.ManageRoles) },
            ]),
          ]),
      ...g.extraIds.map((cid, i) => text(cid, `extra-${i}`)),
    ],
    botRoleIds: [g.roles.bot],
  });
  return g;
}

const run = (guild: TestGuild, name: string, options: Option[] = [], extra = {}) =>
  runCommand({ guild, name, options, permissions: RAID_PERMISSIONS, appPermissions: BOT, ...extra });

const lockChannel = (guild: TestGuild, ...options: Option[]) =>
  run(guild, 'lockdown', [subcommand('channel', options)]);
const unlockChannel = (guild: TestGuild, ...options: Option[]) =>
  run(guild, 'unlock', [subcommand('channel', options)]);

async function overwritesOf(guildId: string, channelId: string): Promise<Overwrite[]> {
  const state = await discordGuildState(guildId);
  const channel = state.channels.find((c) => c.id === channelId) as unknown as {
    permission_overwrites?: Overwrite[];
  };
  return channel.permission_overwrites ?? [];
}

const everyoneOf = async (g: LockGuild, channelId: string) =>
  (await overwritesOf(g.guildId, channelId)).find((o) => o.id === g.guildId) ?? null;

const permissionRequests = async (channelId: string) =>
  (await discordRequests(`/channels/${channelId}/permissions/`)).map((r) => ({
    method: r.method,
    path: r.path,
    body: r.body,
    auditLogReason: r.auditLogReason,
  }));

/** The stand-in's latest request number: a request of ours (a read of the guild), and its number. */
async function lastSeq(g: LockGuild): Promise<number> {
  await asBot('GET', `/guilds/${g.guildId}/roles`);
  return Math.max(...(await discordRequests(`/guilds/${g.guildId}/roles`)).map((r) => r.seq));
}

/** The requests sent for this guild (its routes, its channels, the reply's webhook) after `seq`. */
async function guildRequestsSince(g: LockGuild, seq: number, token: string): Promise<RecordedRequest[]> {
  const channels = new Set([
    g.channelId,
    g.plainId,
    g.customId,
    g.hiddenId,
    g.voiceId,
    g.refusedId,
    ...g.extraIds,
  ]);
  const all: RecordedRequest[] = await (
    await fetch(`${testConfig().discordControlUrl}/requests?since=${seq}`)
  ).json();
  return all.filter(
    (r) =>
      r.path.startsWith(`/guilds/${g.guildId}/`) ||
      r.path === `/guilds/${g.guildId}` ||
      r.path.includes(token) ||
      channels.has(r.path.split('/')[2] ?? ''),
  );
}

describe('/lockdown channel and /unlock channel', () => {
  it('locks a channel with no overwrite, says so once, and unlock deletes the overwrite it made', async () => {
    const g = await seedLockGuild();
    const locked = await lockChannel(g, channelOption('channel', g.plainId), stringOption('reason', 'raid'));
    expect(locked.body.data?.content).toBe(
      `🔒 Locked <#${g.plainId}>: @everyone can no longer send messages, create threads or add reactions there.`,
    );
    expect(locked.body.data?.flags).toBe(64);
    const [put] = await permissionRequests(g.plainId);
    expect(put).toMatchObject({
      method: 'PUT',
      path: `/channels/${g.plainId}/permissions/${g.guildId}`,
      body: { type: 0, allow: '0', deny: String(LOCK_BITS) },
    });
    expect(put!.auditLogReason).toContain('raid');
    expect(await everyoneOf(g, g.plainId)).toMatchObject({ allow: '0', deny: String(LOCK_BITS) });
    const events = await outboxOf(g.guildId);
    expect(events.map((e) => e.eventType)).toEqual(['lockdown:applied']);
    expect(events[0]!.payload).toMatchObject({
      data: {
        scope: 'channel',
        channelIds: [g.plainId],
        failed: [],
        reason: 'raid',
        moderatorId: g.moderatorId,
      },
    });

    const again = await lockChannel(g, channelOption('channel', g.plainId));
    expect(again.body.data?.content).toMatch(
      new RegExp(
        `^<#${g.plainId}> is already locked \\(since <t:\\d+:R> by <@${g.moderatorId}>\\)\\. Nothing changed\\.$`,
      ),
    );
    expect(await permissionRequests(g.plainId)).toHaveLength(1);

    const unlocked = await unlockChannel(g, channelOption('channel', g.plainId));
    expect(unlocked.body.data?.content).toBe(
      `🔓 Unlocked <#${g.plainId}>; @everyone's permissions there are as they were before the lockdown.`,
    );
    const requests = await permissionRequests(g.plainId);
    expect(requests.map((r) => [r.method, r.path])).toEqual([
      ['PUT', `/channels/${g.plainId}/permissions/${g.guildId}`],
      ['DELETE', `/channels/${g.plainId}/permissions/${g.guildId}`],
    ]);
    expect(await everyoneOf(g, g.plainId)).toBeNull();
    expect((await outboxOf(g.guildId)).map((e) => e.eventType)).toEqual([
      'lockdown:applied',
      'lockdown:lifted',
    ]);
    const [row] = await testDatabase().select().from(lockdowns).where(eq(lockdowns.guildId, g.guildId));
    expect(row).toMatchObject({ state: 'unlocked', endState: 'lifted', unlockedBy: g.moderatorId });

    const twice = await unlockChannel(g, channelOption('channel', g.plainId));
    expect(twice.body.data?.content).toBe(`<#${g.plainId}> is not locked by Lockdown. Nothing changed.`);
  });

  it("restores a custom overwrite exactly, names the roles that can still send, and keeps other overwrites' changes", async () => {
    const g = await seedLockGuild();
    const locked = await lockChannel(
      g,
      channelOption('channel', g.customId),
      stringOption('notice', '@everyone calm down'),
    );
    expect(locked.body.data?.content).toContain(
      `Still able to send there (their own permissions override @everyone's): <@&${g.roles.mod}>`,
    );
    const during = await everyoneOf(g, g.customId);
    expect(BigInt(during!.allow)).toBe(P.AttachFiles); // Add Reactions was allowed, now denied
    expect(BigInt(during!.deny)).toBe(P.EmbedLinks | LOCK_BITS);
    // The notice is in the channel, pinging nobody.
    const notices = (await discordRequests(`/channels/${g.customId}/messages`)).filter(
      (r) => r.method === 'POST',
    );
    expect(notices.map((r) => r.body)).toEqual([
      { content: '🔒 @everyone calm down', allowed_mentions: { parse: [] } },
    ]);
    const mods = (await overwritesOf(g.guildId, g.customId)).find((o) => o.id === g.roles.mod);

    await unlockChannel(g, channelOption('channel', g.customId));
    expect(await everyoneOf(g, g.customId)).toMatchObject({
      allow: g.customOverwrite.allow,
      deny: g.customOverwrite.deny,
    });
    expect((await overwritesOf(g.guildId, g.customId)).find((o) => o.id === g.roles.mod)).toEqual(mods);
  });

  it('counts an overwrite Discord says is gone (10009, a retried DELETE) as restored', async () => {
    const g = await seedLockGuild();
    await lockChannel(g, channelOption('channel', g.plainId));
    await injectDiscordFault({
      method: 'DELETE',
      path: `/channels/${g.plainId}/permissions/`,
      count: 1,
      status: 404,
      code: 10009,
      message: 'Unknown Overwrite',
    });
    const unlocked = await unlockChannel(g, channelOption('channel', g.plainId));
    expect(unlocked.body.data?.content).toMatch(/^🔓 Unlocked/);
    const [row] = await testDatabase().select().from(lockdowns).where(eq(lockdowns.guildId, g.guildId));
    expect(row?.state).toBe('unlocked');
  });

  it('defaults to the channel the command was used in', async () => {
    const g = await seedLockGuild();
    await lockChannel(g);
    expect(BigInt((await everyoneOf(g, g.channelId))!.deny)).toBe(LOCK_BITS);
  });

  it('refuses, changing nothing: no Manage Channels, the bot lacking Manage Permissions, another server’s channel, a bad duration', async () => {
    const g = await seedLockGuild();
    const other = await seedLockGuild();
    const noPermission = await runCommand({
      guild: g,
      name: 'lockdown',
      options: [subcommand('channel', [])],
      permissions: ALL_MOD_PERMISSIONS,
      appPermissions: BOT,
    });
    expect(noPermission.body.data?.content).toBe(
      'You need the **Manage Channels** permission to use /lockdown.',
    );
    const botLacks = await runCommand({
      guild: g,
      name: 'lockdown',
      options: [subcommand('channel', [])],
      permissions: RAID_PERMISSIONS,
      appPermissions: BOT & ~P.ManageRoles,
    });
    expect(botLacks.body.data?.content).toMatch(/^I need the \*\*Manage Permissions\*\* permission/);
    const foreign = await lockChannel(g, channelOption('channel', other.plainId));
    expect(foreign.body.data?.content).toBe('That channel is not in this server.');
    const badDuration = await lockChannel(g, stringOption('duration', 'forever'));
    expect(badDuration.body.data?.content).toMatch(/duration/i);
    const voice = await lockChannel(g, channelOption('channel', g.voiceId));
    expect(voice.body.data?.content).toBe(
      'Only text, announcement and forum channels can be changed this way.',
    );
    expect(
      (await discordRequests(`/permissions/`)).filter((r) =>
        [g.guildId, other.guildId].some((id) => r.path.endsWith(id)),
      ),
    ).toEqual([]);
    expect(await testDatabase().select().from(lockdowns).where(eq(lockdowns.guildId, g.guildId))).toEqual([]);
  });

  it('lifts a timed lockdown when it ends, as expired, restoring the channel', async () => {
    const g = await seedLockGuild();
    await lockChannel(g, channelOption('channel', g.customId), stringOption('duration', '10m'));
    await runTick(new Date(Date.now() + 5 * MINUTE), { SCHEDULER_GUILD_IDS: g.guildId });
    expect(BigInt((await everyoneOf(g, g.customId))!.deny) & LOCK_BITS).toBe(LOCK_BITS);
    await runTick(new Date(Date.now() + 11 * MINUTE), { SCHEDULER_GUILD_IDS: g.guildId });
    expect(await everyoneOf(g, g.customId)).toMatchObject({
      allow: g.customOverwrite.allow,
      deny: g.customOverwrite.deny,
    });
    const events = await outboxOf(g.guildId);
    expect(events.map((e) => e.eventType)).toEqual(['lockdown:applied', 'lockdown:lifted']);
    expect(events[1]!.payload).toMatchObject({ data: { endState: 'expired', channelIds: [g.customId] } });
  });
});

describe('/lockdown server and /unlock server', () => {
  it('locks every channel where @everyone can write, with a notice, across invocations within 1,000 requests each, and unlocks them all', async () => {
    // More channels than one invocation locks: the ticks finish the rest.
    const g = await seedLockGuild(510);
    const expected = [g.channelId, g.plainId, g.customId, ...g.extraIds];
    const total = expected.length + 1; // and the refused one
    const interaction = commandInteraction({
      guild: g,
      name: 'lockdown',
      options: [
        subcommand('server', [stringOption('reason', 'raid'), stringOption('notice', 'Raid: hold on')]),
      ],
      permissions: RAID_PERMISSIONS,
      appPermissions: BOT,
    });
    const mark = await lastSeq(g);
    const reply = await sendInteraction(interaction);
    expect(reply.body.data?.content).toBe(
      `🔒 Locking ${total} channels… I will update this message as I go.`,
    );
    // The invocation's requests (its work goes on after the reply, and has ended here).
    const invocation = await guildRequestsSince(g, mark, interaction.token);
    expect(invocation.length).toBeLessThanOrEqual(WORKERS_SUBREQUEST_LIMIT);
    // At least the batches the invocation's requests cover at three calls a channel, each at its
    // most (batchSizes); the run settles to what it really sent, so it may lock more than that.
    const planned = batchSizes(INVOCATION_REQUESTS, true, total);
    expect(planned.length).toBeGreaterThan(0);
    const [row] = await testDatabase().select().from(lockdowns).where(eq(lockdowns.guildId, g.guildId));
    expect(row!.state).toBe('locking');
    const pending = await testDatabase()
      .select()
      .from(channelLocks)
      .where(eq(channelLocks.lockdownId, row!.id));
    const lockedHere = total - pending.filter((l) => l.state === 'pending').length;
    expect(lockedHere).toBeGreaterThanOrEqual(planned.reduce((a, b) => a + b, 0));
    expect(lockedHere).toBeLessThan(total);
    // The deferred reply, edited after each batch with the progress: up, batch by batch, to what
    // the invocation did.
    const progress = (await discordRequests(`/${interaction.token}/messages/@original`))
      .filter((r) => r.method === 'PATCH')
      .map((r) => (r.body as { content: string }).content);
    const counted = progress.map((text) => {
      const match = /^🔒 Locking… (\d+) of (\d+) channels done\. I will update this message as I go\.$/.exec(
        text,
      );
      expect(match?.[2], text).toBe(String(total));
      return Number(match?.[1]);
    });
    expect(counted.length).toBeGreaterThanOrEqual(1);
    expect(counted).toEqual([...counted].sort((a, b) => a - b));
    expect(counted.at(-1)).toBe(lockedHere);

    // The ticks finish it, each within 1,000 requests.
    let ticks = 0;
    for (;;) {
      const [now] = await testDatabase().select().from(lockdowns).where(eq(lockdowns.guildId, g.guildId));
      if (now!.state !== 'locking') break;
      expect(ticks).toBeLessThan(40);
      const before = await lastSeq(g);
      await runTick(new Date(), { SCHEDULER_GUILD_IDS: g.guildId });
      ticks += 1;
      expect((await guildRequestsSince(g, before, interaction.token)).length).toBeLessThanOrEqual(
        WORKERS_SUBREQUEST_LIMIT,
      );
    }
    expect(ticks).toBeGreaterThan(0);
    // A notice in every channel locked; the refused channel's notice taken back.
    const notices = await discordRequests('/messages');
    const posted = notices.filter(
      (r) => r.method === 'POST' && (r.body as { content?: string }).content === '🔒 Raid: hold on',
    );
    expect(new Set(posted.map((r) => r.path.split('/')[2]))).toEqual(new Set([...expected, g.refusedId]));
    expect(
      notices.filter((r) => r.method === 'DELETE' && r.path.startsWith(`/channels/${g.refusedId}/messages/`)),
    ).toHaveLength(1);
    const state = await discordGuildState(g.guildId);
    for (const cid of expected) {
      const everyone = (
        state.channels.find((c) => c.id === cid) as unknown as { permission_overwrites: Overwrite[] }
      ).permission_overwrites.find((o) => o.id === g.guildId);
      expect(BigInt(everyone!.deny) & LOCK_BITS).toBe(LOCK_BITS);
    }
    expect(await everyoneOf(g, g.hiddenId)).toMatchObject({ allow: '0', deny: String(P.ViewChannel) });
    const applied = (await outboxOf(g.guildId)).filter((e) => e.eventType === 'lockdown:applied');
    expect(applied).toHaveLength(1);
    const data = (applied[0]!.payload as { data: { channelIds: string[]; failed: unknown[] } }).data;
    expect(data.channelIds.sort()).toEqual([...expected].sort());
    // Refused by Discord: listed with a reason, not skipped silently, and left as it was.
    expect(data.failed).toEqual([
      { channelId: g.refusedId, why: expect.stringMatching(/^I lack Manage Permissions/) },
    ]);
    expect(await everyoneOf(g, g.refusedId)).toBeNull();
    // The moderator's reply was edited to the summary, naming the refused channel.
    const edits = (await discordRequests('/messages/@original'))
      .filter((r) => r.method === 'PATCH')
      .map((r) => (r.body as { content: string }).content)
      .filter((content) => content.includes(`<#${g.refusedId}>`));
    expect(edits).toHaveLength(1);
    expect(edits[0]).toContain(`🔒 Locked ${expected.length} channels`);
    // …and that summary is the reply's last edit, after the ticks' progress.
    const replyEdits = (await discordRequests(`/${interaction.token}/messages/@original`)).filter(
      (r) => r.method === 'PATCH',
    );
    expect((replyEdits.at(-1)!.body as { content: string }).content).toBe(edits[0]);
    expect(replyEdits.length).toBeGreaterThan(counted.length + 1);
    expect(edits[0]).toContain(`Could not lock 1:\n- <#${g.refusedId}>: I lack Manage Permissions`);

    const unlocking = await run(g, 'unlock', [subcommand('server', [])]);
    expect(unlocking.body.data?.content).toBe(
      `🔓 Unlocking ${expected.length} channels… I will update this message as I go.`,
    );
    for (let t = 0; ; t += 1) {
      const [now] = await testDatabase().select().from(lockdowns).where(eq(lockdowns.guildId, g.guildId));
      if (now!.state !== 'unlocking') break;
      expect(t).toBeLessThan(40);
      await runTick(new Date(), { SCHEDULER_GUILD_IDS: g.guildId });
    }
    expect(await everyoneOf(g, g.plainId)).toBeNull();
    expect(await everyoneOf(g, g.customId)).toMatchObject({
      allow: g.customOverwrite.allow,
      deny: g.customOverwrite.deny,
    });
    expect(await everyoneOf(g, g.extraIds[509]!)).toBeNull();
    const lifted = (await outboxOf(g.guildId)).filter((e) => e.eventType === 'lockdown:lifted');
    expect(lifted).toHaveLength(1);
    const [done] = await testDatabase().select().from(lockdowns).where(eq(lockdowns.guildId, g.guildId));
    expect(done).toMatchObject({ state: 'unlocked', endState: 'lifted', replyToken: null });
  }, 120_000);
});

describe('a server lockdown when Discord fails midway', () => {
  it('leaves the channel for the next run and finishes it there, announcing the lockdown once', async () => {
    const g = await seedLockGuild();
    await injectDiscordFault({
      method: 'PUT',
      path: `/channels/${g.plainId}/permissions/`,
      count: 1,
      status: 503,
    });
    const reply = await run(g, 'lockdown', [subcommand('server', [])]);
    expect(reply.body.data?.content).toBe('🔒 Locking 3 channels… I will update this message as I go.');
    const [row] = await testDatabase().select().from(lockdowns).where(eq(lockdowns.guildId, g.guildId));
    expect(row).toMatchObject({ state: 'locking', workClaimedUntil: null });
    const locks = await testDatabase()
      .select()
      .from(channelLocks)
      .where(eq(channelLocks.lockdownId, row!.id));
    expect(locks.find((l) => l.channelId === g.plainId)?.state).toBe('pending');

    await runTick(new Date(), { SCHEDULER_GUILD_IDS: g.guildId });
    for (const cid of [g.channelId, g.plainId, g.customId]) {
      expect(BigInt((await everyoneOf(g, cid))!.deny) & LOCK_BITS).toBe(LOCK_BITS);
    }
    expect((await outboxOf(g.guildId)).map((e) => e.eventType)).toEqual(['lockdown:applied']);
    await runTick(new Date(Date.now() + MINUTE), { SCHEDULER_GUILD_IDS: g.guildId });
    expect((await outboxOf(g.guildId)).map((e) => e.eventType)).toEqual(['lockdown:applied']);
  });
});

describe('/slowmode', () => {
  it('sets the interval with one PATCH, logs it, and says when nothing changes', async () => {
    const g = await seedLockGuild();
    const set = await run(g, 'slowmode', [
      stringOption('interval', '1m'),
      channelOption('channel', g.plainId),
    ]);
    expect(set.body.data?.content).toBe(
      `🐢 Slowmode in <#${g.plainId}>: each member waits 1 minute between messages.`,
    );
    const patches = (await discordRequests(`/channels/${g.plainId}`)).filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => r.body)).toEqual([{ rate_limit_per_user: 60 }]);
    const again = await run(g, 'slowmode', [
      stringOption('interval', '1m'),
      channelOption('channel', g.plainId),
    ]);
    expect(again.body.data?.content).toBe(
      `Slowmode in <#${g.plainId}> is already 1 minute. Nothing changed.`,
    );
    const invalid = await run(g, 'slowmode', [stringOption('interval', '7h')]);
    expect(invalid.body.data?.content).toMatch(/^`interval` must be one of: off, 5s/);
    const [audit] = await outboxOf(g.guildId);
    expect(audit!.payload).toMatchObject({
      eventType: 'audit:logged',
      data: {
        action: 'slowmode.set',
        details: { Channel: `<#${g.plainId}>`, Before: 'off', Now: '1 minute' },
      },
    });
  });
});

describe('a change Discord made but the database could not log', () => {
  it('is reported as made, without a mod-log entry, not as "nothing was changed"', async () => {
    const g = await seedLockGuild();
    await injectDatabaseFault(`insert into "outbox"[\\s\\S]*${g.guildId}`, 1);
    const set = await run(g, 'slowmode', [
      stringOption('interval', '5m'),
      channelOption('channel', g.plainId),
    ]);
    expect(set.body.data?.content).toBe(
      `🐢 Slowmode in <#${g.plainId}>: each member waits 5 minutes between messages.\n${NOT_LOGGED}`,
    );
    expect(
      (await discordRequests(`/channels/${g.plainId}`)).filter((r) => r.method === 'PATCH'),
    ).toHaveLength(1);
    expect(await outboxOf(g.guildId)).toHaveLength(0);
  });
});

describe('/raidmode', () => {
  it('pauses invites and DMs through incident actions, reports status, and turns off', async () => {
    const g = await seedLockGuild();
    const on = await run(g, 'raidmode', [
      subcommand('on', [stringOption('duration', '2h'), booleanOption('dms', false)]),
    ]);
    expect(on.body.data?.content).toMatch(/^🛡️ Raid mode on: invites paused until <t:\d+:f>/);
    const [put] = (await discordRequests(`/guilds/${g.guildId}/incident-actions`)).filter(
      (r) => r.method === 'PUT',
    );
    const body = put!.body as { invites_disabled_until: string; dms_disabled_until: string | null };
    expect(Date.parse(body.invites_disabled_until) - Date.now()).toBeGreaterThan(119 * MINUTE);
    expect(body.dms_disabled_until).toBeNull();
    const status = await run(g, 'raidmode', [subcommand('status')]);
    expect(status.body.data?.content).toMatch(/^🛡️ Raid mode is on\.\nInvites: \*\*paused\*\* until/);
    const tooLong = await run(g, 'raidmode', [subcommand('on', [stringOption('duration', '2d')])]);
    expect(tooLong.body.data?.content).toMatch(/duration/i);
    const off = await run(g, 'raidmode', [subcommand('off')]);
    expect(off.body.data?.content).toBe('Raid mode off: invites and DMs between members work again.');
    // Off clears both pauses at Discord.
    const puts = (await discordRequests(`/guilds/${g.guildId}/incident-actions`)).filter(
      (r) => r.method === 'PUT',
    );
    expect(puts).toHaveLength(2);
    expect(puts[1]!.body).toEqual({ invites_disabled_until: null, dms_disabled_until: null });
    const offAgain = await run(g, 'raidmode', [subcommand('off')]);
    expect(offAgain.body.data?.content).toBe(
      'Raid mode is not on: invites and DMs are not paused. Nothing changed.',
    );
    expect(
      (await outboxOf(g.guildId)).map((e) => (e.payload as { data: { action: string } }).data.action),
    ).toEqual(['raidmode.enabled', 'raidmode.disabled']);
  });
});

describe('/slowmode and /raidmode refusals and failures', () => {
  it('refuses a moderator without Manage Channels / Manage Server, and a bot without it, naming what is missing', async () => {
    const g = await seedLockGuild();
    const slow = [stringOption('interval', '1m'), channelOption('channel', g.plainId)];
    const noManageChannels = await run(g, 'slowmode', slow, { permissions: ALL_MOD_PERMISSIONS });
    expect(noManageChannels.body.data?.content).toBe(
      'You need the **Manage Channels** permission to use /slowmode.',
    );
    const botWithout = await run(g, 'slowmode', slow, { appPermissions: BOT & ~P.ManageChannels });
    expect(botWithout.body.data?.content).toBe(
      'I need the **Manage Channels** permission in this server to do that. Ask an admin to grant it to my role.',
    );
    const on = [subcommand('on', [stringOption('duration', '1h')])];
    const noManageServer = await run(g, 'raidmode', on, { permissions: RAID_PERMISSIONS & ~P.ManageGuild });
    expect(noManageServer.body.data?.content).toBe(
      'You need the **Manage Server** permission to use /raidmode.',
    );
    const botWithoutGuild = await run(g, 'raidmode', on, { appPermissions: BOT & ~P.ManageGuild });
    expect(botWithoutGuild.body.data?.content).toBe(
      'I need the **Manage Server** permission in this server to do that. Ask an admin to grant it to my role.',
    );
    // Nothing was asked of Discord, nothing logged.
    expect((await discordRequests(`/channels/${g.plainId}`)).filter((r) => r.method === 'PATCH')).toEqual([]);
    expect(await discordRequests(`/guilds/${g.guildId}/incident-actions`)).toEqual([]);
    expect(await outboxOf(g.guildId)).toEqual([]);
  });

  it('says a 5xx may have gone through, without promising a case they never record', async () => {
    const g = await seedLockGuild();
    await injectDiscordFault({ method: 'PATCH', path: `^/channels/${g.plainId}$`, count: 1, status: 502 });
    const slow = await run(g, 'slowmode', [
      stringOption('interval', '1m'),
      channelOption('channel', g.plainId),
    ]);
    expect(slow.body.data?.content).toBe(
      'Discord had an internal error (HTTP 502). It may still have gone through: check before trying again shortly.',
    );
    await injectDiscordFault({
      method: 'PUT',
      path: `^/guilds/${g.guildId}/incident-actions$`,
      count: 1,
      status: 502,
    });
    const raid = await run(g, 'raidmode', [subcommand('on', [stringOption('duration', '1h')])]);
    expect(raid.body.data?.content).toBe(
      'Discord had an internal error (HTTP 502). It may still have gone through: check before trying again shortly.',
    );
  });
});
