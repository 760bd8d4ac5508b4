import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  ALL_PERMISSIONS,
  channelPermissions,
  hasPermission,
  highestRolePosition,
  memberPermissions,
  outranks,
  overwriteAllows,
} from './permissions.ts';

const guild = {
  id: '1',
  ownerId: '100',
  roles: [
    { id: '1', position: 0, permissions: String(PermissionFlagsBits.SendMessages) },
    { id: '10', position: 5, permissions: String(PermissionFlagsBits.BanMembers) },
    { id: '20', position: 3, permissions: String(PermissionFlagsBits.KickMembers) },
    { id: '30', position: 7, permissions: String(PermissionFlagsBits.Administrator) },
  ],
};

describe('memberPermissions', () => {
  it('ORs @everyone with the member roles', () => {
    const bits = memberPermissions(guild, '200', ['10']);
    expect(hasPermission(bits, PermissionFlagsBits.SendMessages)).toBe(true);
    expect(hasPermission(bits, PermissionFlagsBits.BanMembers)).toBe(true);
    expect(hasPermission(bits, PermissionFlagsBits.KickMembers)).toBe(false);
  });

  it('gives Administrator and the owner every permission', () => {
    expect(hasPermission(memberPermissions(guild, '200', ['30']), PermissionFlagsBits.ModerateMembers)).toBe(
      true,
    );
    expect(hasPermission(memberPermissions(guild, '100', []), PermissionFlagsBits.ManageWebhooks)).toBe(true);
  });

  it('ignores roles the guild does not have', () => {
    expect(memberPermissions(guild, '200', ['999'])).toBe(PermissionFlagsBits.SendMessages);
  });
});

describe('hierarchy', () => {
  it('takes the highest role position, 0 without roles', () => {
    expect(highestRolePosition(guild, ['10', '20'])).toBe(5);
    expect(highestRolePosition(guild, [])).toBe(0);
  });

  it('lets an actor act only strictly below itself, never on the owner', () => {
    const bot = { id: '1000', roles: ['10'] };
    expect(outranks(guild, bot, { id: '2', roles: ['20'] })).toBe(true);
    expect(outranks(guild, bot, { id: '3', roles: ['10'] })).toBe(false);
    expect(outranks(guild, bot, { id: '4', roles: ['30'] })).toBe(false);
    expect(outranks(guild, bot, { id: '100', roles: [] })).toBe(false);
    expect(outranks(guild, { id: '100', roles: [] }, { id: '4', roles: ['30'] })).toBe(true);
  });
});

describe('channelPermissions', () => {
  const P = PermissionFlagsBits;
  const g = {
    id: '1',
    ownerId: '100',
    roles: [
      { id: '1', position: 0, permissions: String(P.ViewChannel | P.SendMessages | P.AddReactions) },
      { id: '10', position: 5, permissions: String(P.ManageRoles) },
      { id: '20', position: 3, permissions: '0' },
      { id: '30', position: 7, permissions: String(P.Administrator) },
    ],
  };
  const role = (id: string, allow: bigint, deny: bigint) => ({
    id,
    type: 0,
    allow: String(allow),
    deny: String(deny),
  });
  const member = (id: string, allow: bigint, deny: bigint) => ({ ...role(id, allow, deny), type: 1 });

  it('equals the guild permissions without overwrites', () => {
    expect(channelPermissions(g, { id: '200', roles: ['10'] }, [])).toBe(memberPermissions(g, '200', ['10']));
  });

  it("applies @everyone's deny to every member, roles' base permissions included", () => {
    const perms = channelPermissions(g, { id: '200', roles: ['10'] }, [role('1', 0n, P.SendMessages)]);
    expect(hasPermission(perms, P.SendMessages)).toBe(false);
    expect(hasPermission(perms, P.AddReactions)).toBe(true);
    expect(hasPermission(perms, P.ManageRoles)).toBe(true);
  });

  it("lets any role's allow beat another role's deny, and @everyone's", () => {
    const overwrites = [
      role('1', 0n, P.SendMessages),
      role('10', 0n, P.SendMessages | P.AddReactions),
      role('20', P.SendMessages, 0n),
    ];
    const perms = channelPermissions(g, { id: '200', roles: ['10', '20'] }, overwrites);
    expect(hasPermission(perms, P.SendMessages)).toBe(true);
    expect(hasPermission(perms, P.AddReactions)).toBe(false);
    // An overwrite for a role the member lacks changes nothing.
    expect(
      hasPermission(channelPermissions(g, { id: '201', roles: ['10'] }, overwrites), P.SendMessages),
    ).toBe(false);
  });

  it("gives the member's own overwrite the last word", () => {
    const overwrites = [role('20', P.SendMessages, 0n), member('200', 0n, P.SendMessages)];
    expect(
      hasPermission(channelPermissions(g, { id: '200', roles: ['20'] }, overwrites), P.SendMessages),
    ).toBe(false);
    const allowed = [role('1', 0n, P.SendMessages), member('200', P.SendMessages, 0n)];
    expect(hasPermission(channelPermissions(g, { id: '200', roles: [] }, allowed), P.SendMessages)).toBe(
      true,
    );
  });

  it('leaves nothing without View Channel', () => {
    expect(channelPermissions(g, { id: '200', roles: ['10'] }, [role('1', 0n, P.ViewChannel)])).toBe(0n);
  });

  it('gives Administrator and the owner everything, whatever the overwrites', () => {
    const deny = [role('1', 0n, P.ViewChannel | P.SendMessages), member('200', 0n, P.SendMessages)];
    expect(channelPermissions(g, { id: '200', roles: ['30'] }, deny)).toBe(ALL_PERMISSIONS);
    expect(channelPermissions(g, { id: '100', roles: [] }, deny)).toBe(ALL_PERMISSIONS);
  });

  it('tells whether an applicable overwrite allows a bit', () => {
    const overwrites = [role('10', P.ManageRoles, 0n), member('300', P.ManageRoles, 0n)];
    expect(overwriteAllows(g, { id: '200', roles: ['10'] }, overwrites, P.ManageRoles)).toBe(true);
    expect(overwriteAllows(g, { id: '200', roles: ['20'] }, overwrites, P.ManageRoles)).toBe(false);
    expect(overwriteAllows(g, { id: '300', roles: [] }, overwrites, P.ManageRoles)).toBe(true);
  });
});
