// The sandbox's fake server, seeded into the Discord stand-in by `npm run dev`: an owner, moderators
// of two ranks, members to act on (one with closed DMs), a senior admin the moderator cannot touch,
// a user who is not a member (bannable by id), and the #general and #mod-logs channels. Ids are fixed
// so that a restart finds the same guild in the database; only the stand-in's memory starts afresh.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { GuildSeed, SeedUser, SeedWebhook } from '../discord/server.ts';

const MODERATION =
  PermissionFlagsBits.BanMembers |
  PermissionFlagsBits.KickMembers |
  PermissionFlagsBits.ModerateMembers |
  PermissionFlagsBits.ManageGuild |
  PermissionFlagsBits.ManageWebhooks;
const EVERYONE =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.UseApplicationCommands;

/** The ids a test or the page needs to name things in the sandbox guild. */
export interface SandboxGuild {
  guildId: string;
  name: string;
  channels: { general: string; modLogs: string };
  roles: { member: string; helper: string; moderator: string; admin: string; bot: string };
  users: {
    owner: string;
    moderator: string;
    helper: string;
    admin: string;
    troublemaker: string;
    spammer: string;
    newcomer: string;
    quiet: string;
    raider: string;
  };
  /** Who runs commands unless the page says otherwise. */
  defaultInvokerId: string;
}

export const sandboxGuild: SandboxGuild = {
  guildId: '1310000000000000001',
  name: 'Lockdown Sandbox',
  channels: { general: '1310000000000000101', modLogs: '1310000000000000102' },
  roles: {
    member: '1310000000000000201',
    helper: '1310000000000000202',
    moderator: '1310000000000000203',
    admin: '1310000000000000204',
    bot: '1310000000000000205',
  },
  users: {
    owner: '1310000000000000301',
    moderator: '1310000000000000302',
    helper: '1310000000000000303',
    admin: '1310000000000000304',
    troublemaker: '1310000000000000305',
    spammer: '1310000000000000306',
    newcomer: '1310000000000000307',
    quiet: '1310000000000000308',
    raider: '1310000000000000309',
  },
  defaultInvokerId: '1310000000000000302',
};

const user = (id: string, username: string, globalName: string): SeedUser => ({
  id,
  username,
  global_name: globalName,
});

/** Users who are not members, for the page's user pickers (the guild snapshot lists only members and bans). */
export function sandboxOutsiders(g: SandboxGuild = sandboxGuild): SeedUser[] {
  return [user(g.users.raider, 'raider_rex', 'Rex')];
}

/**
 * The seed for `PUT /__sandbox/guilds/{id}`. `webhooks` carries over a mod-log webhook the database
 * still names from an earlier run, so the mod-log keeps working across restarts.
 */
export function sandboxGuildSeed(g: SandboxGuild = sandboxGuild, webhooks: SeedWebhook[] = []): GuildSeed {
  const { roles, users } = g;
  return {
    name: g.name,
    ownerId: users.owner,
    roles: [
      { id: g.guildId, name: '@everyone', position: 0, permissions: String(EVERYONE) },
      { id: roles.member, name: 'Member', position: 1, permissions: '0' },
      {
        id: roles.helper,
        name: 'Helper',
        position: 3,
        permissions: String(PermissionFlagsBits.ModerateMembers),
      },
      { id: roles.moderator, name: 'Moderator', position: 5, permissions: String(MODERATION) },
      { id: roles.admin, name: 'Admin', position: 7, permissions: String(MODERATION) },
      { id: roles.bot, name: 'Lockdown', position: 9, permissions: String(MODERATION) },
    ],
    members: [
      { user: user(users.owner, 'ava_owner', 'Ava'), roles: [] },
      { user: user(users.admin, 'sol_admin', 'Sol'), roles: [roles.admin] },
      { user: user(users.moderator, 'maya_mod', 'Maya'), roles: [roles.moderator] },
      { user: user(users.helper, 'hugo_helper', 'Hugo'), roles: [roles.helper] },
      { user: user(users.troublemaker, 'troublemaker_tom', 'Tom'), roles: [roles.member] },
      { user: user(users.spammer, 'spammy_sam', 'Sam'), roles: [roles.member] },
      { user: user(users.newcomer, 'newbie_nina', 'Nina'), roles: [] },
      { user: user(users.quiet, 'quiet_quinn', 'Quinn'), roles: [roles.member] },
    ],
    users: sandboxOutsiders(g),
    channels: [
      { id: g.channels.general, name: 'general' },
      { id: g.channels.modLogs, name: 'mod-logs' },
    ],
    botRoleIds: [roles.bot],
    closedDms: [users.quiet],
    webhooks,
  };
}
