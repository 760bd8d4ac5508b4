// An accepted action whose case and "accepted" mark both failed to save, and whose Discord state has
// changed since (the ban lifted by hand): the reconciler cannot confirm it, and says so in the
// mod-log once instead of dropping it silently.
import { describe, expect, it } from 'vitest';
import type { AuditEventData } from '../../shared/events.ts';
import {
  banOutsider,
  casesOf,
  injectDatabaseFault,
  intentsOf,
  outboxOf,
  runCommand,
  runTick,
  seedGuild,
  testConfig,
} from '../support/edge.ts';

const MINUTE = 60_000;

describe('an action the reconciler cannot confirm', () => {
  it('is reported once in the mod-log as not confirmed, with no case', async () => {
    const guild = await seedGuild();
    await injectDatabaseFault(`insert into "cases".*${guild.guildId}`, 1);
    await injectDatabaseFault(`update "pending_actions".*discord_accepted_at`, 1);
    const result = await runCommand(banOutsider(guild, 'spam'));
    expect(result.body.data?.content).toContain('could not be saved yet');
    const [intent] = await intentsOf(guild.guildId);
    expect(intent).toMatchObject({ action: 'ban', discordAcceptedAt: null });
    // Lifted by hand in Discord before the reconciler looks.
    const { DISCORD_API_BASE, DISCORD_BOT_TOKEN } = testConfig().bindings;
    const lifted = await fetch(`${DISCORD_API_BASE}/guilds/${guild.guildId}/bans/${guild.outsiderId}`, {
      method: 'DELETE',
      headers: { authorization: `Bot ${DISCORD_BOT_TOKEN}` },
    });
    expect(lifted.status).toBe(204);

    const scope = { SCHEDULER_GUILD_IDS: guild.guildId };
    await runTick(new Date(intent!.createdAt.getTime() + 3 * MINUTE), scope);
    await runTick(new Date(intent!.createdAt.getTime() + 4 * MINUTE), scope);

    expect(await casesOf(guild.guildId)).toEqual([]);
    expect(await intentsOf(guild.guildId)).toEqual([]);
    const reports = (await outboxOf(guild.guildId)).filter((row) => row.eventType === 'audit:logged');
    expect(reports).toHaveLength(1);
    const data = (reports[0]!.payload as { data: AuditEventData }).data;
    expect(data).toMatchObject({ action: 'schedule.failed', userId: guild.outsiderId });
    expect(data.reason).toBe(
      `Could not confirm a ban of <@${guild.outsiderId}> by <@${guild.moderatorId}>: Discord now shows that the member is not banned. No case was recorded; if it did happen, run the command again.`,
    );
  });
});
