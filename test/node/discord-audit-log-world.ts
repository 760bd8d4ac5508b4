// The guild the audit-log tests of the Discord stand-in share (discord-audit-log*.test.ts): a bot
// with every moderation permission, a moderator, a member without permissions, targets, a channel,
// and readers for Get Guild Audit Log.
import type { APIAuditLog } from 'discord-api-types/v10';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { expect } from 'vitest';
import type { GuildSeed } from '../../dev/discord/server.ts';
import { bits, snowflake, type standInClient } from './discord-client.ts';

export interface World {
  guildId: string;
  ownerId: string;
  botRoleId: string;
  modId: string;
  plainId: string;
  targets: string[];
  outsiderId: string;
  channelId: string;
}

export const BOT_PERMISSIONS = bits(
  P.BanMembers,
  P.KickMembers,
  P.ModerateMembers,
  P.ManageChannels,
  P.ManageRoles,
  P.ManageWebhooks,
  P.ManageMessages,
  P.ManageGuild,
  P.ViewAuditLog,
  P.ViewChannel,
  P.SendMessages,
  P.ReadMessageHistory,
);

type Client = ReturnType<typeof standInClient>;

export async function seedWorld(client: Client, botPermissions = BOT_PERMISSIONS): Promise<World> {
  const w: World = {
    guildId: snowflake(),
    ownerId: snowflake(),
    botRoleId: snowflake(),
    modId: snowflake(),
    plainId: snowflake(),
    targets: [snowflake(), snowflake(), snowflake(), snowflake()],
    outsiderId: snowflake(),
    channelId: snowflake(),
  };
  const modRole = snowflake();
  const seed: GuildSeed = {
    ownerId: w.ownerId,
    roles: [
      { id: w.guildId, name: '@everyone', position: 0, permissions: bits(P.ViewChannel, P.SendMessages) },
      { id: modRole, position: 4, permissions: bits(P.BanMembers, P.KickMembers, P.ModerateMembers) },
      { id: w.botRoleId, position: 5, permissions: botPermissions },
    ],
    members: [
      { user: { id: w.modId, username: 'moderator' }, roles: [modRole] },
      { user: { id: w.plainId, username: 'plain' }, roles: [] },
      ...w.targets.map((id, n) => ({ user: { id, username: `target-${n}` }, roles: [] })),
    ],
    users: [{ id: w.outsiderId, username: 'outsider' }],
    channels: [{ id: w.channelId, name: 'general' }],
    botRoleIds: [w.botRoleId],
  };
  await client.control(`/guilds/${w.guildId}`, 'PUT', seed);
  return w;
}

/** Get Guild Audit Log with the bot token; expects 200. */
export async function readLog(client: Client, w: World, query = ''): Promise<APIAuditLog> {
  const response = await client.api(`/guilds/${w.guildId}/audit-logs${query ? `?${query}` : ''}`);
  expect(response.status, `GET audit-logs?${query}`).toBe(200);
  return (await response.json()) as APIAuditLog;
}
