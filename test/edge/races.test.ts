// A scheduled expiry never undoes a fresh action on the same member. Each race is placed, not hoped
// for: the Discord stand-in holds the scheduler's request (the answer delayed, the call carried out)
// and the competing command runs once that request is seen to have arrived, so it lands inside the
// window every time.
import { describe, expect, it } from 'vitest';
import { cases, guilds, pendingActions } from '../../db/schema.ts';
import {
  appId,
  asBot,
  banOutsider,
  casesOf,
  discordGuildState,
  discordRequests,
  discordRequestsArrived,
  injectDiscordFault,
  intentsOf,
  outboxOf,
  runCommand,
  runTick,
  seedGuild,
  snowflake,
  stringOption,
  type TestGuild,
  testDatabase,
  userOption,
} from '../support/edge.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Long enough for a command to run meanwhile; short of the Discord client's 4-second timeout. */
const HOLD_MS = 2_500;

const tick = (at: number, guildId: string) => runTick(new Date(at), { SCHEDULER_GUILD_IDS: guildId });

function mute(guild: TestGuild, duration: string) {
  return runCommand({
    guild,
    name: 'mute',
    options: [
      userOption('user', guild.targetId),
      stringOption('duration', duration),
      stringOption('reason', 'spam'),
    ],
    resolve: [{ id: guild.targetId }],
  });
}

describe('a temporary ban lifted while a moderator bans the member again', () => {
  it('refuses the /ban until the unban is done, and never marks a fresh ban as expired', async () => {
    const guild = await seedGuild();
    await runCommand({
      ...banOutsider(guild, 'spam'),
      options: [...banOutsider(guild, 'spam').options!, stringOption('duration', '1h')],
    });
    const [tempBan] = await casesOf(guild.guildId);
    const due = (tempBan!.expiresAt as Date).getTime();
    await injectDiscordFault({
      method: 'DELETE',
      path: `/guilds/${guild.guildId}/bans/`,
      count: 1,
      status: 204,
      passThrough: true,
      delayMs: HOLD_MS,
    });

    const lifting = tick(due + MINUTE, guild.guildId);
    await discordRequestsArrived('DELETE', `/guilds/${guild.guildId}/bans/`, 1);
    // The unban is in flight at Discord.
    const during = await runCommand(banOutsider(guild, 'raiding again'));
    await lifting;

    expect(during.body.data?.content).toBe(
      `I am ending a temporary ban of <@${guild.outsiderId}> right now. Try again in a few seconds.`,
    );
    expect(during.body.data?.flags).toBe(64);
    const puts = (await discordRequests(`/guilds/${guild.guildId}/bans/`)).filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1); // the temporary ban's own; the refused /ban sent nothing
    expect((await casesOf(guild.guildId)).map((c) => [c.action, c.state])).toEqual([
      ['ban', 'expired'],
      ['unban', 'active'],
    ]);
    expect((await discordGuildState(guild.guildId)).bans).toEqual([]);
    expect(await intentsOf(guild.guildId)).toEqual([]);

    // Once the lift is done the ban goes through, and stays.
    const after = await runCommand(banOutsider(guild, 'raiding again'));
    expect(after.body.data?.content).toMatch(/^\*\*Banned\*\* .* — case #3\./);
    await tick(due + 2 * MINUTE, guild.guildId);
    expect((await casesOf(guild.guildId)).map((c) => [c.action, c.state])).toEqual([
      ['ban', 'expired'],
      ['unban', 'active'],
      ['ban', 'active'],
    ]);
    expect((await discordGuildState(guild.guildId)).bans.map((b) => b.user.id)).toEqual([guild.outsiderId]);
  });
});

