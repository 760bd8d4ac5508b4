// The bot's permissions in one channel, computed as Discord does, where no interaction tells them
// (an interaction's `app_permissions` are those of the channel it was used in): the dashboard's
// mod-log form, and /modlog set on another channel. The guild-level base (shared/permissions.ts
// guildPermissions: @everyone's role OR the bot's roles; Administrator is everything),
// then the channel's overwrites — @everyone's, the bot's roles' together (denies, then allows), the
// bot's own. Without View Channel nothing else is left. Pure: plain ids, strings and bits.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { guildPermissions } from '../../shared/permissions.ts';

export interface RolePermissions {
  id: string;
  permissions: string;
}

export interface Overwrite {
  id: string;
  /** 0 role, 1 member. */
  type: number;
  allow: string;
  deny: string;
}

const ALL = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

function bits(value: string): bigint {
  try {
    return BigInt(value);
  } catch {
    return 0n;
  }
}

export interface BotInGuild {
  guildId: string;
  botId: string;
  roles: readonly RolePermissions[];
  botRoleIds: readonly string[];
}

/** The bot's permissions in a channel with these overwrites, as a decimal string like Discord's. */
export function botChannelPermissions(bot: BotInGuild, overwrites: readonly Overwrite[]): string {
  const held = new Set([bot.guildId, ...bot.botRoleIds]);
  const base = bits(guildPermissions(bot.guildId, bot.roles, bot.botRoleIds));
  if ((base & PermissionFlagsBits.Administrator) !== 0n) return String(ALL);
  let perms = base;
  const everyone = overwrites.find((o) => o.type === 0 && o.id === bot.guildId);
  if (everyone) perms = (perms & ~bits(everyone.deny)) | bits(everyone.allow);
  let deny = 0n;
  let allow = 0n;
  for (const o of overwrites) {
    if (o.type === 0 && o.id !== bot.guildId && held.has(o.id)) {
      deny |= bits(o.deny);
      allow |= bits(o.allow);
    }
  }
  perms = (perms & ~deny) | allow;
  const own = overwrites.find((o) => o.type === 1 && o.id === bot.botId);
  if (own) perms = (perms & ~bits(own.deny)) | bits(own.allow);
  if ((perms & PermissionFlagsBits.ViewChannel) === 0n) return '0';
  return String(perms);
}
