// The Discord stand-in's channel routes over real HTTP: guild channel listing and reads, Modify
// Channel (slowmode, name), permission overwrites with Discord's rules (Manage Roles in the channel,
// only bits the bot holds), and messages refused where an overwrite denies the bot.
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { GuildSeed, GuildSnapshot } from '../../dev/discord/server.ts';
import { bits, expectError, snowflake, standInClient } from './discord-client.ts';

const { api, control } = standInClient();

const EVERYONE = bits(P.ViewChannel, P.SendMessages, P.AddReactions, P.ReadMessageHistory);
const BOT = bits(P.ManageChannels, P.ManageRoles, P.ViewChannel, P.SendMessages, P.AddReactions);

interface World {
  guildId: string;
  botRoleId: string;
  modRoleId: string;
  memberId: string;
  general: string;
  hidden: string;
  art: string;
  refused: string;
  category: string;
  voice: string;
}

async function seed(botPermissions = BOT): Promise<World> {
  const w: World = {
    guildId: snowflake(),
    botRoleId: snowflake(),
    modRoleId: snowflake(),
    memberId: snowflake(),
    general: snowflake(),
    hidden: snowflake(),
    art: snowflake(),
    refused: snowflake(),
    category: snowflake(),
    voice: snowflake(),
  };
  const guildSeed: GuildSeed = {
    ownerId: snowflake(),
    roles: [
      { id: w.guildId, position: 0, permissions: EVERYONE },
      { id: w.modRoleId, position: 3, permissions: '0' },
      { id: w.botRoleId, position: 5, permissions: botPermissions },
    ],
    members: [{ user: { id: w.memberId, username: 'member' }, roles: [] }],
    channels: [
      { id: w.category, name: 'Text', type: 4 },
      { id: w.general, name: 'general', parent_id: w.category, rate_limit_per_user: 30 },
      {
        id: w.hidden,
        name: 'staff',
        permission_overwrites: [{ id: w.guildId, type: 0, allow: '0', deny: bits(P.ViewChannel) }],
      },
      {
        id: w.art,
        name: 'art',
        permission_overwrites: [
          { id: w.guildId, type: 0, allow: bits(P.AttachFiles), deny: bits(P.EmbedLinks) },
          { id: w.modRoleId, type: 0, allow: bits(P.SendMessages), deny: '0' },
        ],
      },
      {
        id: w.refused,
        name: 'refused',
        permission_overwrites: [{ id: w.botRoleId, type: 0, allow: '0', deny: bits(P.ManageRoles) }],
      },
      { id: w.voice, name: 'Voice', type: 2 },
    ],
    botRoleIds: [w.botRoleId],
  };
  await control(`/guilds/${w.guildId}`, 'PUT', guildSeed);
  return w;
}

const snapshotChannel = async (w: World, channelId: string) =>
  (await control<GuildSnapshot>(`/guilds/${w.guildId}`)).channels.find((c) => c.id === channelId)!;

describe('reading channels', () => {
  it('lists every guild channel, hidden ones included, with overwrites, slowmode, position and parent', async () => {
    const w = await seed();
    const response = await api(`/guilds/${w.guildId}/channels`);
    expect(response.status).toBe(200);
    const channels = (await response.json()) as Record<string, unknown>[];
    expect(channels.map((c) => c.id)).toEqual([w.category, w.general, w.hidden, w.art, w.refused, w.voice]);
    expect(channels[1]).toMatchObject({
      id: w.general,
      type: 0,
      guild_id: w.guildId,
      name: 'general',
      position: 1,
      parent_id: w.category,
      permission_overwrites: [],
      rate_limit_per_user: 30,
      last_message_id: null,
    });
    expect(channels[0]).not.toHaveProperty('rate_limit_per_user');
    expect(channels[2]!.permission_overwrites).toEqual([
      { id: w.guildId, type: 0, allow: '0', deny: bits(P.ViewChannel) },
    ]);
  });

  it('gets one channel; 50001 where the bot cannot see it, 10003 when there is none', async () => {
    const w = await seed();
    expect(await (await api(`/channels/${w.art}`)).json()).toMatchObject({ id: w.art, name: 'art' });
    await expectError(await api(`/channels/${w.hidden}`), 403, 50001);
    await expectError(await api(`/channels/${snowflake()}`), 404, 10003);
  });
});

