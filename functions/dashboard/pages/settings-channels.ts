// The channels the dashboard offers for the mod-log, read from Discord with the bot token: the
// server's text and announcement channels (the types `/modlog set channel` accepts), each with the
// bot's permissions there (moderation/channel-permissions.ts) and what it lacks of what
// `/modlog set` needs. Three reads: the guild (roles), the bot's member (its roles), the channels.
import { MODLOG_CHANNEL_TYPES } from '../../../shared/commands/moderation.ts';
import { missingPermissions, type PermissionName } from '../../../shared/permissions.ts';
import { MODLOG_BOT_PERMISSIONS } from '../../commands/modlog/modlog-change.ts';
import { type GuildChannel, listGuildChannels } from '../../discord/channels.ts';
import { readBotInGuild } from '../../moderation/bot-permissions.ts';
import { botChannelPermissions } from '../../moderation/channel-permissions.ts';
import type { Services } from '../../services.ts';

export interface ModlogChannelChoice {
  id: string;
  name: string;
  /** The bot's permissions there (a decimal string), as an interaction's `app_permissions`. */
  botPermissions: string;
  /** What `/modlog set` needs that the bot lacks there; empty when the channel can be chosen. */
  missing: PermissionName[];
}

const accepted: readonly number[] = MODLOG_CHANNEL_TYPES;

/** Where the client lists a channel (threads have no position; none is listed here). */
const position = (channel: GuildChannel) =>
  'position' in channel && typeof channel.position === 'number' ? channel.position : 0;

export async function modlogChannelChoices(
  services: Services,
  guildId: string,
): Promise<ModlogChannelChoice[]> {
  const [inGuild, channels] = await Promise.all([
    readBotInGuild(services, guildId),
    listGuildChannels(services.discord, guildId),
  ]);
  return channels
    .filter((channel) => accepted.includes(channel.type))
    .sort((a, b) => position(a) - position(b) || a.id.localeCompare(b.id))
    .map((channel) => {
      const botPermissions = botChannelPermissions(inGuild, channel.permission_overwrites ?? []);
      return {
        id: channel.id,
        name: channel.name ?? channel.id,
        botPermissions,
        missing: missingPermissions(botPermissions, MODLOG_BOT_PERMISSIONS),
      };
    });
}
