import { OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  everyoneCanSend,
  everyoneOverwrite,
  LOCK_BITS,
  lockedOverwrite,
  restoreOverwrite,
  stillAllowedToSend,
} from './overwrites.ts';

const G = '100';
const { SendMessages, ViewChannel, AttachFiles, AddReactions, Administrator } = PermissionFlagsBits;
const role = (id: string, allow: bigint, deny: bigint) => ({
  id,
  type: OverwriteType.Role,
  allow: String(allow),
  deny: String(deny),
});

describe('locking and restoring @everyone', () => {
  it('round-trips a channel with no overwrite: lock, then delete', () => {
    const locked = lockedOverwrite(null);
    expect(locked).toEqual({ allow: 0n, deny: LOCK_BITS });
    expect(restoreOverwrite(locked, null)).toEqual({ kind: 'delete' });
  });

  it('round-trips a custom overwrite exactly, including a lock bit it allowed', () => {
    const before = { allow: AddReactions | AttachFiles, deny: ViewChannel & 0n };
    const locked = lockedOverwrite(before)!;
    expect(locked.allow).toBe(AttachFiles);
    expect(locked.deny).toBe(LOCK_BITS);
    expect(restoreOverwrite(locked, before)).toEqual({ kind: 'put', overwrite: before });
  });

  it('keeps a change to other bits made during the lockdown', () => {
    const before = { allow: 0n, deny: 0n };
    const locked = lockedOverwrite(before)!;
    const changedMeanwhile = { allow: locked.allow | AttachFiles, deny: locked.deny };
    expect(restoreOverwrite(changedMeanwhile, before)).toEqual({
      kind: 'put',
      overwrite: { allow: AttachFiles, deny: 0n },
    });
    // Had there been no overwrite, the one left holding a new allow is kept, not deleted.
    expect(restoreOverwrite(changedMeanwhile, null)).toEqual({
      kind: 'put',
      overwrite: { allow: AttachFiles, deny: 0n },
    });
  });

  it('does nothing to an overwrite already denying everything a lock denies', () => {
    expect(lockedOverwrite({ allow: 0n, deny: LOCK_BITS | AttachFiles })).toBeNull();
  });

  it('does nothing on restore when the overwrite was removed and none existed before', () => {
    expect(restoreOverwrite(null, null)).toEqual({ kind: 'none' });
  });
});

describe('reading channels', () => {
  const channel = {
    id: '1',
    permission_overwrites: [
      role(G, 0n, SendMessages),
      role('7', SendMessages, 0n),
      role('8', AttachFiles, 0n),
      { id: '9', type: OverwriteType.Member, allow: String(SendMessages), deny: '0' },
    ],
  };

  it("finds @everyone's overwrite by the guild's id", () => {
    expect(everyoneOverwrite(channel, G)).toEqual({ allow: 0n, deny: SendMessages });
    expect(everyoneOverwrite({ id: '2' }, G)).toBeNull();
  });

  it('tells whether @everyone can send', () => {
    const everyone = String(ViewChannel | SendMessages);
    expect(everyoneCanSend(channel, G, everyone)).toBe(false);
    expect(everyoneCanSend({ id: '2' }, G, everyone)).toBe(true);
    expect(everyoneCanSend({ id: '2', permission_overwrites: [role(G, 0n, ViewChannel)] }, G, everyone)).toBe(
      false,
    );
    expect(
      everyoneCanSend(
        { id: '2', permission_overwrites: [role(G, SendMessages, 0n)] },
        G,
        String(ViewChannel),
      ),
    ).toBe(true);
  });

  it('names roles whose own overwrite or Administrator still lets them send', () => {
    const roles = [
      { id: G, name: '@everyone', permissions: String(Administrator) },
      { id: '7', name: 'Mods', permissions: '0' },
      { id: '8', name: 'Artists', permissions: '0' },
      { id: '6', name: 'Admins', permissions: String(Administrator) },
    ];
    const still = stillAllowedToSend(channel, G, roles);
    expect(still.roles.map((r) => r.name)).toEqual(['Mods', 'Admins']);
    expect(still.members).toBe(1);
  });
});
