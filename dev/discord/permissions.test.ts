import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { hasPermission, highestRolePosition, memberPermissions, outranks } from './permissions.ts';

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
