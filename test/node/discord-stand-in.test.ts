// The Discord stand-in over real HTTP: routes, codes and error bodies as Discord gives them, per-guild
// state, rate limits (on an injected clock), faults and the request log. Every test makes its own
// snowflakes, as the test files sharing one stand-in must.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DiscordStandIn,
  type FaultSpec,
  type GuildSeed,
  type GuildSnapshot,
  type InteractionMessage,
  type RecordedRequest,
  type SandboxMessage,
  startDiscordStandIn,
} from '../../dev/discord/server.ts';

const BOT_TOKEN = 'stand-in-test-token';
const APP_ID = '1100000000000000777';
const auth = { authorization: `Bot ${BOT_TOKEN}` };

let sequence = 0n;
/** A snowflake no other test (or test file) uses. */
function snowflake(): string {
  const time = BigInt(Date.now()) - 1_420_070_400_000n;
  sequence = (sequence + 1n) & 0xfffn;
  return ((time << 22n) | (BigInt(Math.floor(Math.random() * 1024)) << 12n) | sequence).toString();
}

const bits = (...flags: bigint[]) => String(flags.reduce((acc, flag) => acc | flag, 0n));
const MOD_PERMISSIONS = bits(
  PermissionFlagsBits.BanMembers,
  PermissionFlagsBits.KickMembers,
  PermissionFlagsBits.ModerateMembers,
  PermissionFlagsBits.ManageWebhooks,
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
);
const DAY_MS = 24 * 60 * 60 * 1000;

interface World {
  guildId: string;
  ownerId: string;
  botRoleId: string;
  memberId: string;
  seniorId: string;
  adminId: string;
  outsiderId: string;
  closedDmId: string;
  channelId: string;
}

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

