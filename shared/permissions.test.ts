import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  checkTarget,
  guildPermissions,
  hasPermission,
  highestRolePosition,
  missingPermissions,
} from './permissions.ts';

describe('hasPermission', () => {
  it('reads the bit', () => {
    expect(hasPermission(String(PermissionFlagsBits.BanMembers), 'BAN_MEMBERS')).toBe(true);
    expect(hasPermission(String(PermissionFlagsBits.KickMembers), 'BAN_MEMBERS')).toBe(false);
  });
  it('treats Administrator as everything', () => {
    expect(hasPermission(String(PermissionFlagsBits.Administrator), 'MODERATE_MEMBERS')).toBe(true);
  });
  it('treats missing or garbage as nothing', () => {
    expect(hasPermission(undefined, 'BAN_MEMBERS')).toBe(false);
    expect(hasPermission('not-a-number', 'BAN_MEMBERS')).toBe(false);
  });
  it('lists what is missing', () => {
    const perms = String(PermissionFlagsBits.ManageGuild);
    expect(missingPermissions(perms, ['MANAGE_GUILD', 'MANAGE_WEBHOOKS'])).toEqual(['MANAGE_WEBHOOKS']);
  });
});

describe('checkTarget', () => {
  const roles = [
    { id: 'everyone', position: 0 },
    { id: 'helper', position: 1 },
    { id: 'mod', position: 5 },
    { id: 'admin', position: 9 },
  ];
  const base = {
    moderatorId: 'm',
    moderatorRoleIds: ['mod'],
    targetId: 't',
    targetRoleIds: ['helper'],
    botId: 'bot',
    ownerId: 'owner',
    roles,
  };
  it('allows acting on a lower member', () => expect(checkTarget(base)).toBeNull());
  it('refuses oneself, the bot, the owner', () => {
    expect(checkTarget({ ...base, targetId: 'm' })).toBe('self');
    expect(checkTarget({ ...base, targetId: 'bot' })).toBe('bot');
    expect(checkTarget({ ...base, targetId: 'owner' })).toBe('owner');
  });
  it('refuses an equal or higher role', () => {
    expect(checkTarget({ ...base, targetRoleIds: ['mod'] })).toBe('hierarchy');
    expect(checkTarget({ ...base, targetRoleIds: ['admin', 'helper'] })).toBe('hierarchy');
  });
  it('lets the owner act on anyone but themself', () => {
    expect(checkTarget({ ...base, moderatorId: 'owner', targetRoleIds: ['admin'] })).toBeNull();
  });
  it('skips hierarchy for non-members', () => {
    expect(checkTarget({ ...base, targetRoleIds: null, moderatorRoleIds: [] })).toBeNull();
  });
  it('computes the highest position', () => expect(highestRolePosition(['helper', 'admin'], roles)).toBe(9));
});

describe('guildPermissions', () => {
  const roles = [
    { id: 'g', permissions: String(PermissionFlagsBits.ViewChannel) },
    { id: 'bot', permissions: String(PermissionFlagsBits.BanMembers) },
    { id: 'admin', permissions: String(PermissionFlagsBits.Administrator) },
    { id: 'other', permissions: String(PermissionFlagsBits.KickMembers) },
  ];
  it("ORs @everyone's and the held roles' permissions, and no other role's", () => {
    const bits = guildPermissions('g', roles, ['bot']);
    expect(BigInt(bits)).toBe(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.BanMembers);
    expect(hasPermission(bits, 'KICK_MEMBERS')).toBe(false);
  });
  it('keeps Administrator, which reads as everything', () => {
    expect(hasPermission(guildPermissions('g', roles, ['admin']), 'KICK_MEMBERS')).toBe(true);
  });
  it('reads an unreadable permissions value as none', () => {
    expect(guildPermissions('g', [{ id: 'bot', permissions: 'x' }], ['bot'])).toBe('0');
  });
});