describe('Modify Channel', () => {
  it('sets slowmode and the name with an audit-log reason, and returns the channel', async () => {
    const w = await seed();
    const response = await api(
      `/channels/${w.general}`,
      'PATCH',
      { rate_limit_per_user: 21_600, name: 'calm' },
      {
        'x-audit-log-reason': encodeURIComponent('mod: /slowmode'),
      },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: w.general, rate_limit_per_user: 21_600, name: 'calm' });
    expect(await snapshotChannel(w, w.general)).toMatchObject({ rate_limit_per_user: 21_600, name: 'calm' });
    const [request] = await control<{ auditLogReason: string }[]>(
      `/requests?contains=/channels/${w.general}`,
    );
    expect(request!.auditLogReason).toBe('mod: /slowmode');
  });

  it('refuses a slowmode outside 0..21600 with 50035, changing nothing', async () => {
    const w = await seed();
    const response = await api(`/channels/${w.general}`, 'PATCH', { rate_limit_per_user: 21_601 });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        rate_limit_per_user: {
          _errors: [{ code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 21600.' }],
        },
      },
    });
    expect((await snapshotChannel(w, w.general)).rate_limit_per_user).toBe(30);
  });

  it('needs Manage Channels in that channel (50013), and sight of it (50001)', async () => {
    const w = await seed(bits(P.ViewChannel, P.ManageRoles));
    await expectError(await api(`/channels/${w.general}`, 'PATCH', { rate_limit_per_user: 5 }), 403, 50013);
    const v = await seed();
    await expectError(await api(`/channels/${v.hidden}`, 'PATCH', { rate_limit_per_user: 5 }), 403, 50001);
    expect((await snapshotChannel(w, w.general)).rate_limit_per_user).toBe(30);
  });
});