function client(standIn: () => DiscordStandIn) {
  const api = (path: string, init: RequestInit & { bot?: boolean } = {}) => {
    const { bot = true, headers, ...rest } = init;
    return fetch(`${standIn().apiBase}${path}`, {
      ...rest,
      headers: {
        ...(bot ? auth : {}),
        ...(rest.body ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
    });
  };
  const control = (path: string, init: RequestInit = {}) => fetch(`${standIn().controlUrl}${path}`, init);
  const controlJson = async <T>(path: string, method = 'GET', body?: unknown): Promise<T> => {
    const response = await control(path, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    expect(response.ok, `${method} ${path} → ${response.status}`).toBe(true);
    return json<T>(response);
  };

  /** A guild where the bot (position 10) moderates: one plain member, one above it, one admin below it. */
  async function seedWorld(overrides: Partial<GuildSeed> = {}): Promise<World> {
    const world: World = {
      guildId: snowflake(),
      ownerId: snowflake(),
      botRoleId: snowflake(),
      memberId: snowflake(),
      seniorId: snowflake(),
      adminId: snowflake(),
      outsiderId: snowflake(),
      closedDmId: snowflake(),
      channelId: snowflake(),
    };
    const seniorRole = snowflake();
    const adminRole = snowflake();
    const seed: GuildSeed = {
      name: 'Test Guild',
      ownerId: world.ownerId,
      roles: [
        { id: world.botRoleId, name: 'Lockdown', position: 10, permissions: MOD_PERMISSIONS },
        { id: seniorRole, name: 'Senior mod', position: 20, permissions: '0' },
        { id: adminRole, name: 'Admin', position: 5, permissions: bits(PermissionFlagsBits.Administrator) },
      ],
      members: [
        { user: { id: world.ownerId, username: 'owner' }, roles: [] },
        { user: { id: world.memberId, username: 'member', global_name: 'Member' }, roles: [] },
        { user: { id: world.seniorId, username: 'senior' }, roles: [seniorRole] },
        { user: { id: world.adminId, username: 'admin' }, roles: [adminRole] },
        { user: { id: world.closedDmId, username: 'private' }, roles: [] },
      ],
      channels: [{ id: world.channelId, name: 'mod-logs' }],
      botRoleIds: [world.botRoleId],
      closedDms: [world.closedDmId],
      users: [{ id: world.outsiderId, username: 'outsider' }],
      ...overrides,
    };
    await controlJson(`/guilds/${world.guildId}`, 'PUT', seed);
    return world;
  }

  async function createWebhook(channelId: string, name = 'Lockdown mod-log') {
    const response = await api(`/channels/${channelId}/webhooks`, {
      method: 'POST',
      body: JSON.stringify({ name }),
    });
    expect(response.status).toBe(200);
    return json<{ id: string; token: string; url: string; channel_id: string; guild_id: string }>(response);
  }

  const requests = (contains: string, since?: number) =>
    controlJson<RecordedRequest[]>(
      `/requests?contains=${encodeURIComponent(contains)}${since === undefined ? '' : `&since=${since}`}`,
    );

  return { api, control, controlJson, seedWorld, createWebhook, requests };
}

let standIn: DiscordStandIn;
const { api, control, controlJson, seedWorld, createWebhook, requests } = client(() => standIn);

beforeAll(async () => {
  // This file sends far more than Discord's global 50 requests a second; the limits have their own
  // stand-in on an injected clock below.
  standIn = await startDiscordStandIn({ botToken: BOT_TOKEN, applicationId: APP_ID, rateLimits: false });
});
afterAll(async () => {
  await standIn.close();
});

async function expectError(response: Response, status: number, body: Record<string, unknown>) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(await response.json()).toEqual(body);
}

describe('addresses', () => {
  it('serves the API under /api/v10 and the control API under /__sandbox', () => {
    expect(standIn.apiBase).toBe(`http://127.0.0.1:${standIn.port}/api/v10`);
    expect(standIn.controlUrl).toBe(`http://127.0.0.1:${standIn.port}/__sandbox`);
  });
});

describe('auth and routing', () => {
  it('answers 401 without the bot token', async () => {
    const { guildId } = await seedWorld();
    await expectError(await api(`/guilds/${guildId}`, { bot: false }), 401, {
      message: '401: Unauthorized',
      code: 0,
    });
    await expectError(
      await api(`/guilds/${guildId}`, { bot: false, headers: { authorization: 'Bot wrong' } }),
      401,
      { message: '401: Unauthorized', code: 0 },
    );
    // A bare token without the "Bot " prefix is a user token to Discord: refused too.
    await expectError(
      await api(`/guilds/${guildId}`, { bot: false, headers: { authorization: BOT_TOKEN } }),
      401,
      { message: '401: Unauthorized', code: 0 },
    );
  });

  it('answers 404 for unknown routes and 405 for a wrong method', async () => {
    await expectError(await api('/nothing/here'), 404, { message: '404: Not Found', code: 0 });
    await expectError(await api(`/guilds/${snowflake()}/roles`, { method: 'DELETE' }), 405, {
      message: '405: Method Not Allowed',
      code: 0,
    });
  });

  it('answers malformed JSON with 50109, as Discord does', async () => {
    const { guildId, memberId } = await seedWorld();
    await expectError(
      await api(`/guilds/${guildId}/bans/${memberId}`, { method: 'PUT', body: '{"delete_' }),
      400,
      {
        message: 'The request body contains invalid JSON.',
        code: 50109,
      },
    );
  });

  it('refuses an id that is not a snowflake with 50035', async () => {
    await expectError(await api('/users/not-a-number'), 400, {
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        user_id: {
          _errors: [{ code: 'NUMBER_TYPE_COERCE', message: 'Value "not-a-number" is not snowflake.' }],
        },
      },
    });
  });
});

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

describe('bans', () => {
  it('bans a member: 204, ban listed with the reason, member gone, request recorded', async () => {
    const world = await seedWorld();
    const reason = 'Spamming invite links — 3rd offence';
    const response = await api(`/guilds/${world.guildId}/bans/${world.memberId}`, {
      method: 'PUT',
      headers: { 'x-audit-log-reason': encodeURIComponent(reason) },
      body: JSON.stringify({ delete_message_seconds: 3600 }),
    });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');

    const bans = await json<{ user: { id: string }; reason: string }[]>(
      await api(`/guilds/${world.guildId}/bans`),
    );
    expect(bans).toEqual([
      expect.objectContaining({ user: expect.objectContaining({ id: world.memberId }), reason }),
    ]);
    expect(await json(await api(`/guilds/${world.guildId}/bans/${world.memberId}`))).toMatchObject({
      reason,
    });
    await expectError(await api(`/guilds/${world.guildId}/members/${world.memberId}`), 404, {
      message: 'Unknown Member',
      code: 10007,
    });
    const snapshot = await controlJson<GuildSnapshot>(`/guilds/${world.guildId}`);
    expect(snapshot.members.map((member) => member.user.id)).not.toContain(world.memberId);
    expect(snapshot.bans.map((ban) => ban.user.id)).toEqual([world.memberId]);

    const [recorded] = await requests(`/guilds/${world.guildId}/bans/${world.memberId}`);
    expect(recorded).toMatchObject({
      method: 'PUT',
      path: `/guilds/${world.guildId}/bans/${world.memberId}`,
      auditLogReason: reason,
      body: { delete_message_seconds: 3600 },
      status: 204,
    });
    expect(recorded?.headers.authorization).toBe(`Bot ${BOT_TOKEN}`);
    expect(recorded?.headers['x-audit-log-reason']).toBe(encodeURIComponent(reason));
  });

  it('bans a user who is not a member, but not one Discord does not know', async () => {
    const world = await seedWorld();
    expect(
      (await api(`/guilds/${world.guildId}/bans/${world.outsiderId}`, { method: 'PUT', body: '{}' })).status,
    ).toBe(204);
    await expectError(
      await api(`/guilds/${world.guildId}/bans/${snowflake()}`, { method: 'PUT', body: '{}' }),
      404,
      {
        message: 'Unknown User',
        code: 10013,
      },
    );
  });

  it('unbans, and answers 10026 Unknown Ban for someone not banned', async () => {
    const world = await seedWorld();
    await api(`/guilds/${world.guildId}/bans/${world.memberId}`, { method: 'PUT', body: '{}' });
    expect((await api(`/guilds/${world.guildId}/bans/${world.memberId}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    await expectError(
      await api(`/guilds/${world.guildId}/bans/${world.memberId}`, { method: 'DELETE' }),
      404,
      {
        message: 'Unknown Ban',
        code: 10026,
      },
    );
    await expectError(await api(`/guilds/${world.guildId}/bans/${world.memberId}`), 404, {
      message: 'Unknown Ban',
      code: 10026,
    });
  });

  it('refuses delete_message_seconds out of range with 50035', async () => {
    const world = await seedWorld();
    await expectError(
      await api(`/guilds/${world.guildId}/bans/${world.memberId}`, {
        method: 'PUT',
        body: JSON.stringify({ delete_message_seconds: 604_801 }),
      }),
      400,
      {
        message: 'Invalid Form Body',
        code: 50035,
        errors: {
          delete_message_seconds: {
            _errors: [
              { code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 604800.' },
            ],
          },
        },
      },
    );
    const snapshot = await controlJson<GuildSnapshot>(`/guilds/${world.guildId}`);
    expect(snapshot.bans).toEqual([]);
  });

  it('refuses an audit-log reason over 512 characters', async () => {
    const world = await seedWorld();
    const response = await api(`/guilds/${world.guildId}/bans/${world.memberId}`, {
      method: 'PUT',
      body: '{}',
      headers: { 'x-audit-log-reason': encodeURIComponent('x'.repeat(513)) },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 50035, errors: { audit_log_reason: {} } });
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

describe('DMs', () => {
  it('opens a stable DM channel and delivers to a user with open DMs', async () => {
    const world = await seedWorld();
    const open = async () =>
      json<{ id: string; type: number; recipients: { id: string }[] }>(
        await api('/users/@me/channels', {
          method: 'POST',
          body: JSON.stringify({ recipient_id: world.memberId }),
        }),
      );
    const channel = await open();
    expect(channel).toMatchObject({ type: 1, recipients: [{ id: world.memberId }] });
    expect((await open()).id).toBe(channel.id);

    const sent = await api(`/channels/${channel.id}/messages`, {
      method: 'POST',
      body: JSON.stringify({ content: 'You were warned in Test Guild.' }),
    });
    expect(sent.status).toBe(200);
    expect(await json(sent)).toMatchObject({
      channel_id: channel.id,
      author: { id: APP_ID },
      content: 'You were warned in Test Guild.',
    });
    const dm = await controlJson<{ channel: { id: string }; messages: SandboxMessage[] }>(
      `/users/${world.memberId}/dm`,
    );
    expect(dm.channel.id).toBe(channel.id);
    expect(dm.messages.map((message) => message.content)).toEqual(['You were warned in Test Guild.']);
  });

  it('answers 50007 when the user has closed their DMs', async () => {
    const world = await seedWorld();
    const channel = await json<{ id: string }>(
      await api('/users/@me/channels', {
        method: 'POST',
        body: JSON.stringify({ recipient_id: world.closedDmId }),
      }),
    );
    await expectError(
      await api(`/channels/${channel.id}/messages`, {
        method: 'POST',
        body: JSON.stringify({ content: 'hello' }),
      }),
      403,
      { message: 'Cannot send messages to this user', code: 50007 },
    );
    expect((await controlJson<SandboxMessage[]>(`/channels/${channel.id}/messages`)).length).toBe(0);
  });

  it('answers 50007 once the bot no longer shares a guild with the user', async () => {
    const world = await seedWorld();
    const channel = await json<{ id: string }>(
      await api('/users/@me/channels', {
        method: 'POST',
        body: JSON.stringify({ recipient_id: world.memberId }),
      }),
    );
    await api(`/guilds/${world.guildId}/members/${world.memberId}`, { method: 'DELETE' });
    const response = await api(`/channels/${channel.id}/messages`, {
      method: 'POST',
      body: JSON.stringify({ content: 'bye' }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 50007 });
  });

  it('deletes its own message, then answers 10008', async () => {
    const world = await seedWorld();
    const sent = await json<{ id: string }>(
      await api(`/channels/${world.channelId}/messages`, {
        method: 'POST',
        body: JSON.stringify({ content: 'x' }),
      }),
    );
    expect((await api(`/channels/${world.channelId}/messages/${sent.id}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    await expectError(
      await api(`/channels/${world.channelId}/messages/${sent.id}`, { method: 'DELETE' }),
      404,
      {
        message: 'Unknown Message',
        code: 10008,
      },
    );
  });
});

describe('webhooks', () => {
  it('creates a webhook shaped as Discord returns it', async () => {
    const world = await seedWorld();
    const webhook = await createWebhook(world.channelId);
    expect(webhook).toMatchObject({
      type: 1,
      channel_id: world.channelId,
      guild_id: world.guildId,
      name: 'Lockdown mod-log',
      application_id: APP_ID,
      user: { id: APP_ID },
    });
    expect(webhook.token).toMatch(/^[\w-]{60,}$/);
    expect(webhook.url).toBe(`https://discord.com/api/webhooks/${webhook.id}/${webhook.token}`);
    const snapshot = await controlJson<GuildSnapshot>(`/guilds/${world.guildId}`);
    expect(snapshot.webhooks.map((w) => w.id)).toEqual([webhook.id]);
  });

  it('refuses bad names, unknown channels and a bot without Manage Webhooks', async () => {
    const world = await seedWorld();
    const create = (channelId: string, name: unknown) =>
      api(`/channels/${channelId}/webhooks`, { method: 'POST', body: JSON.stringify({ name }) });
    await expectError(await create(world.channelId, 'Clyde logs'), 400, {
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        name: {
          _errors: [{ code: 'USERNAME_INVALID_CONTAINS', message: 'Username cannot contain "clyde"' }],
        },
      },
    });
    expect(await json(await create(world.channelId, 'x'.repeat(81)))).toMatchObject({
      code: 50035,
      errors: { name: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } },
    });
    await expectError(await create(snowflake(), 'logs'), 404, { message: 'Unknown Channel', code: 10003 });

    const channelId = snowflake();
    await seedWorld({
      ownerId: snowflake(),
      roles: [{ id: world.botRoleId, position: 10, permissions: bits(PermissionFlagsBits.BanMembers) }],
      members: [],
      channels: [{ id: channelId, name: 'logs' }],
      botRoleIds: [world.botRoleId],
    });
    await expectError(await create(channelId, 'logs'), 403, { message: 'Missing Permissions', code: 50013 });
  });

  it('executes: 204 without wait, the message with wait=true; both kept in the channel', async () => {
    const world = await seedWorld();
    const webhook = await createWebhook(world.channelId);
    const path = `/webhooks/${webhook.id}/${webhook.token}`;
    const embed = { title: 'Member banned', description: `<@${world.memberId}>`, color: 0xed4245 };
    const first = await api(path, {
      bot: false,
      method: 'POST',
      body: JSON.stringify({ embeds: [embed], allowed_mentions: { parse: [] } }),
    });
    expect(first.status).toBe(204);
    const second = await api(`${path}?wait=true`, {
      bot: false,
      method: 'POST',
      body: JSON.stringify({ content: 'second', allowed_mentions: { parse: [] } }),
    });
    expect(second.status).toBe(200);
    const message = await json<{
      id: string;
      webhook_id: string;
      channel_id: string;
      author: { id: string };
    }>(second);
    expect(message).toMatchObject({
      webhook_id: webhook.id,
      channel_id: world.channelId,
      author: { id: webhook.id },
    });
    expect(message).not.toHaveProperty('allowed_mentions');

    const history = await controlJson<SandboxMessage[]>(`/channels/${world.channelId}/messages`);
    expect(history).toEqual([
      expect.objectContaining({
        content: '',
        embeds: [{ type: 'rich', ...embed }],
        allowed_mentions: { parse: [] },
        webhook_id: webhook.id,
        edited_timestamp: null,
      }),
      expect.objectContaining({ id: message.id, content: 'second' }),
    ]);
    const [recorded] = await requests(`/webhooks/${webhook.id}/`);
    expect(recorded).toMatchObject({ method: 'POST', query: {}, status: 204 });
    expect(recorded?.headers.authorization).toBeUndefined();
  });

  it('edits, reads and deletes a webhook message in place', async () => {
    const world = await seedWorld();
    const webhook = await createWebhook(world.channelId);
    const base = `/webhooks/${webhook.id}/${webhook.token}`;
    const sent = await json<{ id: string }>(
      await api(`${base}?wait=true`, { bot: false, method: 'POST', body: JSON.stringify({ content: 'v1' }) }),
    );
    const edited = await api(`${base}/messages/${sent.id}`, {
      bot: false,
      method: 'PATCH',
      body: JSON.stringify({ content: 'v2' }),
    });
    expect(edited.status).toBe(200);
    expect(await json(edited)).toMatchObject({
      id: sent.id,
      content: 'v2',
      edited_timestamp: expect.any(String),
    });
    expect(await json(await api(`${base}/messages/${sent.id}`, { bot: false }))).toMatchObject({
      content: 'v2',
    });
    const history = await controlJson<SandboxMessage[]>(`/channels/${world.channelId}/messages`);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ content: 'v2', edited_timestamp: expect.any(String) });

    expect((await api(`${base}/messages/${sent.id}`, { bot: false, method: 'DELETE' })).status).toBe(204);
    await expectError(await api(`${base}/messages/${sent.id}`, { bot: false }), 404, {
      message: 'Unknown Message',
      code: 10008,
    });
    await expectError(
      await api(`${base}/messages/${snowflake()}`, { bot: false, method: 'PATCH', body: '{"content":"x"}' }),
      404,
      { message: 'Unknown Message', code: 10008 },
    );
  });

  it('answers 10015 for an unknown webhook and 50027 for a wrong token', async () => {
    const world = await seedWorld();
    const webhook = await createWebhook(world.channelId);
    const body = JSON.stringify({ content: 'x' });
    await expectError(
      await api(`/webhooks/${snowflake()}/${webhook.token}`, { bot: false, method: 'POST', body }),
      404,
      {
        message: 'Unknown Webhook',
        code: 10015,
      },
    );
    await expectError(
      await api(`/webhooks/${webhook.id}/wrong-token`, { bot: false, method: 'POST', body }),
      401,
      {
        message: 'Invalid Webhook Token',
        code: 50027,
      },
    );
    await expectError(await api(`/webhooks/${webhook.id}/wrong-token`, { bot: false }), 401, {
      message: 'Invalid Webhook Token',
      code: 50027,
    });
  });

  it('gets a webhook by token without auth (no user) and by id with the bot token (with user)', async () => {
    const world = await seedWorld();
    const webhook = await createWebhook(world.channelId);
    const byToken = await json<Record<string, unknown>>(
      await api(`/webhooks/${webhook.id}/${webhook.token}`, { bot: false }),
    );
    expect(byToken).toMatchObject({ id: webhook.id, token: webhook.token, channel_id: world.channelId });
    expect(byToken).not.toHaveProperty('user');
    expect(await json(await api(`/webhooks/${webhook.id}`))).toMatchObject({
      id: webhook.id,
      user: { id: APP_ID },
    });
    expect((await api(`/webhooks/${webhook.id}`, { bot: false })).status).toBe(401);
  });

  it('deletes by id (bot) and by token; a webhook deleted in the channel settings is gone', async () => {
    const world = await seedWorld();
    const one = await createWebhook(world.channelId, 'one');
    const two = await createWebhook(world.channelId, 'two');
    const three = await createWebhook(world.channelId, 'three');
    expect((await api(`/webhooks/${one.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/webhooks/${two.id}/${two.token}`, { bot: false, method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await control(`/webhooks/${three.id}`, { method: 'DELETE' })).status).toBe(204);
    for (const webhook of [one, two, three]) {
      await expectError(
        await api(`/webhooks/${webhook.id}/${webhook.token}`, {
          bot: false,
          method: 'POST',
          body: '{"content":"x"}',
        }),
        404,
        { message: 'Unknown Webhook', code: 10015 },
      );
    }
    expect((await controlJson<GuildSnapshot>(`/guilds/${world.guildId}`)).webhooks).toEqual([]);
  });

  it('seeds webhooks with a known id and token', async () => {
    const channelId = snowflake();
    const webhookId = snowflake();
    const guildId = snowflake();
    await controlJson(`/guilds/${guildId}`, 'PUT', {
      ownerId: snowflake(),
      roles: [],
      members: [],
      channels: [{ id: channelId, name: 'mod-logs' }],
      webhooks: [{ id: webhookId, token: 'seeded-token', channel_id: channelId }],
    } satisfies GuildSeed);
    const response = await api(`/webhooks/${webhookId}/seeded-token?wait=true`, {
      bot: false,
      method: 'POST',
      body: JSON.stringify({ content: 'hello' }),
    });
    expect(response.status).toBe(200);
  });

  it('refuses an empty message with 50006', async () => {
    const world = await seedWorld();
    const webhook = await createWebhook(world.channelId);
    await expectError(
      await api(`/webhooks/${webhook.id}/${webhook.token}`, {
        bot: false,
        method: 'POST',
        body: JSON.stringify({ embeds: [] }),
      }),
      400,
      { message: 'Cannot send an empty message', code: 50006 },
    );
  });
});

describe('get channel messages', () => {
  /** A guild whose bot role has exactly these permissions, with one channel. */
  async function readerGuild(permissions: string) {
    const guildId = snowflake();
    const channelId = snowflake();
    const roleId = snowflake();
    await controlJson(`/guilds/${guildId}`, 'PUT', {
      name: 'Reader',
      ownerId: snowflake(),
      roles: [{ id: roleId, name: 'Lockdown', position: 10, permissions }],
      members: [],
      channels: [{ id: channelId, name: 'mod-logs' }],
      botRoleIds: [roleId],
    });
    return { guildId, channelId };
  }

  it('lists newest first, pages with after / before / around and limit, and shows webhook posts with webhook_id', async () => {
    const guild = await readerGuild(
      bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ReadMessageHistory),
    );
    const webhook = await controlJson<{ id: string; token: string }>(
      `/channels/${guild.channelId}/webhooks`,
      'POST',
      { name: 'Lockdown' },
    );
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const posted = await api(`/webhooks/${webhook.id}/${webhook.token}?wait=true`, {
        method: 'POST',
        body: JSON.stringify({ content: `line ${i}` }),
      });
      ids.push((await json<{ id: string }>(posted)).id);
    }
    const list = async (query: string) =>
      (
        await json<{ id: string; webhook_id?: string }[]>(
          await api(`/channels/${guild.channelId}/messages${query}`),
        )
      ).map((m) => ids.indexOf(m.id));
    expect(await list('')).toEqual([4, 3, 2, 1, 0]);
    expect(await list('?limit=2')).toEqual([4, 3]);
    expect(await list(`?after=${ids[0]}&limit=2`)).toEqual([2, 1]);
    expect(await list(`?before=${ids[3]}`)).toEqual([2, 1, 0]);
    expect(await list(`?around=${ids[2]}&limit=3`)).toEqual([3, 2, 1]);
    const [newest] = await json<{ webhook_id?: string }[]>(
      await api(`/channels/${guild.channelId}/messages`),
    );
    expect(newest?.webhook_id).toBe(webhook.id);
    await expectError(await api(`/channels/${guild.channelId}/messages?limit=101`), 400, {
      code: 50035,
      message: 'Invalid Form Body',
      errors: {
        limit: {
          _errors: [{ code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 100.' }],
        },
      },
    });
  });

  it('needs View Channel (50001); without Read Message History the list is empty, as Discord answers', async () => {
    const blind = await readerGuild('0');
    await expectError(await api(`/channels/${blind.channelId}/messages`), 403, {
      code: 50001,
      message: 'Missing Access',
    });
    const forgetful = await readerGuild(bits(PermissionFlagsBits.ViewChannel));
    await controlJson(`/channels/${forgetful.channelId}/webhooks`, 'POST', { name: 'Lockdown' });
    expect(await json(await api(`/channels/${forgetful.channelId}/messages`))).toEqual([]);
    expect((await api(`/channels/${forgetful.channelId}/messages`, { bot: false })).status).toBe(401);
  });
});

describe('message limits', () => {
  async function execute(payload: unknown) {
    const world = await seedWorld();
    const webhook = await createWebhook(world.channelId);
    const response = await api(`/webhooks/${webhook.id}/${webhook.token}`, {
      bot: false,
      method: 'POST',
      body: JSON.stringify(payload),
    });
    const history = await controlJson<SandboxMessage[]>(`/channels/${world.channelId}/messages`);
    return { response, history };
  }

  it('refuses 11 embeds', async () => {
    const { response, history } = await execute({
      embeds: Array.from({ length: 11 }, (_, i) => ({ title: `#${i}` })),
    });
    await expectError(response, 400, {
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        embeds: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' }] },
      },
    });
    expect(history).toEqual([]);
  });

  it('refuses 6001 characters across the embeds', async () => {
    const { response } = await execute({
      embeds: [{ description: 'd'.repeat(4096) }, { description: 'd'.repeat(1905) }],
    });
    await expectError(response, 400, {
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        embeds: {
          _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' }],
        },
      },
    });
  });

  it('accepts exactly 6000 characters', async () => {
    const { response } = await execute({
      embeds: [{ description: 'd'.repeat(4096) }, { description: 'd'.repeat(1904) }],
    });
    expect(response.status).toBe(204);
  });

  it('refuses a 1025-character field value', async () => {
    const { response } = await execute({
      embeds: [{ fields: [{ name: 'Reason', value: 'r'.repeat(1025) }] }],
    });
    await expectError(response, 400, {
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        embeds: {
          0: {
            fields: {
              0: {
                value: {
                  _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 1024 or fewer in length.' }],
                },
              },
            },
          },
        },
      },
    });
  });

  it('refuses content over 2000 characters', async () => {
    const { response } = await execute({ content: 'c'.repeat(2001) });
    expect(await json(response)).toMatchObject({
      code: 50035,
      errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } },
    });
  });
});