describe("a mute's end recorded while a moderator mutes the member again", () => {
  it('leaves the new mute in force: only the mute that fell due is ended', async () => {
    const guild = await seedGuild();
    const first = await mute(guild, '10m');
    expect(first.body.data?.content).toMatch(/case #1\./);
    const [due] = await casesOf(guild.guildId);
    const created = due!.createdAt.getTime();

    // Four long mutes whose timeouts need renewing before the first mute ends: they take the
    // tick's four lanes, and their member reads are held, so the end of case #1 waits its turn
    // after the claim — the window a /mute must not fall into.
    await testDatabase()
      .insert(cases)
      .values(
        [101, 102, 103, 104].map((caseNumber) => ({
          id: crypto.randomUUID(),
          guildId: guild.guildId,
          caseNumber,
          action: 'mute' as const,
          userId: snowflake(),
          moderatorId: guild.moderatorId,
          reason: 'long mute',
          createdAt: new Date(created - MINUTE),
          expiresAt: new Date(created + 60 * DAY),
          timeoutUntil: new Date(created + 5 * MINUTE),
        })),
      );
    await injectDiscordFault({
      method: 'GET',
      path: `/guilds/${guild.guildId}/members/`,
      count: 4,
      status: 200,
      passThrough: true,
      delayMs: HOLD_MS,
    });

    const ending = tick(created + 11 * MINUTE, guild.guildId);
    await discordRequestsArrived('GET', `/guilds/${guild.guildId}/members/`, 4);
    // Case #1 is claimed and due; the moderator mutes the member again before its end is written.
    const again = await mute(guild, '1h');
    await ending;

    expect(again.body.data?.content).toMatch(/^\*\*Muted\*\* .* — case #2\./);
    const own = (await casesOf(guild.guildId)).filter((c) => c.caseNumber < 100);
    expect(own.map((c) => [c.caseNumber, c.action, c.state])).toEqual([
      [1, 'mute', 'superseded'],
      [2, 'mute', 'active'],
    ]);
    expect((await outboxOf(guild.guildId)).map((row) => row.eventType)).not.toContain('mute:removed');
    const member = (await discordGuildState(guild.guildId)).members.find((m) => m.user.id === guild.targetId);
    expect(Date.parse(member!.communication_disabled_until!)).toBeGreaterThan(Date.now() + 50 * MINUTE);
  });
});

describe("a long mute's renewal while a moderator unmutes the member", () => {
  it('asks the /unmute to wait instead of letting the renewal set the timeout again after it', async () => {
    const guild = await seedGuild();
    // As if /mute 60d had been run 27.5 days ago: the 28-day timeout runs out in 12 hours.
    const now = Date.now();
    const timeoutUntil = new Date(now + 12 * 60 * MINUTE);
    expect(
      (
        await asBot('PATCH', `/guilds/${guild.guildId}/members/${guild.targetId}`, {
          communication_disabled_until: timeoutUntil.toISOString(),
        })
      ).status,
    ).toBe(200);
    const db = testDatabase();
    await db.insert(guilds).values({ guildId: guild.guildId, caseCounter: 1 });
    const created = now - 27.5 * DAY;
    await db.insert(cases).values({
      id: crypto.randomUUID(),
      guildId: guild.guildId,
      caseNumber: 1,
      action: 'mute',
      userId: guild.targetId,
      moderatorId: guild.moderatorId,
      reason: 'flooding',
      createdAt: new Date(created),
      expiresAt: new Date(created + 60 * DAY),
      timeoutUntil,
    });
    await injectDiscordFault({
      method: 'PATCH',
      path: `/guilds/${guild.guildId}/members/${guild.targetId}`,
      count: 1,
      status: 200,
      passThrough: true,
      delayMs: HOLD_MS,
    });
    const unmute = () =>
      runCommand({
        guild,
        name: 'unmute',
        options: [userOption('user', guild.targetId), stringOption('reason', 'appeal accepted')],
        resolve: [{ id: guild.targetId }],
      });

    const renewing = tick(now, guild.guildId);
    await discordRequestsArrived('PATCH', `/guilds/${guild.guildId}/members/${guild.targetId}`, 2);
    // The renewal's PATCH is in flight at Discord.
    const during = await unmute();
    await renewing;

    expect(during.body.data?.content).toBe(
      `I am renewing or ending a mute of <@${guild.targetId}> right now. Try again in a few seconds.`,
    );
    const patches = (await discordRequests(`/guilds/${guild.guildId}/members/${guild.targetId}`)).filter(
      (r) => r.method === 'PATCH',
    );
    expect(patches).toHaveLength(2); // the seed's and the renewal's; the refused /unmute sent nothing
    expect(await intentsOf(guild.guildId)).toEqual([]);
    const [renewed] = await casesOf(guild.guildId);
    expect(renewed).toMatchObject({ state: 'active' });
    expect(renewed!.timeoutUntil!.getTime()).toBeGreaterThan(now + 27 * DAY);

    // Once the renewal is done the /unmute goes through, and no later tick sets the timeout again.
    const after = await unmute();
    expect(after.body.data?.content).toMatch(/^\*\*Unmuted\*\* .* — case #2\./);
    await tick(now + 60 * MINUTE, guild.guildId);
    const member = (await discordGuildState(guild.guildId)).members.find((m) => m.user.id === guild.targetId);
    expect(member!.communication_disabled_until ?? null).toBeNull();
    expect((await casesOf(guild.guildId)).map((c) => [c.action, c.state])).toEqual([
      ['mute', 'lifted'],
      ['unmute', 'active'],
    ]);
  });
});

describe('a renewal claim left behind by a tick that died mid-renewal', () => {
  it('is released by the reconciler, with no case and no event', async () => {
    const guild = await seedGuild();
    const db = testDatabase();
    await db.insert(pendingActions).values({
      id: crypto.randomUUID(),
      guildId: guild.guildId,
      action: 'mute',
      userId: guild.targetId,
      moderatorId: appId(),
      reason: null,
      expiresAt: new Date(Date.now() + 30 * DAY),
      createdAt: new Date(Date.now() - 3 * MINUTE),
      purpose: 'renewal',
    });
    await tick(Date.now(), guild.guildId);
    expect(await intentsOf(guild.guildId)).toEqual([]);
    expect(await casesOf(guild.guildId)).toEqual([]);
    expect(await outboxOf(guild.guildId)).toEqual([]);
  });
});
