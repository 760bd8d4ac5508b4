// Timed /slowmode against the Discord stand-in, the real Postgres and the Worker in workerd: the
// interval set and the one it replaced kept, the scheduler putting it back once (or leaving a
// channel changed by hand alone), replacements, `off`, and bad durations that change nothing.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { slowmodes } from '../../db/schema.ts';
import { NOT_LOGGED } from '../../functions/moderation/audit.ts';
import {
  ALL_MOD_PERMISSIONS,
  asBot,
  channelOption,
  discordGuildState,
  discordRequests,
  injectDatabaseFault,
  injectDiscordFault,
  outboxOf,
  putGuild,
  runCommand,
  runTick,
  seedUser,
  snowflake,
  stringOption,
  type TestGuild,
  testDatabase,
  testGuildIds,
} from '../support/edge.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const P = PermissionFlagsBits;
const MODS = ALL_MOD_PERMISSIONS | P.ManageChannels;
const BOT = MODS | P.ViewChannel | P.ViewAuditLog;

interface SlowGuild extends TestGuild {
  /** Slowmode off. */
  chatId: string;
  /** Slowmode 5 seconds already. */
  slowId: string;
}

async function seedSlowGuild(): Promise<SlowGuild> {
  const id = snowflake;
  const g: SlowGuild = {
    ...testGuildIds(),
    chatId: id(),
    slowId: id(),
  };
  await putGuild(g.guildId, {
    name: 'Slow Server',
    ownerId: g.ownerId,
    roles: [
      { id: g.guildId, name: '@everyone', position: 0, permissions: String(P.ViewChannel | P.SendMessages) },
      { id: g.roles.mod, name: 'Mods', position: 5, permissions: String(MODS) },
      { id: g.roles.bot, name: 'Lockdown', position: 9, permissions: String(BOT) },
    ],
    members: [
      { user: seedUser(g.ownerId, 'owner'), roles: [] },
      { user: seedUser(g.moderatorId, 'moderator'), roles: [g.roles.mod] },
    ],
    channels: [
      { id: g.channelId, name: 'general', type: 0 },
      { id: g.chatId, name: 'chat', type: 0 },
      { id: g.slowId, name: 'slow', type: 0, rate_limit_per_user: 5 },
    ],
    botRoleIds: [g.roles.bot],
  });
  return g;
}

const slowmode = (g: TestGuild, channelId: string, interval: string, duration?: string) =>
  runCommand({
    guild: g,
    name: 'slowmode',
    options: [
      stringOption('interval', interval),
      channelOption('channel', channelId),
      ...(duration === undefined ? [] : [stringOption('duration', duration)]),
    ],
    permissions: MODS,
    appPermissions: BOT,
  });

const tick = (g: TestGuild, at: number) => runTick(new Date(at), { SCHEDULER_GUILD_IDS: g.guildId });

async function intervalOf(g: TestGuild, channelId: string): Promise<number> {
  const state = await discordGuildState(g.guildId);
  const channel = state.channels.find((c) => c.id === channelId) as unknown as {
    rate_limit_per_user?: number;
  };
  return channel.rate_limit_per_user ?? 0;
}

const rowsOf = (channelId: string) =>
  testDatabase()
    .select()
    .from(slowmodes)
    .where(eq(slowmodes.channelId, channelId))
    .orderBy(slowmodes.createdAt);

const patchesOf = async (channelId: string) =>
  (await discordRequests(`/channels/${channelId}`)).filter(
    (r) => r.method === 'PATCH' && r.path.endsWith(`/channels/${channelId}`),
  );

type Audit = { data: { action: string; details: Record<string, string>; moderatorId: string } };
const auditsOf = async (g: TestGuild) => (await outboxOf(g.guildId)).map((e) => (e.payload as Audit).data);