describe('interactions', () => {
  it('keeps the original response and follow-ups per interaction token, without auth', async () => {
    const token = `aW50ZXJhY3Rpb246${snowflake()}`;
    const base = `/webhooks/${APP_ID}/${token}`;
    await expectError(await api(`${base}/messages/@original`, { bot: false }), 404, {
      message: 'Unknown Message',
      code: 10008,
    });

    const first = await api(`${base}/messages/@original`, {
      bot: false,
      method: 'PATCH',
      body: JSON.stringify({ content: 'Banning…' }),
    });
    expect(first.status).toBe(200);
    const edited = await api(`${base}/messages/@original`, {
      bot: false,
      method: 'PATCH',
      body: JSON.stringify({ content: 'Banned <@1>. Case #12.', allowed_mentions: { parse: [] }, flags: 64 }),
    });
    expect(await json(edited)).toMatchObject({ content: 'Banned <@1>. Case #12.', flags: 64 });
    const followup = await api(base, {
      bot: false,
      method: 'POST',
      body: JSON.stringify({ content: 'DM could not be sent.' }),
    });
    expect(followup.status).toBe(200);
    expect(await json(await api(`${base}/messages/@original`, { bot: false }))).toMatchObject({
      content: 'Banned <@1>. Case #12.',
    });

    const messages = await controlJson<InteractionMessage[]>(`/interactions/${token}`);
    expect(messages.map((message) => [message.original, message.content])).toEqual([
      [true, 'Banned <@1>. Case #12.'],
      [false, 'DM could not be sent.'],
    ]);
    expect(messages[0]?.allowed_mentions).toEqual({ parse: [] });
    expect(await controlJson<InteractionMessage[]>(`/interactions/never-used-${snowflake()}`)).toEqual([]);
  });

  it('validates interaction messages like any other', async () => {
    const token = `token-${snowflake()}`;
    const response = await api(`/webhooks/${APP_ID}/${token}/messages/@original`, {
      bot: false,
      method: 'PATCH',
      body: JSON.stringify({ embeds: Array.from({ length: 11 }, () => ({ title: 'x' })) }),
    });
    expect(response.status).toBe(400);
  });
});

