// How the sandbox page shows the guild's channels to one viewer, as Discord's client decides it:
// which channels they can see, whether they can write (the composer is disabled otherwise), whether
// @everyone is locked out of writing (the padlock), whether @everyone cannot see it (a private
// channel), and the slowmode. Pure, over the stand-in's guild snapshot and its own permission code.
import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import type { GuildSnapshot } from '../discord/server.ts';
import { memberPermissions } from './command-options.ts';

export interface ChannelView {
  id: string;
  name: string;
  type: number;
  position: number;
  /** @everyone's overwrite denies Send Messages (a lockdown, or a read-only channel). */
  locked: boolean;
  /** @everyone's overwrite denies View Channel. */
  private: boolean;
  /** Seconds between messages for members without Manage Messages / Manage Channels; 0 = off. */
  slowmode: number;
  /** Whether slowmode applies to the viewer (Discord exempts Manage Messages and Manage Channels). */
  slowmodeApplies: boolean;
  canView: boolean;
  canSend: boolean;
}

const has = (bits: bigint, bit: bigint) => (bits & bit) === bit;

export function channelViews(guild: GuildSnapshot, viewerId: string): ChannelView[] {
  return guild.channels
    .filter((c) => c.type !== ChannelType.GuildCategory)
    .map((channel, index) => {
      const everyone = (channel.permission_overwrites ?? []).find((o) => o.type === 0 && o.id === guild.id);
      const denied = BigInt(everyone?.deny ?? '0');
      const permissions = memberPermissions(guild, viewerId, channel.id);
      const exempt =
        has(permissions, PermissionFlagsBits.ManageMessages) ||
        has(permissions, PermissionFlagsBits.ManageChannels);
      const slowmode = channel.rate_limit_per_user ?? 0;
      return {
        id: channel.id,
        name: channel.name,
        type: channel.type,
        position: channel.position ?? index,
        locked: has(denied, PermissionFlagsBits.SendMessages),
        private: has(denied, PermissionFlagsBits.ViewChannel),
        slowmode,
        slowmodeApplies: slowmode > 0 && !exempt,
        canView: has(permissions, PermissionFlagsBits.ViewChannel),
        canSend: has(permissions, PermissionFlagsBits.SendMessages),
      };
    })
    .sort((a, b) => a.position - b.position);
}
