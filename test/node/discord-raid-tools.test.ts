// The Discord stand-in's routes for /massban and raid response over real HTTP: Bulk Guild Ban (who
// is banned, who fails, 500000 when nobody could be, its limits), List Guild Members, the control
// API's simulated raid, attachments served at Discord's CDN paths, and raid mode (incident actions,
// and Discord's own raid detection set through the control API).

import type { APIAttachment, APIGuildMember } from 'discord-api-types/v10';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { GuildSeed, GuildSnapshot, RaidResult } from '../../dev/discord/server.ts';
import { bits, expectError, snowflake, standInClient } from './discord-client.ts';

const { api, control, controlRaw, standIn } = standInClient();

interface World {
  guildId: string;
  ownerId: string;
  botRoleId: string;
  memberId: string;
  seniorId: string;
  outsiderId: string;
  bannedId: string;
  channelId: string;
}

async function seed(botPermissions = bits(P.BanMembers, P.ManageGuild, P.ViewChannel)): Promise<World> {
  const w: World = {
    guildId: snowflake(),
    ownerId: snowflake(),
    botRoleId: snowflake(),
    memberId: snowflake(),
    seniorId: snowflake(),
    outsiderId: snowflake(),
    bannedId: snowflake(),
    channelId: snowflake(),
  };
  const seniorRole = snowflake();
  const guildSeed: GuildSeed = {
    ownerId: w.ownerId,
    roles: [
      { id: w.botRoleId, position: 5, permissions: botPermissions },
      { id: seniorRole, position: 9, permissions: '0' },
    ],
    members: [
      { user: { id: w.ownerId, username: 'owner' }, roles: [] },
      { user: { id: w.memberId, username: 'member' }, roles: [], joined_at: '2020-01-01T00:00:00Z' },
      { user: { id: w.seniorId, username: 'senior' }, roles: [seniorRole] },
    ],
    users: [
      { id: w.outsiderId, username: 'outsider' },
      { id: w.bannedId, username: 'banned' },
    ],
    channels: [{ id: w.channelId, name: 'general' }],
    botRoleIds: [w.botRoleId],
  };
  await control(`/guilds/${w.guildId}`, 'PUT', guildSeed);
  expect((await api(`/guilds/${w.guildId}/bans/${w.bannedId}`, 'PUT', {})).status).toBe(204);
  return w;
}

const snapshot = (w: World) => control<GuildSnapshot>(`/guilds/${w.guildId}`);

describe('Bulk Guild Ban', () => {
  it('bans members below the bot and known non-members; fails the owner, those above, the banned and the unknown', async () => {
    const w = await seed();
    const unknown = snowflake();
    const app = (await (await api('/users/@me')).json()) as { id: string };
    const response = await api(
      `/guilds/${w.guildId}/bulk-ban`,
      'POST',
      {
        user_ids: [w.memberId, w.outsiderId, w.ownerId, w.seniorId, w.bannedId, unknown, app.id],
        delete_message_seconds: 3600,
      },
      { 'x-audit-log-reason': encodeURIComponent('raid: /massban') },
    );
    expect(response.status).toBe(200);
    // The bot itself is in neither list, as Discord answers.
    expect(await response.json()).toEqual({
      banned_users: [w.memberId, w.outsiderId],
      failed_users: [w.ownerId, w.seniorId, w.bannedId, unknown],
    });
    const state = await snapshot(w);
    expect(state.bans.map((b) => [b.user.id, b.reason]).sort()).toEqual(
      [
        [w.bannedId, null],
        [w.memberId, 'raid: /massban'],
        [w.outsiderId, 'raid: /massban'],
      ].sort(),
    );
    expect(state.members.map((m) => m.user.id)).not.toContain(w.memberId);
  });

  it('answers 500000 Failed to ban users when nobody could be banned, changing nothing', async () => {
    const w = await seed();
    const response = await api(`/guilds/${w.guildId}/bulk-ban`, 'POST', {
      user_ids: [w.ownerId, w.bannedId],
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: 'Failed to ban users', code: 500000 });
    expect((await snapshot(w)).bans).toHaveLength(1);
  });

  it('refuses more than 200 users with 50035, and needs Ban Members and Manage Guild (50013)', async () => {
    const w = await seed();
    const many = Array.from({ length: 201 }, () => snowflake());
    const tooMany = await api(`/guilds/${w.guildId}/bulk-ban`, 'POST', { user_ids: many });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toEqual({
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        user_ids: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 200 or fewer in length.' }] },
      },
    });
    const noManageGuild = await seed(bits(P.BanMembers));
    await expectError(
      await api(`/guilds/${noManageGuild.guildId}/bulk-ban`, 'POST', { user_ids: [noManageGuild.memberId] }),
      403,
      50013,
    );
    expect((await snapshot(noManageGuild)).bans).toHaveLength(1);
  });
});

