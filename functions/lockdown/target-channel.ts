// The channel a /lockdown, /unlock or /slowmode is about: the `channel` option or the channel the
// command was used in, read from Discord and checked to be this server's and of a kind that can be
// locked. The option's id is never trusted alone: a crafted payload could name another server's.
import type { APIGuildChannel, GuildChannelType } from 'discord-api-types/v10';
import { LOCKABLE_CHANNEL_TYPES } from '../../shared/command-definitions.ts';
import { getChannel } from '../discord/channels.ts';
import { DiscordApiError } from '../discord/rest.ts';
import { CommandError } from '../interactions/errors.ts';
import type { GuildInteraction } from '../interactions/guild-interaction.ts';
import type { CommandOptions } from '../interactions/options.ts';
import type { Services } from '../services.ts';

export async function readTargetChannel(
  services: Services,
  interaction: GuildInteraction,
  options: CommandOptions,
): Promise<APIGuildChannel<GuildChannelType>> {
  const channelId = options.channel('channel') ?? interaction.channel?.id ?? interaction.channel_id ?? null;
  if (!channelId || !/^\d{1,20}$/.test(channelId))
    throw new CommandError('invalid_option', 'Pick a channel.');
  const channel = await getChannel(services.discord, channelId).catch((error: unknown) => {
    if (error instanceof DiscordApiError && error.status === 404) {
      throw new CommandError('not_found', 'That channel does not exist (any more).');
    }
    throw error;
  });
  if (!('guild_id' in channel) || channel.guild_id !== interaction.guild_id) {
    throw new CommandError('invalid_option', 'That channel is not in this server.');
  }
  if (!(LOCKABLE_CHANNEL_TYPES as readonly number[]).includes(channel.type)) {
    throw new CommandError(
      'invalid_option',
      'Only text, announcement and forum channels can be changed this way.',
    );
  }
  return channel as APIGuildChannel<GuildChannelType>;
}
