// The every-minute scheduled tick, run through the Worker's scheduled handler in workerd. Time is
// driven by the controller's scheduledTime, never by sleeping. Every tick here is limited to the
// test's own guilds (SCHEDULER_GUILD_IDS), so ticks dated days ahead never touch other files' cases.
import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cases, guilds, pendingActions } from '../../db/schema.ts';
import { DEFAULT_SUBREQUEST_BUDGET } from '../../functions/scheduled/budget.ts';
import { LIFT_COST } from '../../functions/scheduled/expire-temp-bans.ts';
import { PIPELINE_RESERVE, type TickReport } from '../../functions/scheduled/run.ts';
import type { AuditEventData } from '../../shared/events.ts';
import {
  ALL_MOD_PERMISSIONS,
  appId,
  asBot,
  banOutsider,
  casesOf,
  discordGuildState,
  discordRequests,
  heardOnPubSub,
  injectDatabaseFault,
  injectDiscordFault,
  intentsOf,
  outboxOf,
  runCommand,
  runTick,
  seedGuild,
  snowflake,
  streamEventsOf,
  stringOption,
  type TestGuild,
  testConfig,
  testDatabase,
  UNREACHABLE,
  userOption,
} from '../support/edge.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const scope = (guildIds: string[]) => ({ SCHEDULER_GUILD_IDS: guildIds.join(',') });
/** One tick at `at`, limited to these guilds. */
const tick = (at: number, ...guildIds: string[]) => runTick(new Date(at), scope(guildIds));

/** /ban with a duration; `member` for a member of the guild, otherwise a user who is not in it. */
function tempBan(guild: TestGuild, userId: string, duration: string | null, member = false) {
  return runCommand({
    guild,
    name: 'ban',
    options: [
      userOption('user', userId),
      stringOption('reason', 'spam'),
      ...(duration ? [stringOption('duration', duration)] : []),
    ],
    resolve: [{ id: userId, ...(member ? {} : { roles: null }) }],
  });
}

const banDeletes = async (guildId: string) =>
  (await discordRequests(`/guilds/${guildId}/bans/`)).filter((r) => r.method === 'DELETE');

