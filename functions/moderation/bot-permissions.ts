// The bot's permissions read from Discord, for what runs outside the channel an interaction came
// from: the dashboard (no channel at all) and /modlog set naming another channel. The guild's roles
// and the bot's member give its server-wide permissions; a channel's overwrites, its permissions
// there (channel-permissions.ts does the arithmetic).

import { guildPermissions } from '../../shared/permissions.ts';
import { getGuild, getMember } from '../discord/api.ts';
import { getChannel } from '../discord/channels.ts';
import type { Services } from '../services.ts';
import { type BotInGuild, botChannelPermissions } from './channel-permissions.ts';

/** The guild's roles and the bot's own (two reads). */
export async function readBotInGuild(services: Services, guildId: string): Promise<BotInGuild> {
  const [guild, bot] = await Promise.all([
    getGuild(services.discord, guildId),
    getMember(services.discord, guildId, services.applicationId),
  ]);
  return {
    guildId,
    botId: services.applicationId,
    roles: guild.roles.map((role) => ({ id: role.id, permissions: role.permissions })),
    botRoleIds: bot.roles,
  };
}

/** The bot's server-wide permissions (its roles and @everyone's; no channel's overwrites). */
export async function botGuildPermissions(services: Services, guildId: string): Promise<string> {
  const bot = await readBotInGuild(services, guildId);
  return guildPermissions(guildId, bot.roles, bot.botRoleIds);
}

/** The bot's permissions in `channelId`; null when the channel is not one of this server's. */
export async function botPermissionsInChannel(
  services: Services,
  guildId: string,
  channelId: string,
): Promise<string | null> {
  const [bot, channel] = await Promise.all([
    readBotInGuild(services, guildId),
    getChannel(services.discord, channelId),
  ]);
  if (!('guild_id' in channel) || channel.guild_id !== guildId) return null;
  return botChannelPermissions(
    bot,
    'permission_overwrites' in channel ? (channel.permission_overwrites ?? []) : [],
  );
}
