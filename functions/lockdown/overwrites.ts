// What locking a channel does to its @everyone overwrite, and how unlocking puts it back. Pure: the
// inputs are channel objects and role lists as Discord sends them; the outputs are the bodies of
// `PUT /channels/{id}/permissions/{guild_id}` or a DELETE.
// A lock only denies LOCK_BITS. The restore puts back exactly those bits as they were before the
// lock and leaves every other bit of the overwrite as it is now, so a change a moderator made to
// @everyone's other permissions during the lockdown survives the unlock; with no change meanwhile
// the overwrite is restored exactly (or deleted when there was none).
import { type APIOverwrite, OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';

/** What a lockdown denies @everyone. */
export const LOCK_BITS =
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.CreatePrivateThreads |
  PermissionFlagsBits.AddReactions;

export interface OverwriteBits {
  allow: bigint;
  deny: bigint;
}

/** A channel as far as locking goes. */
export interface LockableChannel {
  id: string;
  permission_overwrites?: APIOverwrite[];
}

export interface RoleBits {
  id: string;
  name: string;
  permissions: string;
}

const bits = (value: string | undefined | null): bigint => {
  try {
    return value ? BigInt(value) : 0n;
  } catch {
    return 0n;
  }
};

/** @everyone's overwrite in a channel (its id is the guild's), or null when it has none. */
export function everyoneOverwrite(channel: LockableChannel, guildId: string): OverwriteBits | null {
  const found = channel.permission_overwrites?.find((o) => o.id === guildId && o.type === OverwriteType.Role);
  return found ? { allow: bits(found.allow), deny: bits(found.deny) } : null;
}

/** The overwrite a lock sets, or null when @everyone is already denied all of LOCK_BITS here. */
export function lockedOverwrite(current: OverwriteBits | null): OverwriteBits | null {
  const now = current ?? { allow: 0n, deny: 0n };
  if ((now.deny & LOCK_BITS) === LOCK_BITS) return null;
  return { allow: now.allow & ~LOCK_BITS, deny: now.deny | LOCK_BITS };
}

export type Restore = { kind: 'put'; overwrite: OverwriteBits } | { kind: 'delete' } | { kind: 'none' };

/**
 * What unlocking does: LOCK_BITS as they were before (`previous`, absent when the channel had no
 * @everyone overwrite), the other bits as they are now. An overwrite left empty that did not exist
 * before is deleted; one that is already as it should be is left alone.
 */
export function restoreOverwrite(current: OverwriteBits | null, previous: OverwriteBits | null): Restore {
  const now = current ?? { allow: 0n, deny: 0n };
  const before = previous ?? { allow: 0n, deny: 0n };
  const target = {
    allow: (now.allow & ~LOCK_BITS) | (before.allow & LOCK_BITS),
    deny: (now.deny & ~LOCK_BITS) | (before.deny & LOCK_BITS),
  };
  if (!previous && target.allow === 0n && target.deny === 0n) {
    return current ? { kind: 'delete' } : { kind: 'none' };
  }
  if (current && current.allow === target.allow && current.deny === target.deny) return { kind: 'none' };
  return { kind: 'put', overwrite: target };
}

/**
 * Whether @everyone can send messages in the channel now: the guild's @everyone permissions with
 * the channel's @everyone overwrite applied (what a server lockdown has to change).
 */
export function everyoneCanSend(
  channel: LockableChannel,
  guildId: string,
  everyonePermissions: string,
): boolean {
  let permissions = bits(everyonePermissions);
  if ((permissions & PermissionFlagsBits.Administrator) !== 0n) return true;
  const overwrite = everyoneOverwrite(channel, guildId);
  if (overwrite) permissions = (permissions & ~overwrite.deny) | overwrite.allow;
  const needed = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
  return (permissions & needed) === needed;
}

/**
 * Roles that can still send in a locked channel: their own channel overwrite allows Send Messages
 * (applied after @everyone's deny), or they hold Administrator. Also how many members have an
 * overwrite of their own that allows it.
 */
export function stillAllowedToSend(
  channel: LockableChannel,
  guildId: string,
  roles: readonly RoleBits[],
): { roles: RoleBits[]; members: number } {
  const overwrites = channel.permission_overwrites ?? [];
  const allowsSend = (o: APIOverwrite) =>
    (bits(o.allow) & PermissionFlagsBits.SendMessages) !== 0n &&
    (bits(o.deny) & PermissionFlagsBits.SendMessages) === 0n;
  const byOverwrite = new Set(
    overwrites
      .filter((o) => o.type === OverwriteType.Role && o.id !== guildId && allowsSend(o))
      .map((o) => o.id),
  );
  const allowed = roles.filter(
    (role) =>
      role.id !== guildId &&
      (byOverwrite.has(role.id) || (bits(role.permissions) & PermissionFlagsBits.Administrator) !== 0n),
  );
  const members = overwrites.filter((o) => o.type === OverwriteType.Member && allowsSend(o)).length;
  return { roles: allowed, members };
}

/** Bits as Discord's JSON carries them. */
export const overwriteBody = (overwrite: OverwriteBits) => ({
  type: OverwriteType.Role,
  allow: overwrite.allow.toString(),
  deny: overwrite.deny.toString(),
});