describe('bulk ban rate limit', () => {
  const clock = { now: 1_000_000 };
  const limited = standInClient({ rateLimits: true, now: () => clock.now });

  it('allows one call a second per guild', async () => {
    const guildId = snowflake();
    const ids = [snowflake(), snowflake()];
    await limited.control(`/guilds/${guildId}`, 'PUT', {
      ownerId: snowflake(),
      roles: [{ id: guildId, position: 0, permissions: bits(P.BanMembers, P.ManageGuild) }],
      members: [],
      users: ids.map((id) => ({ id, username: `u${id}` })),
    });
    const first = await limited.api(`/guilds/${guildId}/bulk-ban`, 'POST', { user_ids: [ids[0]] });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('1');
    const second = await limited.api(`/guilds/${guildId}/bulk-ban`, 'POST', { user_ids: [ids[1]] });
    expect(second.status).toBe(429);
    clock.now += 1000;
    expect((await limited.api(`/guilds/${guildId}/bulk-ban`, 'POST', { user_ids: [ids[1]] })).status).toBe(
      200,
    );
  });
});

describe('List Guild Members and a simulated raid', () => {
  it('adds N accounts joining now, with no roles, listed by user id with after and limit', async () => {
    const w = await seed();
    const before = Date.now();
    const raid = await control<RaidResult>(`/guilds/${w.guildId}/raid`, 'POST', { count: 30 });
    expect(raid.userIds).toHaveLength(30);
    expect(Date.parse(raid.joinedAt)).toBeGreaterThanOrEqual(before - 1000);

    const page = async (query: string) => {
      const response = await api(`/guilds/${w.guildId}/members?${query}`);
      expect(response.status).toBe(200);
      return (await response.json()) as APIGuildMember[];
    };
    const all = await page('limit=1000');
    const ids = all.map((m) => m.user.id);
    expect(ids).toEqual([...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
    expect(ids).toEqual(expect.arrayContaining([...raid.userIds, w.memberId]));
    const raider = all.find((m) => m.user.id === raid.userIds[0])!;
    expect(raider).toMatchObject({ roles: [], joined_at: raid.joinedAt });
    expect(raider.user.username).toMatch(/^raider-\d+$/);
    expect(all.find((m) => m.user.id === w.memberId)!.joined_at).toBe('2020-01-01T00:00:00.000000+00:00');

    expect(await page('')).toHaveLength(1);
    const second = await page(`limit=2&after=${ids[0]}`);
    expect(second.map((m) => m.user.id)).toEqual(ids.slice(1, 3));
    await expectError(await api(`/guilds/${w.guildId}/members?limit=1001`), 400, 50035);
  });

  it('refuses a raid of a bad size or in an unknown guild', async () => {
    const w = await seed();
    expect((await controlRaw(`/guilds/${w.guildId}/raid`, 'POST', { count: 0 })).status).toBe(400);
    expect((await controlRaw(`/guilds/${snowflake()}/raid`, 'POST', { count: 1 })).status).toBe(404);
  });
});

describe('attachments', () => {
  it('serves an uploaded file at its CDN path on the stand-in, only with its signature', async () => {
    const channelId = snowflake();
    const text = `${snowflake()}\n${snowflake()}\n`;
    const attachment = await control<APIAttachment>('/attachments', 'POST', {
      filename: 'raid ids.txt',
      text,
      channel_id: channelId,
    });
    const origin = new URL(standIn().apiBase).origin;
    expect(attachment).toMatchObject({
      filename: 'raid_ids.txt',
      size: Buffer.byteLength(text),
      content_type: 'text/plain; charset=utf-8',
    });
    const url = new URL(attachment.url);
    expect(url.origin).toBe(origin);
    expect(url.pathname).toBe(`/attachments/${channelId}/${attachment.id}/raid_ids.txt`);
    expect([...url.searchParams.keys()]).toEqual(['ex', 'is', 'hm']);
    expect(attachment.proxy_url).toBe(attachment.url);

    const file = await fetch(attachment.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await file.text()).toBe(text);
    const unsigned = await fetch(`${origin}${url.pathname}`);
    expect(unsigned.status).toBe(404);
    expect(await unsigned.text()).toBe('This content is no longer available.');
  });

  it('refuses an upload without a filename or text', async () => {
    expect((await controlRaw('/attachments', 'POST', { text: 'x' })).status).toBe(400);
    expect((await controlRaw('/attachments', 'POST', { filename: 'a.txt' })).status).toBe(400);
  });
});

describe('incident actions (raid mode)', () => {
  const HOUR = 3_600_000;

  it('pauses invites and DMs up to 24 h ahead, shown in Get Guild incidents_data; null resumes them', async () => {
    const w = await seed();
    const guild = async () =>
      ((await (await api(`/guilds/${w.guildId}`)).json()) as { incidents_data: unknown }).incidents_data;
    expect(await guild()).toBeNull();
    const until = new Date(Date.now() + 2 * HOUR);
    const response = await api(
      `/guilds/${w.guildId}/incident-actions`,
      'PUT',
      { invites_disabled_until: until.toISOString(), dms_disabled_until: null },
      { 'x-audit-log-reason': 'raid' },
    );
    expect(response.status).toBe(200);
    const stamp = until.toISOString().replace('Z', '000+00:00');
    expect(await response.json()).toEqual({ invites_disabled_until: stamp, dms_disabled_until: null });
    expect(await guild()).toEqual({
      invites_disabled_until: stamp,
      dms_disabled_until: null,
      raid_detected_at: null,
      dm_spam_detected_at: null,
    });
    expect((await snapshot(w)).incidents_data).toMatchObject({ invites_disabled_until: stamp });
    const [request] = await control<{ auditLogReason: string }[]>(
      `/requests?contains=/guilds/${w.guildId}/incident`,
    );
    expect(request!.auditLogReason).toBe('raid');

    const off = await api(`/guilds/${w.guildId}/incident-actions`, 'PUT', {
      invites_disabled_until: null,
      dms_disabled_until: null,
    });
    expect(await off.json()).toEqual({ invites_disabled_until: null, dms_disabled_until: null });
    expect(await guild()).toBeNull();
  });

  it('refuses a time more than 24 h ahead with 50035 and needs Manage Guild (50013), changing nothing', async () => {
    const w = await seed();
    const late = new Date(Date.now() + 25 * HOUR).toISOString();
    const tooLate = await api(`/guilds/${w.guildId}/incident-actions`, 'PUT', { dms_disabled_until: late });
    expect(tooLate.status).toBe(400);
    expect(await tooLate.json()).toMatchObject({
      code: 50035,
      errors: { dms_disabled_until: { _errors: [{ code: 'BASE_TYPE_BAD_DATETIME' }] } },
    });
    const weak = await seed(bits(P.BanMembers));
    const soon = new Date(Date.now() + HOUR).toISOString();
    await expectError(
      await api(`/guilds/${weak.guildId}/incident-actions`, 'PUT', { invites_disabled_until: soon }),
      403,
      50013,
    );
    expect((await snapshot(w)).incidents_data).toBeNull();
    expect((await snapshot(weak)).incidents_data).toBeNull();
  });

  it("shows Discord's own raid detection, set through the control API, beside the actions", async () => {
    const w = await seed();
    const detected = '2026-01-01T12:00:00.000Z';
    const set = await control<{ incidents_data: unknown }>(`/guilds/${w.guildId}/incidents`, 'PUT', {
      raid_detected_at: detected,
    });
    expect(set.incidents_data).toEqual({
      invites_disabled_until: null,
      dms_disabled_until: null,
      raid_detected_at: '2026-01-01T12:00:00.000000+00:00',
      dm_spam_detected_at: null,
    });
    const guild = (await (await api(`/guilds/${w.guildId}`)).json()) as { incidents_data: unknown };
    expect(guild.incidents_data).toEqual(set.incidents_data);
    expect(
      (await controlRaw(`/guilds/${w.guildId}/incidents`, 'PUT', { raid_detected_at: 'soon' })).status,
    ).toBe(400);
  });
});
