// How Discord decides whether the bot may act in a guild: its permissions are the OR of @everyone's
// and its roles' (Administrator implies all; the owner has all), and it may only act on members
// below its highest role who are not the owner. Pure functions over ids and role lists.
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

/** Guild-level permissions of a member: @everyone (role id = guild id) OR each of their roles. */
export function memberPermissions(guild: GuildLike, userId: string, roleIds: readonly string[]): bigint {
  const all = Object.values(PermissionFlagsBits).reduce((acc, bit) => acc | bit, 0n);
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