describe('application commands', () => {
  it('bulk-overwrites guild and global commands, keeping ids by name', async () => {
    const world = await seedWorld();
    const path = `/applications/${APP_ID}/guilds/${world.guildId}/commands`;
    const first = await json<{ id: string; name: string; application_id: string; guild_id: string }[]>(
      await api(path, {
        method: 'PUT',
        body: JSON.stringify([
          { name: 'ban', description: 'Ban a member', default_member_permissions: '4' },
          { name: 'kick', description: 'Kick a member' },
        ]),
      }),
    );
    expect(first).toEqual([
      expect.objectContaining({
        name: 'ban',
        application_id: APP_ID,
        guild_id: world.guildId,
        default_member_permissions: '4',
      }),
      expect.objectContaining({ name: 'kick', default_member_permissions: null }),
    ]);
    const second = await json<{ id: string; name: string }[]>(
      await api(path, {
        method: 'PUT',
        body: JSON.stringify([{ name: 'ban', description: 'Ban a member' }]),
      }),
    );
    expect(second.map((command) => [command.name, command.id])).toEqual([['ban', first[0]?.id]]);
    expect(await json(await api(path))).toEqual(second);

    const global = await api(`/applications/${APP_ID}/commands`, {
      method: 'PUT',
      body: JSON.stringify([{ name: 'warn', description: 'Warn a member' }]),
    });
    expect(global.status).toBe(200);
    await expectError(
      await api(`/applications/${snowflake()}/commands`, { method: 'PUT', body: '[]' }),
      403,
      { message: 'Missing Access', code: 50001 },
    );
    expect(
      (await api(path, { method: 'PUT', body: JSON.stringify([{ name: 'Bad Name', description: 'x' }]) }))
        .status,
    ).toBe(400);
  });
});

