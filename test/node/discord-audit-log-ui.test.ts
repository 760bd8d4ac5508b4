// The Discord stand-in's control route for actions taken in Discord's own UI (POST /__sandbox/guilds/
// {id}/audit-log): a moderator's ban, unban, kick, timeout and its removal, and AutoMod's block, flag
// and timeout. Each changes the guild as the REST route does and writes the entry Discord writes;
// what Discord's UI would refuse is refused with nothing changed; `count` makes many at once.
import { AuditLogEvent as A, type APIAuditLogEntry } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { GuildSnapshot } from '../../dev/discord/server.ts';
import { readLog, seedWorld, type World } from './discord-audit-log-world.ts';
import { snowflake, standInClient } from './discord-client.ts';

const client = standInClient();
const { control, controlRaw } = client;

const act = (w: World, body: Record<string, unknown>) =>
  control<APIAuditLogEntry>(`/guilds/${w.guildId}/audit-log`, 'POST', body);
const snapshot = (w: World) => control<GuildSnapshot>(`/guilds/${w.guildId}`);

describe("a moderator in Discord's UI", () => {
  it('bans: the ban list has the user, the member is gone, the entry names the moderator and reason', async () => {
    const w = await seedWorld(client);
    const target = w.targets[0]!;
    const entry = await act(w, { action: 'ban', actorId: w.modId, targetId: target, reason: 'spam' });
    expect(entry).toMatchObject({
      action_type: A.MemberBanAdd,
      user_id: w.modId,
      target_id: target,
      reason: 'spam',
    });
    const after = await snapshot(w);
    expect(after.bans.map((b) => [b.user.id, b.reason])).toEqual([[target, 'spam']]);
    expect(after.members.some((m) => m.user.id === target)).toBe(false);
    const log = await readLog(client, w);
    expect(log.audit_log_entries).toEqual([entry]);
    expect(log.users.map((u) => u.id).sort()).toEqual([w.modId, target].sort());

    const lifted = await act(w, { action: 'unban', actorId: w.modId, targetId: target });
    expect(lifted).toMatchObject({ action_type: A.MemberBanRemove, user_id: w.modId, target_id: target });
    expect(lifted.reason).toBeUndefined();
    expect((await snapshot(w)).bans).toEqual([]);
  });

  it('kicks, and the owner (not a member here) may act too', async () => {
    const w = await seedWorld(client);
    const entry = await act(w, { action: 'kick', actorId: w.ownerId, targetId: w.targets[1] });
    expect(entry).toMatchObject({ action_type: A.MemberKick, user_id: w.ownerId, target_id: w.targets[1] });
    expect((await snapshot(w)).members.some((m) => m.user.id === w.targets[1])).toBe(false);
  });

  it('times out and removes the timeout: the member and the log agree', async () => {
    const w = await seedWorld(client);
    const target = w.targets[0]!;
    const member = async () => (await snapshot(w)).members.find((m) => m.user.id === target)!;
    const set = await act(w, { action: 'timeout', actorId: w.modId, targetId: target, durationMs: 600_000 });
    const until = (await member()).communication_disabled_until!;
    expect(Date.parse(until) - Date.now()).toBeGreaterThan(590_000);
    expect(set).toMatchObject({
      action_type: A.MemberUpdate,
      user_id: w.modId,
      changes: [{ key: 'communication_disabled_until', new_value: until }],
    });
    const removed = await act(w, { action: 'untimeout', actorId: w.modId, targetId: target });
    expect(removed.changes).toEqual([{ key: 'communication_disabled_until', old_value: until }]);
    expect((await member()).communication_disabled_until ?? null).toBeNull();
  });

  it("refuses what Discord's UI would, changing nothing", async () => {
    const w = await seedWorld(client);
    const target = w.targets[0]!;
    const refused = async (body: Record<string, unknown>, status: number) => {
      const response = await controlRaw(`/guilds/${w.guildId}/audit-log`, 'POST', body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(((await response.json()) as { message: string }).message).toBeTruthy();
    };
    await refused({ action: 'ban', actorId: w.plainId, targetId: target }, 403); // no Ban Members
    await refused({ action: 'ban', actorId: w.modId, targetId: w.ownerId }, 403);
    await refused({ action: 'kick', actorId: w.modId, targetId: w.outsiderId }, 404);
    await refused({ action: 'ban', actorId: w.modId, targetId: snowflake() }, 404);
    await refused({ action: 'unban', actorId: w.modId, targetId: target }, 404);
    await refused({ action: 'untimeout', actorId: w.modId, targetId: target }, 409);
    await refused({ action: 'ban', actorId: snowflake(), targetId: target }, 404);
    await refused({ action: 'timeout', actorId: w.modId, targetId: target }, 400); // no durationMs
    await refused(
      { action: 'timeout', actorId: w.modId, targetId: target, durationMs: 29 * 86_400_000 },
      400,
    );
    await refused({ action: 'mute', actorId: w.modId, targetId: target }, 400);
    await refused({ action: 'ban', targetId: target }, 400);
    await refused({ action: 'automod_block', targetId: target, reason: 'x' }, 400);
    await refused(
      { action: 'ban', actorId: w.modId, targetId: target, at: new Date(Date.now() + 60_000).toISOString() },
      400,
    );
    expect((await controlRaw(`/guilds/${snowflake()}/audit-log`, 'POST', { action: 'kick' })).status).toBe(
      404,
    );
    const after = await snapshot(w);
    expect(after.bans).toEqual([]);
    expect(after.auditLogEntries).toBe(0);
  });
});

describe('AutoMod', () => {
  it('blocks and flags messages: entries on the member, with the rule and channel, and no member action', async () => {
    const w = await seedWorld(client);
    const target = w.targets[2]!;
    const blocked = await act(w, {
      action: 'automod_block',
      targetId: target,
      ruleName: 'No invites',
      triggerType: 1,
    });
    expect(blocked).toEqual({
      id: blocked.id,
      action_type: A.AutoModerationBlockMessage,
      user_id: target,
      target_id: target,
      options: {
        auto_moderation_rule_name: 'No invites',
        auto_moderation_rule_trigger_type: '1',
        channel_id: w.channelId,
      },
    });
    const flagged = await act(w, {
      action: 'automod_flag',
      targetId: target,
      channelId: w.channelId,
      triggerType: 3,
    });
    expect(flagged).toMatchObject({
      action_type: A.AutoModerationFlagToChannel,
      options: { auto_moderation_rule_trigger_type: '3' },
    });
    expect(
      (await snapshot(w)).members.find((m) => m.user.id === target)!.communication_disabled_until ?? null,
    ).toBeNull();
  });

  it('times a member out (145), 60 s unless told', async () => {
    const w = await seedWorld(client);
    const target = w.targets[3]!;
    const entry = await act(w, { action: 'automod_timeout', targetId: target, ruleName: 'Spam' });
    expect(entry).toMatchObject({
      action_type: A.AutoModerationUserCommunicationDisabled,
      user_id: target,
      target_id: target,
    });
    expect(entry.options).toMatchObject({ auto_moderation_rule_name: 'Spam' });
    const until = (await snapshot(w)).members.find((m) => m.user.id === target)!
      .communication_disabled_until!;
    expect(Date.parse(until) - Date.now()).toBeGreaterThan(50_000);
    expect(Date.parse(until) - Date.now()).toBeLessThanOrEqual(60_000);
  });
});

describe('many at once', () => {
  it('count bans fresh members, one entry each, in order', async () => {
    const w = await seedWorld(client);
    const { entries } = await control<{ entries: APIAuditLogEntry[] }>(
      `/guilds/${w.guildId}/audit-log`,
      'POST',
      {
        action: 'ban',
        actorId: w.modId,
        count: 300,
        reason: 'raid',
      },
    );
    expect(entries).toHaveLength(300);
    expect(new Set(entries.map((e) => e.target_id)).size).toBe(300);
    const after = await snapshot(w);
    expect(after.bans).toHaveLength(300);
    expect(after.auditLogEntries).toBe(300);
    expect((await readLog(client, w, 'limit=1')).audit_log_entries[0]!.id).toBe(entries.at(-1)!.id);
  });
});
