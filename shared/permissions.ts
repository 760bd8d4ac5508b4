// Permission bits and the moderation rules built on them: who may act on whom. Pure functions over
// what an interaction carries (permission strings, role ids) and the guild's role list.
import { PermissionFlagsBits } from 'discord-api-types/v10';

export type PermissionName =
  | 'BAN_MEMBERS'
  | 'KICK_MEMBERS'
  | 'MODERATE_MEMBERS'
  | 'MANAGE_GUILD'
  | 'MANAGE_WEBHOOKS'
  | 'MANAGE_CHANNELS'
  | 'MANAGE_ROLES'
  | 'VIEW_AUDIT_LOG'
  | 'MANAGE_MESSAGES'
  | 'READ_MESSAGE_HISTORY';

export const permissionBits: Record<PermissionName, bigint> = {
  BAN_MEMBERS: PermissionFlagsBits.BanMembers,
  KICK_MEMBERS: PermissionFlagsBits.KickMembers,
  MODERATE_MEMBERS: PermissionFlagsBits.ModerateMembers,
  MANAGE_GUILD: PermissionFlagsBits.ManageGuild,
  MANAGE_WEBHOOKS: PermissionFlagsBits.ManageWebhooks,
  MANAGE_CHANNELS: PermissionFlagsBits.ManageChannels,
  MANAGE_ROLES: PermissionFlagsBits.ManageRoles,
  VIEW_AUDIT_LOG: PermissionFlagsBits.ViewAuditLog,
  MANAGE_MESSAGES: PermissionFlagsBits.ManageMessages,
  READ_MESSAGE_HISTORY: PermissionFlagsBits.ReadMessageHistory,
};

const permissionLabels: Record<PermissionName, string> = {
  BAN_MEMBERS: 'Ban Members',
  KICK_MEMBERS: 'Kick Members',
  MODERATE_MEMBERS: 'Timeout Members',
  MANAGE_GUILD: 'Manage Server',
  MANAGE_WEBHOOKS: 'Manage Webhooks',
  MANAGE_CHANNELS: 'Manage Channels',
  MANAGE_ROLES: 'Manage Permissions',
  VIEW_AUDIT_LOG: 'View Audit Log',
  MANAGE_MESSAGES: 'Manage Messages',
  READ_MESSAGE_HISTORY: 'Read Message History',
};

/** The name Discord's client shows for a permission, for messages a moderator reads. */
export function permissionLabel(name: PermissionName): string {
  return permissionLabels[name];
}

function toBits(permissions: string | undefined | null): bigint {
  if (!permissions) return 0n;
  try {
    return BigInt(permissions);
  } catch {
    return 0n;
  }
}

/** Administrator implies every permission, as in Discord. */
export function hasPermission(permissions: string | undefined | null, name: PermissionName): boolean {
  const bits = toBits(permissions);
  if ((bits & PermissionFlagsBits.Administrator) === PermissionFlagsBits.Administrator) return true;
  const bit = permissionBits[name];
  return (bits & bit) === bit;
}

export function missingPermissions(
  permissions: string | undefined | null,
  needed: readonly PermissionName[],
): PermissionName[] {
  return needed.filter((name) => !hasPermission(permissions, name));
}

export interface GuildRole {
  id: string;
  position: number;
}

/** Position of the highest of `roleIds`; 0 (the @everyone role) when the member has none. */
export function highestRolePosition(roleIds: readonly string[], roles: readonly GuildRole[]): number {
  const positions = new Map(roles.map((role) => [role.id, role.position]));
  let highest = 0;
  for (const id of roleIds) highest = Math.max(highest, positions.get(id) ?? 0);
  return highest;
}

export interface TargetCheck {
  moderatorId: string;
  moderatorRoleIds: readonly string[];
  targetId: string;
  /** Null when the target is not a member of the guild (a ban by ID, say): no hierarchy then. */
  targetRoleIds: readonly string[] | null;
  botId: string;
  ownerId: string;
  roles: readonly GuildRole[];
}

export type TargetRefusal = 'self' | 'bot' | 'owner' | 'hierarchy';

/** Why a moderator may not act on a target, or null when they may. */
export function checkTarget(check: TargetCheck): TargetRefusal | null {
  if (check.targetId === check.moderatorId) return 'self';
  if (check.targetId === check.botId) return 'bot';
  if (check.targetId === check.ownerId) return 'owner';
  if (check.targetRoleIds === null || check.moderatorId === check.ownerId) return null;
  const moderator = highestRolePosition(check.moderatorRoleIds, check.roles);
  const target = highestRolePosition(check.targetRoleIds, check.roles);
  return target < moderator ? null : 'hierarchy';
}

/**
 * A member's server-wide permissions, as Discord computes them for what is done in no channel (a
 * ban, an unban): @everyone's role (its id is the guild's) and every role the member holds, OR-ed.
 * Administrator stays a bit of its own; {@link hasPermission} reads it as everything.
 */
export function guildPermissions(
  guildId: string,
  roles: readonly { id: string; permissions: string }[],
  heldRoleIds: readonly string[],
): string {
  const held = new Set([guildId, ...heldRoleIds]);
  let bits = 0n;
  for (const role of roles) if (held.has(role.id)) bits |= toBits(role.permissions);
  return String(bits);
}
