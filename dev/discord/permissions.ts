// How Discord decides whether the bot may act in a guild: its permissions are the OR of @everyone's
// and its roles' (Administrator implies all; the owner has all), in a channel then shaped by the
// channel's overwrites, and it may only act on members below its highest role who are not the owner.
// Pure functions over ids, role lists and overwrites.
import { PermissionFlagsBits } from 'discord-api-types/v10';

export interface RoleLike {
  id: string;
  position: number;
  permissions: string;
}

export interface GuildLike {
  id: string;
  ownerId: string;
  roles: readonly RoleLike[];
}

function bits(permissions: string): bigint {
  try {
    return BigInt(permissions);
  } catch {
    return 0n;
  }
}

export interface OverwriteLike {
  id: string;
  /** 0 role, 1 member. */
  type: number;
  allow: string;
  deny: string;
}

export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((acc, bit) => acc | bit, 0n);

/** Guild-level permissions of a member: @everyone (role id = guild id) OR each of their roles. */
export function memberPermissions(guild: GuildLike, userId: string, roleIds: readonly string[]): bigint {
  const all = ALL_PERMISSIONS;
  if (userId === guild.ownerId) return all;
  const held = new Set([guild.id, ...roleIds]);
  let total = 0n;
  for (const role of guild.roles) if (held.has(role.id)) total |= bits(role.permissions);
  if ((total & PermissionFlagsBits.Administrator) !== 0n) return all;
  return total;
}

export function hasPermission(permissions: bigint, bit: bigint): boolean {
  return (permissions & bit) === bit;
}

/** Position of the highest of `roleIds`; @everyone's 0 when none is higher. */
export function highestRolePosition(guild: GuildLike, roleIds: readonly string[]): number {
  const held = new Set(roleIds);
  let highest = 0;
  for (const role of guild.roles) if (held.has(role.id)) highest = Math.max(highest, role.position);
  return highest;
}

/**
 * Whether `actor` outranks `target`: the owner outranks everyone, nobody outranks the owner, and
 * otherwise the actor's highest role must sit strictly above the target's.
 */
export function outranks(
  guild: GuildLike,
  actor: { id: string; roles: readonly string[] },
  target: { id: string; roles: readonly string[] },
): boolean {
  if (target.id === guild.ownerId) return false;
  if (actor.id === guild.ownerId) return true;
  return highestRolePosition(guild, actor.roles) > highestRolePosition(guild, target.roles);
}

/**
 * A member's permissions in a channel, in Discord's order: the guild-level base (owner and
 * Administrator have everything, overwrites cannot take it away); then @everyone's overwrite (deny,
 * then allow); then the overwrites of all the member's roles together (their denies OR-ed, then
 * their allows OR-ed, so an allow on any role beats a deny on another); then the member's own.
 * Without View Channel nothing else is left, as Discord treats a channel one cannot see.
 */
export function channelPermissions(
  guild: GuildLike,
  member: { id: string; roles: readonly string[] },
  overwrites: readonly OverwriteLike[],
): bigint {
  let permissions = memberPermissions(guild, member.id, member.roles);
  if (hasPermission(permissions, PermissionFlagsBits.Administrator) || member.id === guild.ownerId) {
    return ALL_PERMISSIONS;
  }
  const apply = (allow: bigint, deny: bigint) => {
    permissions = (permissions & ~deny) | allow;
  };
  const everyone = overwrites.find((o) => o.type === 0 && o.id === guild.id);
  if (everyone) apply(bits(everyone.allow), bits(everyone.deny));
  const roles = new Set(member.roles);
  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const overwrite of overwrites) {
    if (overwrite.type !== 0 || overwrite.id === guild.id || !roles.has(overwrite.id)) continue;
    roleAllow |= bits(overwrite.allow);
    roleDeny |= bits(overwrite.deny);
  }
  apply(roleAllow, roleDeny);
  const own = overwrites.find((o) => o.type === 1 && o.id === member.id);
  if (own) apply(bits(own.allow), bits(own.deny));
  return hasPermission(permissions, PermissionFlagsBits.ViewChannel) ? permissions : 0n;
}

/** Whether any overwrite that applies to the member (@everyone's, a role's, its own) allows `bit`. */
export function overwriteAllows(
  guild: GuildLike,
  member: { id: string; roles: readonly string[] },
  overwrites: readonly OverwriteLike[],
  bit: bigint,
): boolean {
  const roles = new Set([guild.id, ...member.roles]);
  return overwrites.some(
    (o) =>
      ((o.type === 0 && roles.has(o.id)) || (o.type === 1 && o.id === member.id)) &&
      hasPermission(bits(o.allow), bit),
  );
}
