// An accepted action whose case and "accepted" mark both failed to save. Discord's present state
// may no longer show it (the ban lifted by hand since), so the reconciler asks the audit log whether
// Lockdown did it: found, the case is recorded from the entry (as over, so nothing lifts it again);
// not found, or the audit log unreadable, the mod-log is told once that it has no case — never a
// silent drop.
import { AuditLogEvent, PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { AuditEventData } from '../../shared/events.ts';
import {
  ALL_MOD_PERMISSIONS,
  appId,
  asBot,
  banOutsider,
  casesOf,
  inDiscordUi,
  injectDatabaseFault,
  injectDiscordFault,
  intentsOf,
  outboxOf,
  runCommand,
  runTick,
  seedGuild,
  type TestGuild,
} from '../support/edge.ts';

const MINUTE = 60_000;

/** Bans the outsider with both saves failing: Discord banned them, nothing says so but the intent. */
async function banNobodyRecorded(guild: TestGuild) {
  await injectDatabaseFault(`insert into "cases".*${guild.guildId}`, 1);
  await injectDatabaseFault(`update "pending_actions".*discord_accepted_at`, 1);
  const result = await runCommand(banOutsider(guild, 'spam'));
  expect(result.body.data?.content).toContain('could not be saved yet');
  const [intent] = await intentsOf(guild.guildId);
  expect(intent).toMatchObject({ action: 'ban', discordAcceptedAt: null });
  return intent!;
}

async function reconcile(guild: TestGuild, from: Date) {
  const scope = { SCHEDULER_GUILD_IDS: guild.guildId };
  await runTick(new Date(from.getTime() + 3 * MINUTE), scope);
  await runTick(new Date(from.getTime() + 4 * MINUTE), scope);
}

async function unconfirmedReports(guildId: string): Promise<AuditEventData[]> {
  return (await outboxOf(guildId))
    .filter((row) => row.eventType === 'audit:logged')
    .map((row) => (row.payload as { data: AuditEventData }).data)
    .filter((data) => data.action === 'schedule.failed');
}

describe('an unconfirmed action Discord no longer shows', () => {
  it("is recorded from Lockdown's audit-log entry, dated at it and marked over, with no report", async () => {
    const guild = await seedGuild();
    const intent = await banNobodyRecorded(guild);
    await inDiscordUi(guild.guildId, {
      action: 'unban',
      actorId: guild.seniorId,
      targetId: guild.outsiderId,
    });
    const log = await asBot(
      'GET',
      `/guilds/${guild.guildId}/audit-logs?user_id=${appId()}&action_type=${AuditLogEvent.MemberBanAdd}`,
    );
    const [entry] = ((await log.json()) as { audit_log_entries: { id: string }[] }).audit_log_entries;

    await reconcile(guild, intent.createdAt);

    const bans = (await casesOf(guild.guildId)).filter((row) => row.action === 'ban');
    expect(bans).toHaveLength(1);
    expect(bans[0]).toMatchObject({
      id: intent.id,
      userId: guild.outsiderId,
      moderatorId: guild.moderatorId,
      reason: 'spam',
      source: 'command',
      auditEntryId: entry!.id,
      state: 'lifted',
      timeoutUntil: null,
    });
    expect(bans[0]!.endedAt).not.toBeNull();
    expect(await intentsOf(guild.guildId)).toEqual([]);
    expect(await unconfirmedReports(guild.guildId)).toEqual([]);
    expect((await outboxOf(guild.guildId)).filter((row) => row.eventType === 'ban:created')).toHaveLength(1);
  });

  it('is reported once as not confirmed when the audit log shows Lockdown never did it', async () => {
    const guild = await seedGuild();
    // Discord refuses the ban: it never happened, and the command keeps the intent to be checked.
    await injectDiscordFault({
      method: 'PUT',
      path: `/guilds/${guild.guildId}/bans/`,
      count: 1,
      status: 502,
    });
    const result = await runCommand(banOutsider(guild, 'spam'));
    expect(result.body.data?.content).toContain('HTTP 502');
    const [intent] = await intentsOf(guild.guildId);

    await reconcile(guild, intent!.createdAt);

    expect(await casesOf(guild.guildId)).toEqual([]);
    expect(await intentsOf(guild.guildId)).toEqual([]);
    const reports = await unconfirmedReports(guild.guildId);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ userId: guild.outsiderId });
    expect(reports[0]!.reason).toBe(
      `Could not confirm a ban of <@${guild.outsiderId}> by <@${guild.moderatorId}>: Discord now shows that the member is not banned, and the audit log shows no such action by Lockdown. No case was recorded; if it did happen, run the command again.`,
    );
  });

  it('is reported once, saying the audit log could not be read, when the bot lacks View Audit Log', async () => {
    const guild = await seedGuild({
      botPermissions: ALL_MOD_PERMISSIONS & ~PermissionFlagsBits.ViewAuditLog,
    });
    const intent = await banNobodyRecorded(guild);
    await inDiscordUi(guild.guildId, {
      action: 'unban',
      actorId: guild.seniorId,
      targetId: guild.outsiderId,
    });

    await reconcile(guild, intent.createdAt);

    expect((await casesOf(guild.guildId)).filter((row) => row.action === 'ban')).toEqual([]);
    expect(await intentsOf(guild.guildId)).toEqual([]);
    const reports = await unconfirmedReports(guild.guildId);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.reason).toBe(
      `Could not confirm a ban of <@${guild.outsiderId}> by <@${guild.moderatorId}>: Discord now shows that the member is not banned, and Lockdown cannot read the audit log (it needs View Audit Log) to check whether it happened. No case was recorded; if it did happen, run the command again.`,
    );
  });
});
