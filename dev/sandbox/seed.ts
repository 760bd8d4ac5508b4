// The sandbox's fake server, seeded into the Discord stand-in by `npm run dev`: an owner, moderators
// of two ranks, members to act on (one with closed DMs), a senior admin the moderator cannot touch,
// a user who is not a member (bannable by id), and channels to lock: #general, #chat, #art (members
// may not attach files there: an overwrite a lock must keep), #announcements, #staff (hidden from
// @everyone), #mod-logs and a voice channel. Ids are fixed so that a restart finds the same guild in
// the database; only the stand-in's memory starts afresh.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { GuildSeed, SeedUser, SeedWebhook } from '../discord/server.ts';

/** Moderators (and the bot) also manage messages: "Delete and warn" and /purge delete them. */
const MODERATION =
  PermissionFlagsBits.BanMembers |
  PermissionFlagsBits.KickMembers |
  PermissionFlagsBits.ModerateMembers |
  PermissionFlagsBits.ManageGuild |
  PermissionFlagsBits.ManageWebhooks |
  PermissionFlagsBits.ManageChannels |
  PermissionFlagsBits.ManageMessages;
/**
 * The bot also manages roles (a lockdown edits @everyone's channel overwrites: Manage Permissions) and
 * views the audit log (actions taken in Discord's own UI become cases).
 */
const BOT = MODERATION | PermissionFlagsBits.ManageRoles | PermissionFlagsBits.ViewAuditLog;
/** Discord's defaults for @everyone that matter here: reading, writing, threads, reactions, files. */
const EVERYONE =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.CreatePrivateThreads |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak |
  PermissionFlagsBits.UseApplicationCommands;

/** The ids a test or the page needs to name things in the sandbox guild. */
export interface SandboxGuild {
  guildId: string;
  name: string;
  channels: {
    general: string;
    modLogs: string;
    chat: string;
    art: string;
    announcements: string;
    staff: string;
    voice: string;
  };
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
  channels: {
    general: '1310000000000000101',
    modLogs: '1310000000000000102',
    chat: '1310000000000000103',
    art: '1310000000000000104',
    announcements: '1310000000000000105',
    staff: '1310000000000000106',
    voice: '1310000000000000107',
  },
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
      { id: roles.bot, name: 'Lockdown', position: 9, permissions: String(BOT) },
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
    channels: sandboxChannels(g),
    botRoleIds: [roles.bot],
    closedDms: [users.quiet],
    webhooks,
  };
}

const overwrite = (id: string, type: 0 | 1, allow: bigint, deny: bigint) => ({
  id,
  type,
  allow: String(allow),
  deny: String(deny),
});

/** The guild's channels, in sidebar order; `type` 0 text, 5 announcement, 2 voice. */
function sandboxChannels(g: SandboxGuild) {
  const { channels, roles, guildId } = g;
  const staff = [roles.helper, roles.moderator, roles.admin, roles.bot].map((id) =>
    overwrite(id, 0, PermissionFlagsBits.ViewChannel, 0n),
  );
  return [
    { id: channels.general, name: 'general' },
    { id: channels.chat, name: 'chat' },
    {
      id: channels.art,
      name: 'art',
      permission_overwrites: [overwrite(roles.member, 0, 0n, PermissionFlagsBits.AttachFiles)],
    },
    {
      id: channels.announcements,
      name: 'announcements',
      type: 5,
      // Only staff post announcements; everyone else reads them.
      permission_overwrites: [
        overwrite(guildId, 0, 0n, PermissionFlagsBits.SendMessages),
        overwrite(roles.moderator, 0, PermissionFlagsBits.SendMessages, 0n),
      ],
    },
    {
      id: channels.staff,
      name: 'staff',
      permission_overwrites: [overwrite(guildId, 0, 0n, PermissionFlagsBits.ViewChannel), ...staff],
    },
    { id: channels.modLogs, name: 'mod-logs' },
    { id: channels.voice, name: 'Lounge', type: 2 },
  ];
}
