// The Discord stand-in's guilds, members and users over real HTTP (10004, 10007, 10013, the bot as
// @me), the permission and hierarchy rules Discord applies to moderation (50013 on a member at or
// above the bot or on the owner, an Administrator never timed out, each action's permission,
// @everyone's and Administrator's grants), and kicks and timeouts (28 days at most, 50035 beyond).
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { GuildSeed, GuildSnapshot } from '../../dev/discord/server.ts';
import {
  APP_ID,
  bits,
  DAY_MS,
  expectError,
  json,
  snowflake,
  useStandIn,
} from '../support/discord-stand-in.ts';

const { api, controlJson, seedWorld, requests } = useStandIn();

describe('guilds and members', () => {
  it('returns the guild with its roles and owner, and the roles alone', async () => {
    const world = await seedWorld();
    const guild = await json<{ id: string; owner_id: string; roles: { id: string }[]; name: string }>(
      await api(`/guilds/${world.guildId}`),
    );
    expect(guild).toMatchObject({ id: world.guildId, owner_id: world.ownerId, name: 'Test Guild' });
    // @everyone is added with the guild's id at position 0.
    expect(guild.roles.map((role) => role.id)).toContain(world.guildId);
    const roles = await json<{ id: string; position: number }[]>(await api(`/guilds/${world.guildId}/roles`));
    expect(roles.find((role) => role.id === world.guildId)?.position).toBe(0);
    await expectError(await api(`/guilds/${snowflake()}`), 404, { message: 'Unknown Guild', code: 10004 });
  });

  it('returns a member, or 10007 Unknown Member', async () => {
    const world = await seedWorld();
    const member = await json<{ user: { id: string; global_name: string }; roles: string[] }>(
      await api(`/guilds/${world.guildId}/members/${world.memberId}`),
    );
    expect(member).toMatchObject({ user: { id: world.memberId, global_name: 'Member' }, roles: [] });
    await expectError(await api(`/guilds/${world.guildId}/members/${snowflake()}`), 404, {
      message: 'Unknown Member',
      code: 10007,
    });
  });

  it('returns users, 10013 Unknown User, and the bot as @me', async () => {
    const world = await seedWorld();
    expect(await json(await api(`/users/${world.outsiderId}`))).toMatchObject({
      id: world.outsiderId,
      username: 'outsider',
    });
    await expectError(await api(`/users/${snowflake()}`), 404, { message: 'Unknown User', code: 10013 });
    expect(await json(await api('/users/@me'))).toMatchObject({ id: APP_ID, bot: true });
  });
});