describe('faults', () => {
  const addFault = (spec: FaultSpec) => controlJson<{ id: string }>('/faults', 'POST', spec);

  it('answers the next `count` matching requests with the status, as Discord would, then recovers', async () => {
    const world = await seedWorld();
    await addFault({ method: 'PUT', path: `^/guilds/${world.guildId}/bans/`, count: 2, status: 500 });
    const ban = () => api(`/guilds/${world.guildId}/bans/${world.memberId}`, { method: 'PUT', body: '{}' });
    await expectError(await ban(), 500, { message: '500: Internal Server Error', code: 0 });
    await expectError(await ban(), 500, { message: '500: Internal Server Error', code: 0 });
    // A fault changes no state.
    expect((await controlJson<GuildSnapshot>(`/guilds/${world.guildId}`)).bans).toEqual([]);
    expect((await ban()).status).toBe(204);
  });

  it("gives 502 as Cloudflare's HTML page and 503 as the proxy's plain text", async () => {
    const id = snowflake();
    await addFault({ path: `^/users/${id}$`, count: 1, status: 502 });
    await addFault({ path: `^/users/${id}$`, count: 1, status: 503 });
    const gateway = await api(`/users/${id}`);
    expect(gateway.status).toBe(502);
    expect(gateway.headers.get('content-type')).toBe('text/html');
    expect(await gateway.text()).toContain('502 Bad Gateway');
    const unavailable = await api(`/users/${id}`);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('content-type')).toBe('text/plain');
  });

  it('answers a 429 fault with retry_after and the rate-limit headers', async () => {
    const world = await seedWorld();
    const webhook = await createWebhook(world.channelId);
    await addFault({ path: `^/webhooks/${webhook.id}/`, count: 1, status: 429, retryAfter: 3.5 });
    const response = await api(`/webhooks/${webhook.id}/${webhook.token}`, {
      bot: false,
      method: 'POST',
      body: '{"content":"x"}',
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('4');
    expect(response.headers.get('x-ratelimit-scope')).toBe('user');
    expect(await response.json()).toEqual({
      message: 'You are being rate limited.',
      retry_after: 3.5,
      global: false,
    });

    await addFault({ path: `^/webhooks/${webhook.id}/`, count: 1, status: 429, retryAfter: 1, global: true });
    const global = await api(`/webhooks/${webhook.id}/${webhook.token}`, {
      bot: false,
      method: 'POST',
      body: '{"content":"x"}',
    });
    expect(global.headers.get('x-ratelimit-global')).toBe('true');
    expect(await global.json()).toMatchObject({ global: true });
  });

  it('uses a custom code and message when given', async () => {
    const id = snowflake();
    await addFault({ path: `^/users/${id}$`, count: 1, status: 403, code: 50001, message: 'Missing Access' });
    await expectError(await api(`/users/${id}`), 403, { message: 'Missing Access', code: 50001 });
  });

  it('hangs with status 0 until the client gives up, recording the request unanswered', async () => {
    const world = await seedWorld();
    await addFault({ path: `^/guilds/${world.guildId}$`, count: 1, status: 0 });
    const started = Date.now();
    await expect(api(`/guilds/${world.guildId}`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const [recorded] = await requests(`/guilds/${world.guildId}`);
    expect(recorded?.status).toBe(0);
    expect((await api(`/guilds/${world.guildId}`)).status).toBe(200);
  });

  it('delays an answer by delayMs', async () => {
    const id = snowflake();
    await addFault({ path: `^/users/${id}$`, count: 1, status: 500, delayMs: 200 });
    const started = Date.now();
    expect((await api(`/users/${id}`)).status).toBe(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('with passThrough carries the request out but answers late (Discord did it, the client timed out)', async () => {
    const world = await seedWorld();
    await addFault({ path: `^/guilds/${world.guildId}/bans/`, count: 1, status: 0, passThrough: true });
    await expect(
      api(`/guilds/${world.guildId}/bans/${world.memberId}`, {
        method: 'PUT',
        body: '{}',
        signal: AbortSignal.timeout(200),
      }),
    ).rejects.toThrow();
    expect(
      (await controlJson<GuildSnapshot>(`/guilds/${world.guildId}`)).bans.map((ban) => ban.user.id),
    ).toEqual([world.memberId]);
  });

  it('with passThrough and drop carries the request out, then drops the connection; with a 5xx, answers it', async () => {
    const world = await seedWorld();
    await addFault({
      path: `^/guilds/${world.guildId}/bans/`,
      count: 1,
      status: 200,
      passThrough: true,
      drop: true,
    });
    await expect(
      api(`/guilds/${world.guildId}/bans/${world.memberId}`, { method: 'PUT', body: '{}' }),
    ).rejects.toThrow();
    await addFault({ path: `^/guilds/${world.guildId}/bans/`, count: 1, status: 503, passThrough: true });
    expect(
      (await api(`/guilds/${world.guildId}/bans/${world.closedDmId}`, { method: 'PUT', body: '{}' })).status,
    ).toBe(503);
    expect(
      (await controlJson<GuildSnapshot>(`/guilds/${world.guildId}`)).bans.map((ban) => ban.user.id).sort(),
    ).toEqual([world.memberId, world.closedDmId].sort());
  });

  it('can be removed before it is spent', async () => {
    const id = snowflake();
    const { id: faultId } = await addFault({ path: `^/users/${id}$`, count: 5, status: 500 });
    expect((await control(`/faults/${faultId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/users/${id}`)).status).toBe(404);
    expect((await control(`/faults/${faultId}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses a malformed fault', async () => {
    const response = await control('/faults', {
      method: 'POST',
      body: JSON.stringify({ path: '(', count: 1, status: 500 }),
    });
    expect(response.status).toBe(400);
  });
});

describe('request log', () => {
  it('filters by path substring and sequence, in arrival order, with query and body', async () => {
    const world = await seedWorld();
    await api(`/guilds/${world.guildId}/members/${world.memberId}`);
    const [first] = await requests(world.guildId);
    await api(`/guilds/${world.guildId}?with_counts=true`);
    await api(`/guilds/${world.guildId}/bans/${world.memberId}`, {
      method: 'PUT',
      body: JSON.stringify({ delete_message_seconds: 0 }),
    });

    const all = await requests(world.guildId);
    expect(all.map((r) => [r.method, r.path])).toEqual([
      ['GET', `/guilds/${world.guildId}/members/${world.memberId}`],
      ['GET', `/guilds/${world.guildId}`],
      ['PUT', `/guilds/${world.guildId}/bans/${world.memberId}`],
    ]);
    expect(all[1]?.query).toEqual({ with_counts: 'true' });
    expect(all[2]?.body).toEqual({ delete_message_seconds: 0 });
    expect(all.every((r, i) => i === 0 || r.seq > (all[i - 1]?.seq ?? 0))).toBe(true);
    const later = await requests(world.guildId, first?.seq);
    expect(later.map((r) => r.method)).toEqual(['GET', 'PUT']);
    expect(typeof later[0]?.at).toBe('number');
  });
});

describe('rate limits (injected clock)', () => {
  let clockMs = 1_800_000_000_000;
  let limited: DiscordStandIn;
  const limitedClient = client(() => limited);

  beforeAll(async () => {
    limited = await startDiscordStandIn({ botToken: BOT_TOKEN, applicationId: APP_ID, now: () => clockMs });
  });
  afterAll(async () => {
    await limited.close();
  });

  it('sends the rate-limit headers on bot and webhook responses', async () => {
    const world = await limitedClient.seedWorld();
    const response = await limitedClient.api(`/guilds/${world.guildId}/members/${snowflake()}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
    expect(response.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    expect(response.headers.get('x-ratelimit-reset')).toMatch(/^\d+\.\d{3}$/);
    expect(response.headers.get('x-ratelimit-reset-after')).toMatch(/^\d+\.\d{3}$/);
    expect(response.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('429s the 6th webhook execution within 2 s, changes nothing, and lets it through after the reset', async () => {
    const world = await limitedClient.seedWorld();
    const webhook = await limitedClient.createWebhook(world.channelId);
    const execute = (content: string) =>
      limitedClient.api(`/webhooks/${webhook.id}/${webhook.token}`, {
        bot: false,
        method: 'POST',
        body: JSON.stringify({ content }),
      });
    for (let i = 1; i <= 5; i++) {
      const response = await execute(`#${i}`);
      expect(response.status).toBe(204);
      expect(response.headers.get('x-ratelimit-limit')).toBe('5');
      expect(response.headers.get('x-ratelimit-remaining')).toBe(String(5 - i));
    }
    clockMs += 500;
    const refused = await execute('#6');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(refused.headers.get('x-ratelimit-scope')).toBe('user');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('x-ratelimit-reset-after')).toBe('1.500');
    expect(refused.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{32}$/);
    expect(await refused.json()).toEqual({
      message: 'You are being rate limited.',
      retry_after: 1.5,
      global: false,
    });
    expect(
      await limitedClient.controlJson<SandboxMessage[]>(`/channels/${world.channelId}/messages`),
    ).toHaveLength(5);

    clockMs += 1500;
    expect((await execute('#6 again')).status).toBe(204);
    expect(
      await limitedClient.controlJson<SandboxMessage[]>(`/channels/${world.channelId}/messages`),
    ).toHaveLength(6);
  });

  it('limits webhook messages to 30 a minute per channel, with scope shared', async () => {
    const world = await limitedClient.seedWorld();
    const hooks = [
      await limitedClient.createWebhook(world.channelId, 'a'),
      await limitedClient.createWebhook(world.channelId, 'b'),
    ];
    let sent = 0;
    while (sent < 30) {
      for (const hook of hooks) {
        for (let i = 0; i < 5 && sent < 30; i++, sent++) {
          const response = await limitedClient.api(`/webhooks/${hook.id}/${hook.token}`, {
            bot: false,
            method: 'POST',
            body: JSON.stringify({ content: `${sent}` }),
          });
          expect(response.status).toBe(204);
        }
      }
      clockMs += 2000;
    }
    const refused = await limitedClient.api(`/webhooks/${hooks[0]?.id}/${hooks[0]?.token}`, {
      bot: false,
      method: 'POST',
      body: JSON.stringify({ content: '31' }),
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-ratelimit-scope')).toBe('shared');
    expect(await refused.json()).toMatchObject({
      message: 'The resource is being rate limited.',
      global: false,
    });
    clockMs += 60_000;
  });

  it('enforces the global 50 requests a second per bot token', async () => {
    clockMs += 10_000;
    const world = await limitedClient.seedWorld();
    const statuses: number[] = [];
    for (let i = 0; i < 51; i++) statuses.push((await limitedClient.api(`/users/${world.memberId}`)).status);
    expect(statuses.slice(0, 50).every((status) => status === 200)).toBe(true);
    expect(statuses[50]).toBe(429);
    const refused = await limitedClient.api(`/users/${world.memberId}`);
    expect(refused.headers.get('x-ratelimit-global')).toBe('true');
    expect(refused.headers.get('x-ratelimit-scope')).toBe('global');
    expect(await refused.json()).toMatchObject({ global: true });
    clockMs += 1000;
    expect((await limitedClient.api(`/users/${world.memberId}`)).status).toBe(200);
  });

  it('limits bans per guild', async () => {
    clockMs += 10_000;
    const world = await limitedClient.seedWorld();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (
          await limitedClient.api(`/guilds/${world.guildId}/bans/${world.outsiderId}`, {
            method: 'PUT',
            body: '{}',
          })
        ).status,
      );
    }
    expect(statuses).toEqual([204, 204, 204, 204, 204, 429]);
    const other = await limitedClient.seedWorld();
    expect(
      (
        await limitedClient.api(`/guilds/${other.guildId}/bans/${other.outsiderId}`, {
          method: 'PUT',
          body: '{}',
        })
      ).status,
    ).toBe(204);
  });
});

describe('without rate limits', () => {
  it('never 429s and sends no rate-limit headers', async () => {
    const free = await startDiscordStandIn({ botToken: BOT_TOKEN, applicationId: APP_ID, rateLimits: false });
    try {
      const freeClient = client(() => free);
      const world = await freeClient.seedWorld();
      const webhook = await freeClient.createWebhook(world.channelId);
      for (let i = 0; i < 40; i++) {
        const response = await freeClient.api(`/webhooks/${webhook.id}/${webhook.token}`, {
          bot: false,
          method: 'POST',
          body: JSON.stringify({ content: `${i}` }),
        });
        expect(response.status).toBe(204);
        expect(response.headers.get('x-ratelimit-limit')).toBeNull();
      }
    } finally {
      await free.close();
    }
  });
});

describe('close', () => {
  it('drops hanging connections so it resolves', async () => {
    const own = await startDiscordStandIn({ botToken: BOT_TOKEN, applicationId: APP_ID });
    const ownClient = client(() => own);
    await ownClient.controlJson('/faults', 'POST', { path: '.*', count: 1, status: 0 } satisfies FaultSpec);
    const pending = ownClient.api('/users/@me');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await own.close();
    await expect(pending).rejects.toThrow();
  });
});