describe('a timed /slowmode', () => {
  it('sets the interval, keeps the one before, and a tick after its end puts it back once', async () => {
    const g = await seedSlowGuild();
    const before = Date.now();
    const set = await slowmode(g, g.slowId, '1m', '2h');
    expect(set.body.data?.content).toMatch(
      new RegExp(
        `^🐢 Slowmode in <#${g.slowId}>: each member waits 1 minute between messages\\. It ends <t:\\d+:R>, back to 5 seconds\\.$`,
      ),
    );
    expect(await intervalOf(g, g.slowId)).toBe(60);
    const [row] = await rowsOf(g.slowId);
    expect(row).toMatchObject({
      previousSeconds: 5,
      seconds: 60,
      state: 'active',
      moderatorId: g.moderatorId,
    });
    expect(row!.expiresAt.getTime() - before).toBeGreaterThanOrEqual(2 * HOUR - 1000);
    expect(row!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(2 * HOUR);
    const [logged] = await auditsOf(g);
    expect(logged).toMatchObject({
      action: 'slowmode.set',
      details: {
        Channel: `<#${g.slowId}>`,
        Before: '5 seconds',
        Now: '1 minute',
        'Then back to': '5 seconds',
      },
    });

    await tick(g, Date.now() + HOUR);
    expect(await intervalOf(g, g.slowId)).toBe(60);
    expect((await rowsOf(g.slowId))[0]!.state).toBe('active');

    await tick(g, Date.now() + 2 * HOUR + MINUTE);
    expect(await intervalOf(g, g.slowId)).toBe(5);
    const patches = await patchesOf(g.slowId);
    expect(patches.map((p) => p.body)).toEqual([{ rate_limit_per_user: 60 }, { rate_limit_per_user: 5 }]);
    expect(patches[1]!.auditLogReason).toBe(`Timed slowmode ended (set by ${g.moderatorId})`);
    expect((await rowsOf(g.slowId))[0]).toMatchObject({
      state: 'ended',
      endReason: 'expired',
      outcome: 'restored',
      scheduleClaimedUntil: null,
    });
    const expired = (await auditsOf(g)).filter((a) => a.action === 'slowmode.expired');
    expect(expired).toHaveLength(1);
    expect(expired[0]!.details).toEqual({
      Channel: `<#${g.slowId}>`,
      Was: '1 minute',
      Now: 'back to 5 seconds',
      'Set by': `<@${g.moderatorId}>`,
    });

    await tick(g, Date.now() + 3 * HOUR);
    expect(await patchesOf(g.slowId)).toHaveLength(2);
    expect((await auditsOf(g)).filter((a) => a.action === 'slowmode.expired')).toHaveLength(1);
  });

  it('leaves a channel whose interval was changed by hand since alone, and says so', async () => {
    const g = await seedSlowGuild();
    await slowmode(g, g.chatId, '30s', '10m');
    expect((await asBot('PATCH', `/channels/${g.chatId}`, { rate_limit_per_user: 10 })).status).toBe(200);
    await tick(g, Date.now() + 11 * MINUTE);
    expect(await intervalOf(g, g.chatId)).toBe(10);
    expect((await patchesOf(g.chatId)).map((p) => p.body)).toEqual([
      { rate_limit_per_user: 30 },
      { rate_limit_per_user: 10 },
    ]);
    expect((await rowsOf(g.chatId))[0]).toMatchObject({
      state: 'ended',
      endReason: 'expired',
      outcome: 'left_alone',
      foundSeconds: 10,
    });
    const [expired] = (await auditsOf(g)).filter((a) => a.action === 'slowmode.expired');
    expect(expired!.details.Now).toBe('changed by hand since (now 10 seconds), left alone');
  });

  it('a refused restore backs off and is reported once; the next try after the wait restores', async () => {
    const g = await seedSlowGuild();
    await slowmode(g, g.chatId, '1m', '5m');
    await injectDiscordFault({
      method: 'PATCH',
      path: `/channels/${g.chatId}$`,
      count: 1,
      status: 403,
      code: 50013,
      message: 'Missing Permissions',
    });
    const end = Date.now() + 6 * MINUTE;
    await tick(g, end);
    expect(await intervalOf(g, g.chatId)).toBe(60);
    const [row] = await rowsOf(g.chatId);
    expect(row).toMatchObject({ state: 'active', scheduleAttempts: 1, scheduleClaimedUntil: null });
    expect(row!.scheduleNextAttemptAt!.getTime()).toBe(end + 64 * MINUTE);
    const failed = (await auditsOf(g)).filter((a) => a.action === 'schedule.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.details).toMatchObject({ Job: 'end the timed slowmode', Attempts: 1 });

    await tick(g, end + MINUTE);
    expect(await intervalOf(g, g.chatId)).toBe(60);
    await tick(g, end + 65 * MINUTE);
    expect(await intervalOf(g, g.chatId)).toBe(0);
    expect((await rowsOf(g.chatId))[0]!.outcome).toBe('restored');
    expect((await auditsOf(g)).filter((a) => a.action === 'schedule.failed')).toHaveLength(1);
  });
});

describe('the end of timed slowmodes', () => {
  it('two overlapping ticks end each once; a deleted channel just ends its timer', async () => {
    const g = await seedSlowGuild();
    await slowmode(g, g.chatId, '1m', '10m');
    await slowmode(g, g.slowId, '2m', '10m');
    await slowmode(g, g.channelId, '30s', '10m');
    await injectDiscordFault({
      method: 'GET',
      path: `/channels/${g.channelId}$`,
      count: 2,
      status: 404,
      code: 10003,
      message: 'Unknown Channel',
    });
    const at = Date.now() + 11 * MINUTE;
    await Promise.all([tick(g, at), tick(g, at)]);
    expect(await intervalOf(g, g.chatId)).toBe(0);
    expect(await intervalOf(g, g.slowId)).toBe(5);
    expect((await patchesOf(g.chatId)).map((p) => p.body)).toEqual([
      { rate_limit_per_user: 60 },
      { rate_limit_per_user: 0 },
    ]);
    expect(await patchesOf(g.slowId)).toHaveLength(2);
    expect(await patchesOf(g.channelId)).toHaveLength(1);
    const expired = (await auditsOf(g)).filter((a) => a.action === 'slowmode.expired');
    expect(expired.map((a) => a.details.Now).sort()).toEqual([
      'back to 5 seconds',
      'back to off',
      'the channel no longer exists',
    ]);
    expect((await rowsOf(g.channelId))[0]).toMatchObject({ state: 'ended', outcome: 'gone' });
  });
});

describe('a /slowmode on a channel with a running timer', () => {
  it('replaces it, keeping the interval from before the first; an untimed one ends it', async () => {
    const g = await seedSlowGuild();
    await slowmode(g, g.slowId, '1m', '2h');
    const replaced = await slowmode(g, g.slowId, '5m', '30m');
    expect(replaced.body.data?.content).toMatch(
      /waits 5 minutes between messages\. It ends <t:\d+:R>, back to 5 seconds\.$/,
    );
    const rows = await rowsOf(g.slowId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ previousSeconds: 5, seconds: 300, state: 'active' });
    expect(rows[0]!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(30 * MINUTE);

    const retimed = await slowmode(g, g.slowId, '5m', '1h');
    expect(retimed.body.data?.content).toMatch(
      /^🐢 Slowmode in <#\d+> stays 5 minutes\. It ends <t:\d+:R>, back to 5 seconds\.$/,
    );
    expect(await patchesOf(g.slowId)).toHaveLength(2);

    const untimed = await slowmode(g, g.slowId, '30s');
    expect(untimed.body.data?.content).toBe(
      `🐢 Slowmode in <#${g.slowId}>: each member waits 30 seconds between messages.`,
    );
    expect((await rowsOf(g.slowId))[0]).toMatchObject({
      state: 'ended',
      endReason: 'replaced',
      endedBy: g.moderatorId,
    });
    await tick(g, Date.now() + 3 * HOUR);
    expect(await intervalOf(g, g.slowId)).toBe(30);
    expect((await auditsOf(g)).map((a) => a.action)).toEqual([
      'slowmode.set',
      'slowmode.set',
      'slowmode.set',
      'slowmode.set',
    ]);
  });

  it('off ends it as lifted, and its end then does nothing', async () => {
    const g = await seedSlowGuild();
    await slowmode(g, g.chatId, '2m', '1h');
    const off = await slowmode(g, g.chatId, 'off');
    expect(off.body.data?.content).toBe(`Slowmode in <#${g.chatId}> is off.`);
    expect(await intervalOf(g, g.chatId)).toBe(0);
    expect((await rowsOf(g.chatId))[0]).toMatchObject({ state: 'ended', endReason: 'lifted' });
    const [, lifted] = await auditsOf(g);
    expect(lifted!.details).toMatchObject({ Before: '2 minutes', Now: 'off', Timer: 'lifted' });
    await tick(g, Date.now() + 2 * HOUR);
    expect(await patchesOf(g.chatId)).toHaveLength(2);
    expect((await auditsOf(g)).map((a) => a.action)).toEqual(['slowmode.set', 'slowmode.set']);
  });
});

describe('a timed /slowmode the database cannot record', () => {
  it('stands, says it has no mod-log entry and no end, and keeps no timer', async () => {
    const g = await seedSlowGuild();
    await injectDatabaseFault(`insert into "outbox"[\\s\\S]*${g.guildId}`, 1);
    const set = await slowmode(g, g.chatId, '1m', '1h');
    const content = set.body.data?.content ?? '';
    expect(content).toMatch(/It ends <t:\d+:R>, back to off\.\n/);
    expect(
      content.endsWith(
        `\n${NOT_LOGGED} It will not end by itself: set it back with /slowmode when you are done.`,
      ),
    ).toBe(true);
    expect(await intervalOf(g, g.chatId)).toBe(60);
    expect(await rowsOf(g.chatId)).toHaveLength(0);
    expect(await outboxOf(g.guildId)).toHaveLength(0);
  });
});

describe('a /slowmode with a bad duration', () => {
  it('is refused, ephemeral, with nothing changed', async () => {
    const g = await seedSlowGuild();
    const cases: [string, string, RegExp][] = [
      ['1m', '2 fortnights', /^Unknown unit "fortnights"/],
      ['1m', 'soon', /is not a duration/],
      ['1m', '30s', /^The duration must be at least 1 minute\./],
      ['1m', '31d', /^The duration can be at most 4 weeks, 2 days\./],
      ['off', '1h', /^Turning slowmode off has no end/],
    ];
    for (const [interval, duration, message] of cases) {
      const refused = await slowmode(g, g.chatId, interval, duration);
      expect(refused.body.data?.content).toMatch(message);
      expect(refused.body.data?.flags).toBe(64);
    }
    expect(await discordRequests(`/channels/${g.chatId}`)).toHaveLength(0);
    expect(await rowsOf(g.chatId)).toHaveLength(0);
    expect(await outboxOf(g.guildId)).toHaveLength(0);
  });

  it('on a channel already at that interval with no timer, changes nothing', async () => {
    const g = await seedSlowGuild();
    const same = await slowmode(g, g.slowId, '5s', '1h');
    expect(same.body.data?.content).toBe(
      `Slowmode in <#${g.slowId}> is already 5 seconds. It was not set with a timer, so there is nothing to put back. Nothing changed.`,
    );
    expect(await patchesOf(g.slowId)).toHaveLength(0);
    expect(await rowsOf(g.slowId)).toHaveLength(0);
  });
});