describe('permissions and hierarchy', () => {
  it('refuses to act on a member at or above the bot, or on the owner, with 50013', async () => {
    const world = await seedWorld();
    const missing = { message: 'Missing Permissions', code: 50013 };
    await expectError(
      await api(`/guilds/${world.guildId}/bans/${world.seniorId}`, { method: 'PUT', body: '{}' }),
      403,
      missing,
    );
    await expectError(
      await api(`/guilds/${world.guildId}/members/${world.seniorId}`, { method: 'DELETE' }),
      403,
      missing,
    );
    await expectError(
      await api(`/guilds/${world.guildId}/bans/${world.ownerId}`, { method: 'PUT', body: '{}' }),
      403,
      missing,
    );
    await expectError(
      await api(`/guilds/${world.guildId}/members/${world.ownerId}`, { method: 'DELETE' }),
      403,
      missing,
    );
    const until = new Date(Date.now() + DAY_MS).toISOString();
    await expectError(
      await api(`/guilds/${world.guildId}/members/${world.seniorId}`, {
        method: 'PATCH',
        body: JSON.stringify({ communication_disabled_until: until }),
      }),
      403,
      missing,
    );
    // Nothing changed.
    const snapshot = await controlJson<GuildSnapshot>(`/guilds/${world.guildId}`);
    expect(snapshot.bans).toEqual([]);
    expect(snapshot.members.map((member) => member.user.id)).toEqual(
      expect.arrayContaining([world.seniorId, world.ownerId]),
    );
  });

  it('refuses to time out an Administrator even below the bot, but may kick them', async () => {
    const world = await seedWorld();
    const until = new Date(Date.now() + DAY_MS).toISOString();
    await expectError(
      await api(`/guilds/${world.guildId}/members/${world.adminId}`, {
        method: 'PATCH',
        body: JSON.stringify({ communication_disabled_until: until }),
      }),
      403,
      { message: 'Missing Permissions', code: 50013 },
    );
    expect(
      (await api(`/guilds/${world.guildId}/members/${world.adminId}`, { method: 'DELETE' })).status,
    ).toBe(204);
  });

  it('needs the permission for each action', async () => {
    const world = await seedWorld();
    const weak = await seedWorld({
      ownerId: world.ownerId,
      roles: [{ id: world.botRoleId, position: 10, permissions: bits(PermissionFlagsBits.ViewChannel) }],
      members: [{ user: { id: world.memberId, username: 'member' }, roles: [] }],
      botRoleIds: [world.botRoleId],
      channels: [{ id: snowflake(), name: 'general' }],
    });
    const missing = { message: 'Missing Permissions', code: 50013 };
    await expectError(
      await api(`/guilds/${weak.guildId}/bans/${world.memberId}`, { method: 'PUT', body: '{}' }),
      403,
      missing,
    );
    await expectError(
      await api(`/guilds/${weak.guildId}/members/${world.memberId}`, { method: 'DELETE' }),
      403,
      missing,
    );
  });

  it('gets every permission from @everyone or Administrator', async () => {
    const guildId = snowflake();
    const memberId = snowflake();
    await controlJson(`/guilds/${guildId}`, 'PUT', {
      ownerId: snowflake(),
      roles: [{ id: guildId, position: 0, permissions: bits(PermissionFlagsBits.KickMembers) }],
      members: [{ user: { id: memberId, username: 'm' }, roles: [] }],
      botRoleIds: [],
    } satisfies GuildSeed);
    // The bot has only @everyone, like the member: equal positions, so the hierarchy still refuses.
    await expectError(await api(`/guilds/${guildId}/members/${memberId}`, { method: 'DELETE' }), 403, {
      message: 'Missing Permissions',
      code: 50013,
    });
  });
});

describe('kicks and timeouts', () => {
  it('kicks with 204 and answers 10007 for a non-member', async () => {
    const world = await seedWorld();
    const response = await api(`/guilds/${world.guildId}/members/${world.memberId}`, {
      method: 'DELETE',
      headers: { 'x-audit-log-reason': 'being%20rude' },
    });
    expect(response.status).toBe(204);
    await expectError(
      await api(`/guilds/${world.guildId}/members/${world.memberId}`, { method: 'DELETE' }),
      404,
      {
        message: 'Unknown Member',
        code: 10007,
      },
    );
    const [recorded] = await requests(`/guilds/${world.guildId}/members/${world.memberId}`);
    expect(recorded?.auditLogReason).toBe('being rude');
  });

  it('times a member out for up to 28 days and returns the member', async () => {
    const world = await seedWorld();
    const until = new Date(Date.now() + 27 * DAY_MS);
    const response = await api(`/guilds/${world.guildId}/members/${world.memberId}`, {
      method: 'PATCH',
      body: JSON.stringify({ communication_disabled_until: until.toISOString() }),
    });
    expect(response.status).toBe(200);
    const member = await json<{ communication_disabled_until: string; user: { id: string } }>(response);
    expect(member.user.id).toBe(world.memberId);
    expect(Date.parse(member.communication_disabled_until)).toBe(until.getTime());

    const cleared = await api(`/guilds/${world.guildId}/members/${world.memberId}`, {
      method: 'PATCH',
      body: JSON.stringify({ communication_disabled_until: null }),
    });
    expect(await json(cleared)).toMatchObject({ communication_disabled_until: null });
  });

  it('refuses a timeout more than 28 days ahead with 50035', async () => {
    const world = await seedWorld();
    await expectError(
      await api(`/guilds/${world.guildId}/members/${world.memberId}`, {
        method: 'PATCH',
        body: JSON.stringify({
          communication_disabled_until: new Date(Date.now() + 29 * DAY_MS).toISOString(),
        }),
      }),
      400,
      {
        message: 'Invalid Form Body',
        code: 50035,
        errors: {
          communication_disabled_until: {
            _errors: [
              {
                code: 'INVALID_COMMUNICATION_DISABLED_TIMESTAMP',
                message: 'Invalid communication disabled timestamp',
              },
            ],
          },
        },
      },
    );
  });
});