/** Captures the tick's log line (its counts) while `run` goes. */
async function tickReports(run: () => Promise<void>): Promise<TickReport[]> {
  const spy = vi.spyOn(console, 'log');
  try {
    await run();
    return spy.mock.calls
      .map((args) => String(args[0]))
      .filter((line) => line.startsWith('scheduled tick '))
      .map((line) => JSON.parse(line.slice(line.indexOf(': {') + 2)) as TickReport);
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('temporary bans', () => {
  it('lifts a due ban once: Discord unban with the reason, an unban case by the bot, the event published', async () => {
    const guild = await seedGuild();
    const banned = await tempBan(guild, guild.targetId, '1h', true);
    expect(banned.body.data?.content).toMatch(/^\*\*Banned\*\* .* — case #1\./);
    const [ban] = await casesOf(guild.guildId);
    const due = (ban!.expiresAt as Date).getTime();

    // Not yet due: nothing happens.
    await tick(due - MINUTE, guild.guildId);
    expect(await banDeletes(guild.guildId)).toEqual([]);

    await tick(due + 30_000, guild.guildId);
    const deletes = await banDeletes(guild.guildId);
    expect(deletes).toHaveLength(1);
    expect(deletes[0]).toMatchObject({
      path: `/guilds/${guild.guildId}/bans/${guild.targetId}`,
      auditLogReason: 'temporary ban expired, case #1',
      status: 204,
    });
    expect((await discordGuildState(guild.guildId)).bans).toEqual([]);

    const [banCase, unbanCase] = await casesOf(guild.guildId);
    expect(unbanCase).toMatchObject({
      caseNumber: 2,
      action: 'unban',
      userId: guild.targetId,
      moderatorId: appId(),
      reason: 'Temporary ban expired (case #1)',
      state: 'active',
    });
    expect(banCase).toMatchObject({ state: 'expired', endedByCaseId: unbanCase!.id });

    const events = await streamEventsOf(guild.guildId);
    expect(events.map((e) => e.eventType)).toEqual(['ban:created', 'ban:removed']);
    expect(events[1]!.data).toMatchObject({
      id: unbanCase!.id,
      caseNumber: 2,
      userId: guild.targetId,
      moderatorId: appId(),
      reason: 'Temporary ban expired (case #1)',
    });
    const heard = await heardOnPubSub(guild.guildId);
    expect(heard.filter((m) => m.channel === 'ban:removed')).toHaveLength(1);
    expect((await outboxOf(guild.guildId)).every((row) => row.publishedAt !== null)).toBe(true);

    // Later ticks find nothing left to do.
    await tick(due + 2 * MINUTE, guild.guildId);
    await tick(due + 3 * MINUTE, guild.guildId);
    expect(await banDeletes(guild.guildId)).toHaveLength(1);
    expect(await casesOf(guild.guildId)).toHaveLength(2);
    expect(await intentsOf(guild.guildId)).toEqual([]);
  });

  it('two overlapping ticks lift each ban once', async () => {
    const guild = await seedGuild();
    for (const [userId, member] of [
      [guild.targetId, true],
      [guild.outsiderId, false],
      [guild.closedDmsId, true],
    ] as const) {
      await tempBan(guild, userId, '10m', member);
    }
    const at = Date.now() + 11 * MINUTE;
    await Promise.all([tick(at, guild.guildId), tick(at, guild.guildId)]);

    const deletes = await banDeletes(guild.guildId);
    expect(deletes).toHaveLength(3);
    expect(new Set(deletes.map((r) => r.path)).size).toBe(3);
    const all = await casesOf(guild.guildId);
    expect(all.filter((c) => c.action === 'unban')).toHaveLength(3);
    expect(all.filter((c) => c.action === 'ban').map((c) => c.state)).toEqual([
      'expired',
      'expired',
      'expired',
    ]);
    expect((await streamEventsOf(guild.guildId)).filter((e) => e.eventType === 'ban:removed')).toHaveLength(
      3,
    );
  });

  it('never unbans a member banned again after the temporary ban, or unbanned by hand with /unban', async () => {
    const guild = await seedGuild();
    await tempBan(guild, guild.targetId, '1h', true);
    await tempBan(guild, guild.targetId, null, false); // banned again, for good
    await tempBan(guild, guild.outsiderId, '1h');
    const unbanned = await runCommand({
      guild,
      name: 'unban',
      options: [userOption('user', guild.outsiderId)],
      resolve: [{ id: guild.outsiderId, roles: null }],
    });
    expect(unbanned.body.data?.content).toMatch(/^\*\*Unbanned\*\*/);
    const deletesBefore = (await banDeletes(guild.guildId)).length;

    await tick(Date.now() + 2 * HOUR, guild.guildId);
    expect(await banDeletes(guild.guildId)).toHaveLength(deletesBefore);
    expect((await discordGuildState(guild.guildId)).bans.map((b) => b.user.id)).toEqual([guild.targetId]);
    expect((await casesOf(guild.guildId)).map((c) => [c.action, c.state])).toEqual([
      ['ban', 'superseded'],
      ['ban', 'active'],
      ['ban', 'lifted'],
      ['unban', 'active'],
    ]);
  });

  it('waits while an action on the member is in flight, then lifts the ban', async () => {
    const guild = await seedGuild();
    await tempBan(guild, guild.outsiderId, '1m');
    const [ban] = await casesOf(guild.guildId);
    const due = (ban!.expiresAt as Date).getTime();
    // A moderator's /unban (or the scheduler's own earlier try) that is not settled yet, too young
    // for the reconciler.
    const intentId = crypto.randomUUID();
    await testDatabase().insert(pendingActions).values({
      id: intentId,
      guildId: guild.guildId,
      action: 'unban',
      userId: guild.outsiderId,
      moderatorId: guild.moderatorId,
    });
    await tick(due + 1_000, guild.guildId);
    expect(await banDeletes(guild.guildId)).toEqual([]);
    expect((await casesOf(guild.guildId))[0]).toMatchObject({ state: 'active', scheduleAttempts: 0 });

    // Settled (here: the command gave up and removed its intent): the next tick lifts the ban.
    await testDatabase().delete(pendingActions).where(eq(pendingActions.id, intentId));
    await tick(due + MINUTE, guild.guildId);
    expect(await banDeletes(guild.guildId)).toHaveLength(1);
    expect((await casesOf(guild.guildId)).map((c) => [c.action, c.state])).toEqual([
      ['ban', 'expired'],
      ['unban', 'active'],
    ]);
  });

  it('closes quietly a ban already lifted in Discord (10026): no unban case, no report', async () => {
    const guild = await seedGuild();
    await tempBan(guild, guild.outsiderId, '1h');
    // A moderator lifts it in Discord's own UI.
    expect((await asBot('DELETE', `/guilds/${guild.guildId}/bans/${guild.outsiderId}`)).status).toBe(204);

    await tick(Date.now() + 2 * HOUR, guild.guildId);
    const deletes = await banDeletes(guild.guildId);
    expect(deletes.map((r) => r.status)).toEqual([204, 404]);
    const [banCase, ...others] = await casesOf(guild.guildId);
    expect(others).toEqual([]);
    expect(banCase).toMatchObject({ state: 'lifted', endedByCaseId: null, scheduleAttempts: 0 });
    expect((await outboxOf(guild.guildId)).map((row) => row.eventType)).toEqual(['ban:created']);
    expect(await intentsOf(guild.guildId)).toEqual([]);
  });

  it('retries when Discord is down, waiting out the backoff, and lifts once when it is back', async () => {
    const guild = await seedGuild();
    await tempBan(guild, guild.outsiderId, '1h');
    const [ban] = await casesOf(guild.guildId);
    const due = (ban!.expiresAt as Date).getTime();
    await injectDiscordFault({
      method: 'DELETE',
      path: `/guilds/${guild.guildId}/bans/`,
      count: 2,
      status: 503,
    });
    const deletes = async () => (await banDeletes(guild.guildId)).length;

    const t1 = due + MINUTE;
    await tick(t1, guild.guildId); // 503: first attempt, next in 1 minute
    expect(await deletes()).toBe(1);
    const [afterFirst] = await casesOf(guild.guildId);
    expect(afterFirst).toMatchObject({ state: 'active', scheduleAttempts: 1 });
    expect(afterFirst!.scheduleNextAttemptAt).toEqual(new Date(t1 + MINUTE));
    expect(afterFirst!.scheduleLastError).toContain('HTTP 503');

    await tick(t1 + 30_000, guild.guildId); // before the backoff is over: nothing
    expect(await deletes()).toBe(1);
    await tick(t1 + MINUTE, guild.guildId); // 503 again: next in 2 minutes
    expect(await deletes()).toBe(2);
    const [afterSecond] = await casesOf(guild.guildId);
    expect(afterSecond!.scheduleNextAttemptAt).toEqual(new Date(t1 + 3 * MINUTE));
    await tick(t1 + 2 * MINUTE, guild.guildId);
    expect(await deletes()).toBe(2);
    await tick(t1 + 3 * MINUTE, guild.guildId); // Discord is back
    expect(await deletes()).toBe(3);
    await tick(t1 + 4 * MINUTE, guild.guildId);
    expect(await deletes()).toBe(3);

    const all = await casesOf(guild.guildId);
    expect(all.map((c) => [c.action, c.state])).toEqual([
      ['ban', 'expired'],
      ['unban', 'active'],
    ]);
    expect((await discordGuildState(guild.guildId)).bans).toEqual([]);
    // The 5xx attempts left intents behind (the unban might have happened); the reconciler settled them.
    expect(await intentsOf(guild.guildId)).toEqual([]);
    expect((await streamEventsOf(guild.guildId)).map((e) => e.eventType)).toEqual([
      'ban:created',
      'ban:removed',
    ]);
  });

  it('reports a missing permission once, not every minute, and keeps retrying at the longest delay', async () => {
    const guild = await seedGuild();
    await tempBan(guild, guild.outsiderId, '1h');
    const [ban] = await casesOf(guild.guildId);
    const due = (ban!.expiresAt as Date).getTime();
    await injectDiscordFault({
      method: 'DELETE',
      path: `/guilds/${guild.guildId}/bans/`,
      count: 10,
      status: 403,
      code: 50013,
      message: 'Missing Permissions',
    });
    for (let minute = 1; minute <= 20; minute += 1) await tick(due + minute * MINUTE, guild.guildId);
    expect(await banDeletes(guild.guildId)).toHaveLength(1);
    // About an hour later it tries again, and still does not report again.
    await tick(due + MINUTE + 64 * MINUTE, guild.guildId);
    await tick(due + MINUTE + 65 * MINUTE, guild.guildId);
    expect(await banDeletes(guild.guildId)).toHaveLength(2);

    const reports = (await outboxOf(guild.guildId)).filter((row) => row.eventType === 'audit:logged');
    expect(reports).toHaveLength(1);
    const data = (reports[0]!.payload as { data: AuditEventData }).data;
    expect(data).toMatchObject({
      action: 'schedule.failed',
      id: ban!.id,
      caseNumber: 1,
      moderatorId: appId(),
    });
    expect(data.details).toMatchObject({ Case: '#1', Job: 'lift the temporary ban' });
    expect(String(data.details?.Missing)).toContain('Ban Members permission');
    const [after] = await casesOf(guild.guildId);
    expect(after).toMatchObject({ state: 'active', scheduleAttempts: 2 });
    expect(after!.scheduleFailureReportedAt).toEqual(new Date(due + MINUTE));
    expect((await streamEventsOf(guild.guildId)).filter((e) => e.eventType === 'audit:logged')).toHaveLength(
      1,
    );
  });
});

describe('a backlog', () => {
  const GUILDS = 10;
  const PER_GUILD = 100;

  /** A guild of PER_GUILD banned users, seeded directly: rows in Postgres, bans at the stand-in. */
  async function seedBacklogGuild(firstExpiry: number, index: number) {
    const guildId = snowflake();
    const botRole = snowflake();
    const users = Array.from({ length: PER_GUILD }, () => snowflake());
    const seeded = await fetch(`${testConfig().discordControlUrl}/guilds/${guildId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Backlog',
        ownerId: snowflake(),
        roles: [{ id: botRole, position: 9, permissions: String(ALL_MOD_PERMISSIONS) }],
        members: [],
        users: users.map((id, i) => ({ id, username: `raider${i}` })),
        botRoleIds: [botRole],
      }),
    });
    expect(seeded.ok).toBe(true);
    for (let i = 0; i < users.length; i += 20) {
      const statuses = await Promise.all(
        users
          .slice(i, i + 20)
          .map(async (id) => (await asBot('PUT', `/guilds/${guildId}/bans/${id}`, {})).status),
      );
      expect(statuses.every((s) => s === 204)).toBe(true);
    }
    const db = testDatabase();
    await db.insert(guilds).values({ guildId, caseCounter: PER_GUILD });
    const rows = users.map((userId, i) => ({
      id: crypto.randomUUID(),
      guildId,
      caseNumber: i + 1,
      action: 'ban' as const,
      userId,
      moderatorId: snowflake(),
      reason: 'raid',
      createdAt: new Date(firstExpiry - DAY),
      // Interleaved across the guilds, one second apart: the due order is global, oldest first.
      expiresAt: new Date(firstExpiry + (i * GUILDS + index) * 1000),
    }));
    await db.insert(cases).values(rows);
    return { guildId, users };
  }

  it('drains 1,000 due bans over several ticks, each within the per-tick bound, oldest first', async () => {
    const firstExpiry = Date.now() - 2 * HOUR;
    const seeded = await Promise.all(
      Array.from({ length: GUILDS }, (_, index) => seedBacklogGuild(firstExpiry, index)),
    );
    const guildIds = seeded.map((g) => g.guildId);
    const total = GUILDS * PER_GUILD;
    const db = testDatabase();
    const banCases = async () =>
      (await Promise.all(guildIds.map((id) => casesOf(id)))).flat().filter((c) => c.action === 'ban');
    const maxPerTick = Math.floor((DEFAULT_SUBREQUEST_BUDGET - PIPELINE_RESERVE) / LIFT_COST);

    const perTick: number[] = [];
    const reports: TickReport[] = [];
    let at = Date.now();
    for (let n = 0; n < 15; n += 1) {
      const before = (await banCases()).filter((c) => c.state === 'active');
      if (before.length === 0) break;
      reports.push(...(await tickReports(() => runTick(new Date(at), scope(guildIds)))));
      const after = await banCases();
      const liftedNow = before.filter((c) => after.find((a) => a.id === c.id)?.state === 'expired');
      perTick.push(liftedNow.length);
      // Oldest first: what this tick lifted is the oldest of what was due.
      const oldest = [...before]
        .sort((a, b) => (a.expiresAt as Date).getTime() - (b.expiresAt as Date).getTime())
        .slice(0, liftedNow.length)
        .map((c) => c.id)
        .sort();
      expect(liftedNow.map((c) => c.id).sort()).toEqual(oldest);
      at += MINUTE;
    }

    expect(perTick.reduce((a, b) => a + b, 0)).toBe(total);
    expect(perTick.length).toBeGreaterThanOrEqual(Math.ceil(total / maxPerTick));
    for (const count of perTick) expect(count).toBeLessThanOrEqual(maxPerTick);
    expect(reports).toHaveLength(perTick.length);
    for (const report of reports) expect(report.subrequests).toBeLessThanOrEqual(DEFAULT_SUBREQUEST_BUDGET);

    // Each ban lifted exactly once, recorded once, published once.
    const deletes = (await Promise.all(guildIds.map((id) => discordRequests(`/guilds/${id}/bans/`))))
      .flat()
      .filter((r) => r.method === 'DELETE');
    expect(deletes).toHaveLength(total);
    expect(new Set(deletes.map((r) => r.path)).size).toBe(total);
    for (const guildId of guildIds) {
      expect((await discordGuildState(guildId)).bans).toEqual([]);
      const unbans = await db
        .select({ id: cases.id })
        .from(cases)
        .where(and(eq(cases.guildId, guildId), eq(cases.action, 'unban')));
      expect(unbans).toHaveLength(PER_GUILD);
      expect((await outboxOf(guildId)).filter((row) => row.publishedAt === null)).toEqual([]);
    }
  }, 240_000);
});

describe('mutes', () => {
  /** A mute seeded as if /mute 60d had been run `ago` ms before now (rows in Postgres, timeout at the stand-in). */
  async function seedLongMute(guild: TestGuild, options: { ago: number; timeoutLeft: number | null }) {
    const now = Date.now();
    const timeoutUntil = new Date(now + (options.timeoutLeft ?? 12 * HOUR));
    if (options.timeoutLeft !== null) {
      const set = await asBot('PATCH', `/guilds/${guild.guildId}/members/${guild.targetId}`, {
        communication_disabled_until: timeoutUntil.toISOString(),
      });
      expect(set.status).toBe(200);
    }
    const db = testDatabase();
    await db.insert(guilds).values({ guildId: guild.guildId, caseCounter: 1 });
    const [row] = await db
      .insert(cases)
      .values({
        id: crypto.randomUUID(),
        guildId: guild.guildId,
        caseNumber: 1,
        action: 'mute',
        userId: guild.targetId,
        moderatorId: guild.moderatorId,
        reason: 'flooding',
        createdAt: new Date(now - options.ago),
        expiresAt: new Date(now - options.ago + 60 * DAY),
        timeoutUntil,
      })
      .returning();
    return row!;
  }

  const memberPatches = async (guild: TestGuild) =>
    (await discordRequests(`/guilds/${guild.guildId}/members/${guild.targetId}`)).filter(
      (r) => r.method === 'PATCH',
    );

  it('renews a 60-day mute before Discord lifts the timeout, then records its end', async () => {
    const guild = await seedGuild();
    // 27.5 days in: the 28-day timeout /mute set runs out in 12 hours.
    const mute = await seedLongMute(guild, { ago: 27.5 * DAY, timeoutLeft: 12 * HOUR });
    const now = Date.now();

    await tick(now, guild.guildId);
    const patches = await memberPatches(guild);
    expect(patches).toHaveLength(2); // the seed's, then the renewal
    const renewal = patches[1]!;
    const until = (renewal.body as { communication_disabled_until: string }).communication_disabled_until;
    // As long as Discord allows (28 days less a minute), the mute's end being later still.
    expect(Date.parse(until)).toBeGreaterThan(now + 27 * DAY);
    expect(Date.parse(until)).toBeLessThan(now + 28 * DAY);
    expect(renewal.auditLogReason).toContain('mute renewed');
    expect(renewal.auditLogReason).toContain('case #1');
    const member = (await discordGuildState(guild.guildId)).members.find((m) => m.user.id === guild.targetId);
    expect(Date.parse(member!.communication_disabled_until!)).toBe(Date.parse(until));
    const [renewed] = await casesOf(guild.guildId);
    expect(renewed).toMatchObject({ state: 'active', scheduleAttempts: 0 });
    expect(renewed!.timeoutUntil).toEqual(new Date(until));

    // Nothing to do for a while now.
    await tick(now + HOUR, guild.guildId);
    expect(await memberPatches(guild)).toHaveLength(2);

    // The mute's real end: recorded by the bot, with no Discord call (the timeout ends by itself).
    const end = (mute.expiresAt as Date).getTime();
    await tick(end + 30_000, guild.guildId);
    expect(await memberPatches(guild)).toHaveLength(2);
    const [muteCase, unmuteCase] = await casesOf(guild.guildId);
    expect(unmuteCase).toMatchObject({
      caseNumber: 2,
      action: 'unmute',
      userId: guild.targetId,
      moderatorId: appId(),
      reason: 'Mute expired (case #1)',
    });
    expect(muteCase).toMatchObject({ state: 'expired', endedByCaseId: unmuteCase!.id });
    const events = await streamEventsOf(guild.guildId);
    expect(events.map((e) => e.eventType)).toEqual(['mute:removed']);
    expect(events[0]!.data).toMatchObject({ caseNumber: 2, reason: 'Mute expired (case #1)' });

    await tick(end + 2 * MINUTE, guild.guildId);
    expect(await casesOf(guild.guildId)).toHaveLength(2);
  });

  it('closes quietly a mute whose timeout was removed by hand in Discord, without setting it again', async () => {
    const guild = await seedGuild();
    await seedLongMute(guild, { ago: 27.5 * DAY, timeoutLeft: null });
    await tick(Date.now(), guild.guildId);
    expect(await memberPatches(guild)).toEqual([]);
    const [muteCase, ...others] = await casesOf(guild.guildId);
    expect(others).toEqual([]);
    expect(muteCase).toMatchObject({ state: 'lifted' });
    expect(await outboxOf(guild.guildId)).toEqual([]);
  });

  it('skips a mute ended early with /unmute', async () => {
    const guild = await seedGuild();
    const muted = await runCommand({
      guild,
      name: 'mute',
      options: [userOption('user', guild.targetId), stringOption('duration', '60d')],
      resolve: [{ id: guild.targetId }],
    });
    expect(muted.body.data?.content).toMatch(/^\*\*Muted\*\*/);
    await runCommand({
      guild,
      name: 'unmute',
      options: [userOption('user', guild.targetId)],
      resolve: [{ id: guild.targetId }],
    });
    const patchesBefore = (await memberPatches(guild)).length;
    await tick(Date.now() + 28 * DAY, guild.guildId);
    await tick(Date.now() + 61 * DAY, guild.guildId);
    expect(await memberPatches(guild)).toHaveLength(patchesBefore);
    expect((await casesOf(guild.guildId)).map((c) => [c.action, c.state, c.moderatorId])).toEqual([
      ['mute', 'lifted', guild.moderatorId],
      ['unmute', 'active', guild.moderatorId],
    ]);
  });
});

describe('the outbox', () => {
  it('publishes an event the command could not (Redis down) on the next tick once Redis is back', async () => {
    const guild = await seedGuild();
    const warned = await runCommand(
      {
        guild,
        name: 'warn',
        options: [userOption('user', guild.targetId), stringOption('reason', 'be nice')],
        resolve: [{ id: guild.targetId }],
      },
      { UPSTASH_REDIS_REST_URL: UNREACHABLE },
    );
    expect(warned.body.data?.content).toMatch(/case #1/);
    const [row] = await outboxOf(guild.guildId);
    expect(row).toMatchObject({ eventType: 'warning:added', publishedAt: null });
    const written = row!.createdAt.getTime();

    // Still down at the next tick: the row waits.
    await runTick(new Date(written + MINUTE), {
      ...scope([guild.guildId]),
      UPSTASH_REDIS_REST_URL: UNREACHABLE,
    });
    const [stillWaiting] = await outboxOf(guild.guildId);
    expect(stillWaiting!.publishedAt).toBeNull();
    expect(stillWaiting!.publishAttempts).toBeGreaterThan(row!.publishAttempts);
    expect(await streamEventsOf(guild.guildId)).toEqual([]);

    await tick(written + 2 * MINUTE, guild.guildId);
    const [published] = await outboxOf(guild.guildId);
    expect(published!.publishedAt).not.toBeNull();
    const events = await streamEventsOf(guild.guildId);
    expect(events.map((e) => [e.eventType, e.eventId])).toEqual([['warning:added', row!.eventId]]);
    expect((await heardOnPubSub(guild.guildId)).filter((m) => m.channel === 'warning:added')).toHaveLength(1);

    // Published rows are not sent again.
    await tick(written + 3 * MINUTE, guild.guildId);
    expect(await streamEventsOf(guild.guildId)).toHaveLength(1);
  });

  it('leaves rows younger than the grace period to the request that wrote them', async () => {
    const guild = await seedGuild();
    await runCommand(
      {
        guild,
        name: 'warn',
        options: [userOption('user', guild.targetId), stringOption('reason', 'be nice')],
        resolve: [{ id: guild.targetId }],
      },
      { UPSTASH_REDIS_REST_URL: UNREACHABLE },
    );
    const [row] = await outboxOf(guild.guildId);
    await tick(row!.createdAt.getTime() + 10_000, guild.guildId);
    expect((await outboxOf(guild.guildId))[0]!.publishedAt).toBeNull();
  });
});

describe('reconciling unconfirmed actions', () => {
  it('records, once, a ban Discord accepted whose case insert failed', async () => {
    const guild = await seedGuild();
    await injectDatabaseFault(`insert into "cases".*${guild.guildId}`, 1);
    const result = await runCommand(banOutsider(guild, 'spam'));
    expect(result.body.data?.content).toContain('could not be saved yet');
    expect(await casesOf(guild.guildId)).toEqual([]);
    const [intent] = await intentsOf(guild.guildId);
    expect(intent!.discordAcceptedAt).toBeInstanceOf(Date);

    // Not yet: the command might still be finishing it.
    await tick(intent!.createdAt.getTime() + MINUTE, guild.guildId);
    expect(await casesOf(guild.guildId)).toEqual([]);

    await tick(intent!.createdAt.getTime() + 3 * MINUTE, guild.guildId);
    await tick(intent!.createdAt.getTime() + 4 * MINUTE, guild.guildId);
    const recorded = await casesOf(guild.guildId);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      id: intent!.id,
      caseNumber: 1,
      action: 'ban',
      userId: guild.outsiderId,
      moderatorId: guild.moderatorId,
      reason: 'spam',
    });
    expect(await intentsOf(guild.guildId)).toEqual([]);
    const events = await streamEventsOf(guild.guildId);
    expect(events.map((e) => [e.eventType, e.data.id])).toEqual([['ban:created', intent!.id]]);
    // The ban itself happened once.
    expect(
      (await discordRequests(`/guilds/${guild.guildId}/bans/`)).filter((r) => r.method === 'PUT'),
    ).toHaveLength(1);
  });

  it('asks Discord when the ban call timed out: the ban happened, so the case is recorded', async () => {
    const guild = await seedGuild();
    // Discord carries the ban out but answers after the client's 4-second timeout.
    await injectDiscordFault({
      method: 'PUT',
      path: `/guilds/${guild.guildId}/bans/`,
      count: 1,
      status: 204,
      passThrough: true,
      delayMs: 4_500,
    });
    await runCommand(banOutsider(guild, 'spam'));
    const [intent] = await intentsOf(guild.guildId);
    expect(intent).toMatchObject({ action: 'ban', discordAcceptedAt: null });

    await tick(intent!.createdAt.getTime() + 3 * MINUTE, guild.guildId);
    expect(await casesOf(guild.guildId)).toMatchObject([{ id: intent!.id, action: 'ban', state: 'active' }]);
    expect(await intentsOf(guild.guildId)).toEqual([]);
    const probes = (await discordRequests(`/guilds/${guild.guildId}/bans/${guild.outsiderId}`)).filter(
      (r) => r.method === 'GET',
    );
    expect(probes).toHaveLength(1);
  }, 30_000);

  it('drops the intent when Discord shows the action did not happen', async () => {
    const guild = await seedGuild();
    await injectDiscordFault({
      method: 'PUT',
      path: `/guilds/${guild.guildId}/bans/`,
      count: 1,
      status: 502,
    });
    await runCommand(banOutsider(guild, 'spam'));
    const [intent] = await intentsOf(guild.guildId);
    await tick(intent!.createdAt.getTime() + 3 * MINUTE, guild.guildId);
    expect(await intentsOf(guild.guildId)).toEqual([]);
    expect(await casesOf(guild.guildId)).toEqual([]);
  });

  it('drops the intent when the moderator repeated the action and it was recorded', async () => {
    const guild = await seedGuild();
    // The first /ban got a 502 (did it go through? unknown); the moderator tries again and it works.
    await injectDiscordFault({
      method: 'PUT',
      path: `/guilds/${guild.guildId}/bans/`,
      count: 1,
      status: 502,
    });
    await runCommand(banOutsider(guild, 'first'));
    await runCommand(banOutsider(guild, 'second'));
    const [intent] = await intentsOf(guild.guildId);
    expect(intent).toMatchObject({ reason: 'first' });
    await tick(intent!.createdAt.getTime() + 3 * MINUTE, guild.guildId);
    expect(await intentsOf(guild.guildId)).toEqual([]);
    expect((await casesOf(guild.guildId)).map((c) => c.reason)).toEqual(['second']);
  });

  it('keeps the intent and retries later while Discord cannot be asked', async () => {
    const guild = await seedGuild();
    await injectDiscordFault({
      method: 'PUT',
      path: `/guilds/${guild.guildId}/bans/`,
      count: 1,
      status: 502,
    });
    await runCommand(banOutsider(guild, 'spam'));
    const [intent] = await intentsOf(guild.guildId);
    await injectDiscordFault({
      method: 'GET',
      path: `/guilds/${guild.guildId}/bans/`,
      count: 1,
      status: 503,
    });
    // Postgres keeps microseconds; a Date drops them.
    const created = intent!.createdAt.getTime() + 1;
    await tick(created + 2 * MINUTE, guild.guildId); // due after the grace period; Discord fails
    expect(await intentsOf(guild.guildId)).toMatchObject([{ id: intent!.id, reconcileAttempts: 1 }]);
    // The next try waits a minute more.
    await tick(created + 2 * MINUTE + 30_000, guild.guildId);
    expect(await intentsOf(guild.guildId)).toMatchObject([{ id: intent!.id, reconcileAttempts: 1 }]);
    await tick(created + 3 * MINUTE, guild.guildId); // Discord shows no ban: dropped
    expect(await intentsOf(guild.guildId)).toEqual([]);
    expect(await casesOf(guild.guildId)).toEqual([]);
  });
});
