// What the Discord stand-in's own HTTP tests share (test/node/discord-{routing,guilds-members,bans,
// dms,channel-history,message-limits,webhooks,interactions,faults,rate-limits}.test.ts): a client whose
// `api` takes fetch's init (`bot: false` sends no token; a raw body, malformed JSON included, goes
// as given), the control API, a seeded guild where the bot moderates, webhooks, the request log, and
// Discord's whole error body checked. `useStandIn` gives a test file its own stand-in without rate
// limits (the files send far more than Discord's 50 requests a second; the limits are tested on a
// stand-in of their own, on an injected clock). Snowflakes and permission bits: discord-client.ts.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  type DiscordStandIn,
  type GuildSeed,
  type RecordedRequest,
  startDiscordStandIn,
} from '../../dev/discord/server.ts';
import { bits, snowflake } from '../node/discord-client.ts';

export { bits, snowflake };

export const BOT_TOKEN = 'stand-in-test-token';
export const APP_ID = '1100000000000000777';
const auth = { authorization: `Bot ${BOT_TOKEN}` };

export const MOD_PERMISSIONS = bits(
  PermissionFlagsBits.BanMembers,
  PermissionFlagsBits.KickMembers,
  PermissionFlagsBits.ModerateMembers,
  PermissionFlagsBits.ManageWebhooks,
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
);
export const DAY_MS = 24 * 60 * 60 * 1000;

export interface World {
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

export async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

export type StandInClient = ReturnType<typeof client>;

/** The clients of the stand-in `standIn()` returns (read at each call, so it may start later). */
export function client(standIn: () => DiscordStandIn) {
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

/** Starts a stand-in without rate limits for the test file (beforeAll/afterAll) and gives its clients. */
export function useStandIn(): StandInClient & { standIn: () => DiscordStandIn } {
  let standIn: DiscordStandIn;
  beforeAll(async () => {
    standIn = await startDiscordStandIn({ botToken: BOT_TOKEN, applicationId: APP_ID, rateLimits: false });
  });
  afterAll(async () => {
    await standIn.close();
  });
  return { ...client(() => standIn), standIn: () => standIn };
}

/** A Discord error answer: its status, a JSON content type, and exactly this body. */
export async function expectError(response: Response, status: number, body: Record<string, unknown>) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(await response.json()).toEqual(body);
}