describe('permission overwrites', () => {
  const LOCK = P.SendMessages | P.AddReactions;

  it('locks and unlocks @everyone: PUT 204 stores the overwrite, DELETE 204 removes it, 10009 when there is none', async () => {
    const w = await seed();
    const put = await api(`/channels/${w.general}/permissions/${w.guildId}`, 'PUT', {
      type: 0,
      allow: '0',
      deny: String(LOCK),
    });
    expect(put.status).toBe(204);
    expect((await snapshotChannel(w, w.general)).permission_overwrites).toEqual([
      { id: w.guildId, type: 0, allow: '0', deny: String(LOCK) },
    ]);
    // The lock took Send Messages from the bot too; it may still lift what it holds in the guild.
    await expectError(await api(`/channels/${w.general}/messages`, 'POST', { content: 'hi' }), 403, 50013);
    expect((await api(`/channels/${w.general}/permissions/${w.guildId}`, 'DELETE')).status).toBe(204);
    expect((await snapshotChannel(w, w.general)).permission_overwrites).toEqual([]);
    expect((await api(`/channels/${w.general}/messages`, 'POST', { content: 'hi' })).status).toBe(200);
    await expectError(await api(`/channels/${w.general}/permissions/${w.guildId}`, 'DELETE'), 404, 10009);
  });

  it('keeps bits the bot lacks that the request leaves as they are, and replaces the overwrite in place', async () => {
    const w = await seed();
    // Attach Files and Embed Links are not the bot's, but the lock does not change them.
    const put = await api(`/channels/${w.art}/permissions/${w.guildId}`, 'PUT', {
      type: 0,
      allow: bits(P.AttachFiles),
      deny: String(P.EmbedLinks | LOCK),
    });
    expect(put.status).toBe(204);
    const overwrites = (await snapshotChannel(w, w.art)).permission_overwrites!;
    expect(overwrites[0]).toEqual({
      id: w.guildId,
      type: 0,
      allow: bits(P.AttachFiles),
      deny: String(P.EmbedLinks | LOCK),
    });
    expect(overwrites[1]!.id).toBe(w.modRoleId);
  });

  it('refuses to allow or deny a bit the bot does not hold (50013), unless it is Administrator or an overwrite gives it Manage Roles', async () => {
    const w = await seed();
    const body = { type: 0, allow: '0', deny: bits(P.MentionEveryone) };
    await expectError(await api(`/channels/${w.general}/permissions/${w.guildId}`, 'PUT', body), 403, 50013);
    expect((await snapshotChannel(w, w.general)).permission_overwrites).toEqual([]);

    const grant = await api(`/channels/${w.general}/permissions/${w.botRoleId}`, 'PUT', {
      type: 0,
      allow: bits(P.ManageRoles),
      deny: '0',
    });
    expect(grant.status).toBe(204);
    expect((await api(`/channels/${w.general}/permissions/${w.guildId}`, 'PUT', body)).status).toBe(204);

    const admin = await seed(bits(P.Administrator));
    expect((await api(`/channels/${admin.general}/permissions/${admin.guildId}`, 'PUT', body)).status).toBe(
      204,
    );
  });

  it('needs Manage Roles in the channel, overwrites included (50013), and sight of it (50001)', async () => {
    const w = await seed();
    const body = { type: 0, allow: '0', deny: String(P.SendMessages) };
    await expectError(await api(`/channels/${w.refused}/permissions/${w.guildId}`, 'PUT', body), 403, 50013);
    await expectError(await api(`/channels/${w.hidden}/permissions/${w.guildId}`, 'PUT', body), 403, 50001);
    expect((await snapshotChannel(w, w.refused)).permission_overwrites).toHaveLength(1);
  });

  it('member overwrites; an unknown role 10011, a bad type 50035, an audit-log reason recorded', async () => {
    const w = await seed();
    const put = await api(
      `/channels/${w.general}/permissions/${w.memberId}`,
      'PUT',
      { type: 1, deny: String(P.SendMessages) },
      { 'x-audit-log-reason': 'quiet' },
    );
    expect(put.status).toBe(204);
    expect((await snapshotChannel(w, w.general)).permission_overwrites).toEqual([
      { id: w.memberId, type: 1, allow: '0', deny: String(P.SendMessages) },
    ]);
    const [request] = await control<{ auditLogReason: string }[]>(
      `/requests?contains=/permissions/${w.memberId}`,
    );
    expect(request!.auditLogReason).toBe('quiet');
    await expectError(
      await api(`/channels/${w.general}/permissions/${snowflake()}`, 'PUT', { type: 0 }),
      404,
      10011,
    );
    await expectError(
      await api(`/channels/${w.general}/permissions/${w.guildId}`, 'PUT', { type: 3 }),
      400,
      50035,
    );
  });
});

describe('messages and overwrites', () => {
  it("refuses the bot's message where @everyone is denied Send Messages, unless its role's overwrite allows it", async () => {
    const w = await seed();
    await api(`/channels/${w.general}/permissions/${w.guildId}`, 'PUT', {
      type: 0,
      deny: String(P.SendMessages),
    });
    await expectError(await api(`/channels/${w.general}/messages`, 'POST', { content: 'x' }), 403, 50013);
    await api(`/channels/${w.general}/permissions/${w.botRoleId}`, 'PUT', {
      type: 0,
      allow: String(P.SendMessages),
    });
    expect((await api(`/channels/${w.general}/messages`, 'POST', { content: 'x' })).status).toBe(200);
    await expectError(await api(`/channels/${w.hidden}/messages`, 'POST', { content: 'x' }), 403, 50001);
  });
});
