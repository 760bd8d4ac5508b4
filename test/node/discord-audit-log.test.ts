// The Discord stand-in's audit log over real HTTP: what the bot's REST calls write (bans, bulk bans,
// unbans, kicks, timeouts, slowmode, overwrites, webhooks, message deletes) and Get Guild Audit Log's
// rules: View Audit Log, the query check, filters, newest-first pages, `after` paging oldest first,
// the users it references, 45 days, and its own rate-limit bucket.
import { AuditLogEvent as A, type APIAuditLogEntry, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { GuildSnapshot } from '../../dev/discord/server.ts';
import { readLog, seedWorld } from './discord-audit-log-world.ts';
import { bits, expectError, snowflake, standInClient } from './discord-client.ts';

const client = standInClient();
const { api, control } = client;
const botId = async (guildId: string) =>
  (await control<GuildSnapshot>(`/guilds/${guildId}`)).members.find((m) => m.user.bot)!.user.id;
const reasonHeader = (reason: string) => ({ 'x-audit-log-reason': encodeURIComponent(reason) });

describe("the bot's actions are logged", () => {
  it('ban, unban and kick, with the reason, newest first, ids in time order', async () => {
    const w = await seedWorld(client);
    const [a, b] = w.targets;
    expect(
      (await api(`/guilds/${w.guildId}/bans/${a}`, 'PUT', {}, reasonHeader('raid: spam links'))).status,
    ).toBe(204);
    expect(
      (await api(`/guilds/${w.guildId}/bans/${a}`, 'DELETE', undefined, reasonHeader('appeal'))).status,
    ).toBe(204);
    expect((await api(`/guilds/${w.guildId}/members/${b}`, 'DELETE')).status).toBe(204);
    const bot = await botId(w.guildId);
    const log = await readLog(client, w);
    expect(log.audit_log_entries.map(({ id: _id, ...rest }) => rest)).toEqual([
      { action_type: A.MemberKick, user_id: bot, target_id: b },
      { action_type: A.MemberBanRemove, user_id: bot, target_id: a, reason: 'appeal' },
      { action_type: A.MemberBanAdd, user_id: bot, target_id: a, reason: 'raid: spam links' },
    ]);
    const ids = log.audit_log_entries.map((e) => BigInt(e.id));
    expect(ids[0]! > ids[1]! && ids[1]! > ids[2]!).toBe(true);
    expect(log.users.map((u) => u.id).sort()).toEqual([bot, a, b].sort());
    expect(log).toMatchObject({ integrations: [], webhooks: [], threads: [], auto_moderation_rules: [] });
  });

  it('a refused action writes nothing', async () => {
    const w = await seedWorld(client);
    await expectError(await api(`/guilds/${w.guildId}/bans/${snowflake()}`, 'PUT', {}), 404, 10013);
    await expectError(await api(`/guilds/${w.guildId}/bans/${w.outsiderId}`, 'DELETE'), 404, 10026);
    expect((await readLog(client, w)).audit_log_entries).toEqual([]);
  });

  it('bulk ban: one MEMBER_BAN_ADD per banned user, without user_id, as Discord writes them', async () => {
    const w = await seedWorld(client);
    const [a, b] = w.targets;
    const response = await api(
      `/guilds/${w.guildId}/bulk-ban`,
      'POST',
      { user_ids: [a, b, w.ownerId] },
      reasonHeader('raid'),
    );
    expect(response.status).toBe(200);
    const entries = (await readLog(client, w, `action_type=${A.MemberBanAdd}`)).audit_log_entries;
    expect(entries.map((e) => [e.target_id, e.user_id, e.reason])).toEqual([
      [b, null, 'raid'],
      [a, null, 'raid'],
    ]);
  });

  it('a timeout and its removal: MEMBER_UPDATE with communication_disabled_until', async () => {
    const w = await seedWorld(client);
    const target = w.targets[0]!;
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const path = `/guilds/${w.guildId}/members/${target}`;
    const set = await api(path, 'PATCH', { communication_disabled_until: until }, reasonHeader('calm down'));
    const stored = ((await set.json()) as { communication_disabled_until: string })
      .communication_disabled_until;
    await api(path, 'PATCH', { communication_disabled_until: null });
    await api(path, 'PATCH', { communication_disabled_until: null }); // nothing changes: nothing logged
    const entries = (await readLog(client, w)).audit_log_entries;
    expect(entries.map((e) => [e.action_type, e.target_id, e.changes, e.reason])).toEqual([
      [A.MemberUpdate, target, [{ key: 'communication_disabled_until', old_value: stored }], undefined],
      [A.MemberUpdate, target, [{ key: 'communication_disabled_until', new_value: stored }], 'calm down'],
    ]);
  });

  it('slowmode, overwrites and webhooks', async () => {
    const w = await seedWorld(client);
    const channel = `/channels/${w.channelId}`;
    await api(channel, 'PATCH', { rate_limit_per_user: 30 }, reasonHeader('slow'));
    const everyone = `${channel}/permissions/${w.guildId}`;
    expect((await api(everyone, 'PUT', { type: 0, allow: '0', deny: bits(P.SendMessages) })).status).toBe(
      204,
    );
    expect((await api(everyone, 'PUT', { type: 0, allow: '0', deny: '0' })).status).toBe(204);
    expect((await api(everyone, 'DELETE')).status).toBe(204);
    const hook = (await (await api(`${channel}/webhooks`, 'POST', { name: 'Lockdown' })).json()) as {
      id: string;
    };
    expect((await api(`/webhooks/${hook.id}`, 'DELETE')).status).toBe(204);
    const entries = [...(await readLog(client, w)).audit_log_entries].reverse();
    expect(entries.map((e) => e.action_type)).toEqual([
      A.ChannelUpdate,
      A.ChannelOverwriteCreate,
      A.ChannelOverwriteUpdate,
      A.ChannelOverwriteDelete,
      A.WebhookCreate,
      A.WebhookDelete,
    ]);
    expect(entries[0]).toMatchObject({
      target_id: w.channelId,
      changes: [{ key: 'rate_limit_per_user', old_value: 0, new_value: 30 }],
      reason: 'slow',
    });
    expect(entries[1]!.options).toEqual({ id: w.guildId, type: '0', role_name: '@everyone' });
    expect(entries[2]!.changes).toEqual([{ key: 'deny', old_value: bits(P.SendMessages), new_value: '0' }]);
    expect(entries[4]).toMatchObject({
      target_id: hook.id,
      changes: expect.arrayContaining([{ key: 'name', new_value: 'Lockdown' }]),
    });
  });

  it("deleting another author's message is MESSAGE_DELETE; deleting the bot's own is not logged", async () => {
    const w = await seedWorld(client);
    const channel = `/channels/${w.channelId}`;
    const own = (await (await api(`${channel}/messages`, 'POST', { content: 'mine' })).json()) as {
      id: string;
    };
    const hook = (await (await api(`${channel}/webhooks`, 'POST', { name: 'poster' })).json()) as {
      id: string;
      token: string;
    };
    const posted = await fetch(`${client.standIn().apiBase}/webhooks/${hook.id}/${hook.token}?wait=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'theirs' }),
    });
    const theirs = (await posted.json()) as { id: string };
    expect((await api(`${channel}/messages/${own.id}`, 'DELETE')).status).toBe(204);
    expect(
      (await api(`${channel}/messages/${theirs.id}`, 'DELETE', undefined, reasonHeader('cleanup'))).status,
    ).toBe(204);
    const entries = (await readLog(client, w, `action_type=${A.MessageDelete}`)).audit_log_entries;
    expect(entries).toEqual([
      expect.objectContaining({
        target_id: hook.id,
        options: { channel_id: w.channelId, count: '1' },
        reason: 'cleanup',
      }),
    ]);
  });
});

describe('Get Guild Audit Log', () => {
  it('needs View Audit Log, and the bot in the guild', async () => {
    const w = await seedWorld(client, bits(P.BanMembers, P.ViewChannel));
    await expectError(await api(`/guilds/${w.guildId}/audit-logs`), 403, 50013);
    await expectError(await api(`/guilds/${snowflake()}/audit-logs`), 404, 10004);
  });

  it('refuses a bad query with 50035 and its field', async () => {
    const w = await seedWorld(client);
    for (const query of ['limit=0', 'limit=101', 'before=abc', 'action_type=9999']) {
      const response = await api(`/guilds/${w.guildId}/audit-logs?${query}`);
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { code: number; errors: Record<string, unknown> };
      expect(body.code).toBe(50035);
      expect(Object.keys(body.errors)).toEqual([query.split('=')[0]]);
    }
  });

  it('250 entries: 50 by default, pages of 100 forward with after (oldest first), nothing skipped or twice', async () => {
    const w = await seedWorld(client);
    const made = await control<{ entries: APIAuditLogEntry[] }>(`/guilds/${w.guildId}/audit-log`, 'POST', {
      action: 'automod_flag',
      targetId: w.targets[0],
      count: 250,
    });
    expect(made.entries).toHaveLength(250);
    const newest = await readLog(client, w);
    expect(newest.audit_log_entries).toHaveLength(50);
    expect(newest.audit_log_entries[0]!.id).toBe(made.entries.at(-1)!.id);

    const seen: string[] = [];
    let cursor = '0';
    let calls = 0;
    for (;;) {
      const page = (await readLog(client, w, `after=${cursor}&limit=100`)).audit_log_entries;
      calls++;
      if (page.length === 0) break;
      const ids = page.map((e) => BigInt(e.id));
      expect(ids).toEqual([...ids].sort((x, y) => (x < y ? -1 : 1)));
      seen.push(...page.map((e) => e.id));
      cursor = page.at(-1)!.id;
    }
    expect(calls).toBe(4);
    expect(seen).toEqual(made.entries.map((e) => e.id));

    const older = await readLog(client, w, `before=${made.entries[100]!.id}&limit=100`);
    expect(older.audit_log_entries.map((e) => e.id)).toEqual(
      made.entries
        .slice(0, 100)
        .map((e) => e.id)
        .reverse(),
    );
  });

  it('filters by user_id, target_id and action_type', async () => {
    const w = await seedWorld(client);
    const [a, b] = w.targets;
    await api(`/guilds/${w.guildId}/bans/${a}`, 'PUT', {});
    await control(`/guilds/${w.guildId}/audit-log`, 'POST', {
      action: 'kick',
      actorId: w.modId,
      targetId: b,
    });
    const byMod = (await readLog(client, w, `user_id=${w.modId}`)).audit_log_entries;
    expect(byMod.map((e) => [e.action_type, e.target_id])).toEqual([[A.MemberKick, b]]);
    expect((await readLog(client, w, `target_id=${a}`)).audit_log_entries.map((e) => e.action_type)).toEqual([
      A.MemberBanAdd,
    ]);
    expect((await readLog(client, w, `action_type=${A.MemberBanRemove}`)).audit_log_entries).toEqual([]);
  });

  it('keeps 45 days: an entry older is gone when read', async () => {
    const w = await seedWorld(client);
    const day = 86_400_000;
    const at = (ms: number) => new Date(Date.now() - ms).toISOString();
    const body = { action: 'automod_block', targetId: w.targets[0] };
    const kept = await control<APIAuditLogEntry>(`/guilds/${w.guildId}/audit-log`, 'POST', {
      ...body,
      at: at(44 * day),
    });
    await control(`/guilds/${w.guildId}/audit-log`, 'POST', { ...body, at: at(46 * day) });
    expect((await readLog(client, w)).audit_log_entries.map((e) => e.id)).toEqual([kept.id]);
    expect((await control<GuildSnapshot>(`/guilds/${w.guildId}`)).auditLogEntries).toBe(1);
  });
});

describe('its rate limit', () => {
  const limited = standInClient({ rateLimits: true });

  it('is 5 per 5 s per guild, in a bucket of its own', async () => {
    const w = await seedWorld(limited);
    const statuses: number[] = [];
    for (let n = 0; n < 6; n++) statuses.push((await limited.api(`/guilds/${w.guildId}/audit-logs`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const first = await limited.api(`/guilds/${(await seedWorld(limited)).guildId}/audit-logs`);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('5');
    expect((await limited.api(`/guilds/${w.guildId}`)).status).toBe(200);
  });
});
