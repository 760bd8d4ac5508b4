// What Discord registers for the raid commands: who sees them by default (default_member_permissions,
// the permission each needs, as bits) and that they are server-only.
import { InteractionContextType, PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { raidDefinitions } from './raid.ts';

describe('raid command registration', () => {
  it('shows each raid command by default only to members with the permission it needs', () => {
    const registered = Object.fromEntries(
      raidDefinitions.map((d) => [d.name, { perms: d.default_member_permissions, contexts: d.contexts }]),
    );
    const guildOnly = [InteractionContextType.Guild];
    expect(registered).toEqual({
      lockdown: { perms: String(PermissionFlagsBits.ManageChannels), contexts: guildOnly },
      unlock: { perms: String(PermissionFlagsBits.ManageChannels), contexts: guildOnly },
      slowmode: { perms: String(PermissionFlagsBits.ManageChannels), contexts: guildOnly },
      raidmode: { perms: String(PermissionFlagsBits.ManageGuild), contexts: guildOnly },
      massban: { perms: String(PermissionFlagsBits.BanMembers), contexts: guildOnly },
    });
  });
});
