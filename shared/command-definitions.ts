// Slash command definitions (what Discord is told a command looks like): registered with Discord by
// `npm run register`, shown by the sandbox, and read by the edge handlers for option names, choices,
// bounds and permissions, so they can never disagree. The handlers are in functions/commands/.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { actions, type CommandAction } from './actions.ts';
import { type PermissionName, permissionBits } from './permissions.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Discord's limit for audit-log reasons, which is also ours for case reasons. */
export const MAX_REASON_LENGTH = 512;
/** Case numbers are Postgres `integer`s: the largest one a case can have. */
export const MAX_CASE_NUMBER = 2_147_483_647;
/** Temporary bans: one minute to one year. */
export const BAN_DURATION_BOUNDS = { minMs: MINUTE, maxMs: 365 * DAY };
/** Mutes: one minute to one year; past Discord's 28-day timeout cap the scheduler renews the timeout. */
export const MUTE_DURATION_BOUNDS = { minMs: MINUTE, maxMs: 365 * DAY };
/** Discord caps `communication_disabled_until` at 28 days from now. */
export const DISCORD_TIMEOUT_CAP_MS = 28 * DAY;

/** `/ban delete_messages` choices, as seconds for `delete_message_seconds` (Discord allows 0..604800). */
export const deleteMessageChoices = [
  { name: "Don't delete any", value: 'none', seconds: 0 },
  { name: 'Previous hour', value: '1h', seconds: 3_600 },
  { name: 'Previous 6 hours', value: '6h', seconds: 21_600 },
  { name: 'Previous 12 hours', value: '12h', seconds: 43_200 },
  { name: 'Previous 24 hours', value: '24h', seconds: 86_400 },
  { name: 'Previous 3 days', value: '3d', seconds: 259_200 },
  { name: 'Previous 7 days', value: '7d', seconds: 604_800 },
] as const;

/** The moderation commands are named after their action (/ban records a `ban` case). */
export type CommandName =
  | CommandAction
  | 'warnings'
  | 'case'
  | 'reason'
  | 'modlog'
  | 'lockdown'
  | 'unlock'
  | 'slowmode'
  | 'raidmode'
  | 'massban';

/** `/modlog import since:` — Discord keeps audit-log entries for 45 days, so nothing older exists. */
export const AUDIT_LOG_RETENTION_MS = 45 * DAY;
export const IMPORT_DURATION_BOUNDS = { minMs: MINUTE, maxMs: AUDIT_LOG_RETENTION_MS };

/** Timed lockdowns: one minute to 30 days (the scheduler restores the channels at the end). */
export const LOCKDOWN_DURATION_BOUNDS = { minMs: MINUTE, maxMs: 30 * DAY };
/** Discord pauses invites and DMs for at most 24 hours (`PUT /guilds/{id}/incident-actions`). */
export const RAIDMODE_DURATION_BOUNDS = { minMs: MINUTE, maxMs: DAY };
export const RAIDMODE_DEFAULT_MS = DAY;
/** The notice a lockdown can post in each locked channel; Discord's message limit is 2,000. */
export const MAX_LOCK_NOTICE_LENGTH = 1_000;
/** `/massban users`: Discord's limit for a string option. */
export const MAX_MASSBAN_TEXT_LENGTH = 6_000;
/** Most users one /massban may name (text and file together): 25 bulk-ban calls of 200. */
export const MAX_MASSBAN_USERS = 5_000;
/** Discord's cap on `user_ids` in one `POST /guilds/{id}/bulk-ban`. */
export const BULK_BAN_CHUNK = 200;
/** A massban preview can be confirmed for this long (an interaction token lives 15 minutes). */
export const MASSBAN_CONFIRM_WINDOW_MS = 15 * MINUTE;

/**
 * `/slowmode interval` choices, as Discord's own channel settings offer them; `seconds` is the
 * channel's `rate_limit_per_user` (Discord allows 0..21600).
 */
export const slowmodeChoices = [
  { name: 'Off', value: 'off', seconds: 0 },
  { name: '5 seconds', value: '5s', seconds: 5 },
  { name: '10 seconds', value: '10s', seconds: 10 },
  { name: '15 seconds', value: '15s', seconds: 15 },
  { name: '30 seconds', value: '30s', seconds: 30 },
  { name: '1 minute', value: '1m', seconds: 60 },
  { name: '2 minutes', value: '2m', seconds: 120 },
  { name: '5 minutes', value: '5m', seconds: 300 },
  { name: '10 minutes', value: '10m', seconds: 600 },
  { name: '15 minutes', value: '15m', seconds: 900 },
  { name: '30 minutes', value: '30m', seconds: 1_800 },
  { name: '1 hour', value: '1h', seconds: 3_600 },
  { name: '2 hours', value: '2h', seconds: 7_200 },
  { name: '6 hours', value: '6h', seconds: 21_600 },
] as const;

/** Channels a lockdown can lock: where members write (text, announcement, forum). */
export const LOCKABLE_CHANNEL_TYPES = [
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
  ChannelType.GuildForum,
] as const;

/** The permission a moderator needs for each command (also its `default_member_permissions`). */
export const commandPermissions: Record<CommandName, PermissionName> = {
  ban: actions.ban.moderatorPermission,
  unban: actions.unban.moderatorPermission,
  kick: actions.kick.moderatorPermission,
  mute: actions.mute.moderatorPermission,
  unmute: actions.unmute.moderatorPermission,
  warn: actions.warn.moderatorPermission,
  warnings: 'MODERATE_MEMBERS',
  case: 'MODERATE_MEMBERS',
  reason: 'MODERATE_MEMBERS',
  modlog: 'MANAGE_GUILD',
  lockdown: 'MANAGE_CHANNELS',
  unlock: 'MANAGE_CHANNELS',
  slowmode: 'MANAGE_CHANNELS',
  raidmode: 'MANAGE_GUILD',
  massban: 'BAN_MEMBERS',
};

/** What the bot needs for each raid command, beyond what the action table says for the others. */
export const raidBotPermissions = {
  lockdown: ['MANAGE_ROLES', 'MANAGE_CHANNELS'],
  unlock: ['MANAGE_ROLES', 'MANAGE_CHANNELS'],
  slowmode: ['MANAGE_CHANNELS'],
  raidmode: ['MANAGE_GUILD'],
  massban: ['BAN_MEMBERS', 'MANAGE_GUILD'],
} as const satisfies Record<string, readonly PermissionName[]>;

const userOption = (description: string) => ({
  type: ApplicationCommandOptionType.User as const,
  name: 'user',
  description,
  required: true,
});

const durationOption = (description: string) => ({
  type: ApplicationCommandOptionType.String as const,
  name: 'duration',
  description,
  required: false,
  max_length: 32,
});

const lockChannelOption = (description: string) => ({
  type: ApplicationCommandOptionType.Channel as const,
  name: 'channel',
  description,
  required: false,
  channel_types: [...LOCKABLE_CHANNEL_TYPES],
});

const reasonOption = (required: boolean) => ({
  type: ApplicationCommandOptionType.String as const,
  name: 'reason',
  description: required ? 'Why (shown in the mod-log and the audit log)' : 'Why (optional)',
  required,
  max_length: MAX_REASON_LENGTH,
});

type Definition = RESTPostAPIChatInputApplicationCommandsJSONBody & { name: CommandName };
type Options = NonNullable<Definition['options']>;

function define(name: CommandName, description: string, options: Options): Definition {
  return {
    type: ApplicationCommandType.ChatInput,
    name,
    description,
    options,
    default_member_permissions: String(permissionBits[commandPermissions[name]]),
    contexts: [InteractionContextType.Guild],
  };
}

/** A moderation command: the member first, then an optional reason unless it says otherwise. */
const onUser = (
  name: CommandAction,
  description: string,
  who: string,
  options: Options = [reasonOption(false)],
) => define(name, description, [userOption(who), ...options]);

export const commandDefinitions: Definition[] = [
  onUser('ban', 'Ban a user, for good or for a while', 'Who to ban (members and non-members alike)', [
    reasonOption(false),
    {
      type: ApplicationCommandOptionType.String,
      name: 'duration',
      description: 'Temporary ban length, e.g. 30m, 2h, 7d, 1w2d (leave empty for a permanent ban)',
      required: false,
      max_length: 32,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'delete_messages',
      description: 'Delete their recent messages',
      required: false,
      choices: deleteMessageChoices.map(({ name, value }) => ({ name, value })),
    },
  ]),
  onUser('unban', 'Lift a ban', 'Who to unban'),
  onUser('kick', 'Remove a member from the server', 'Who to kick'),
  onUser('mute', 'Time a member out', 'Who to mute', [
    {
      type: ApplicationCommandOptionType.String,
      name: 'duration',
      description: 'How long, e.g. 10m, 1h, 7d (up to a year)',
      required: true,
      max_length: 32,
    },
    reasonOption(false),
  ]),
  onUser('unmute', "End a member's timeout", 'Who to unmute'),
  onUser('warn', 'Warn a member (recorded as a case)', 'Who to warn', [reasonOption(true)]),
  define('warnings', "List a member's cases, newest first", [
    userOption('Whose cases'),
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'page',
      description: 'Page number',
      required: false,
      min_value: 1,
    },
  ]),
  define('case', 'Show one case', [
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'number',
      description: 'Case number',
      required: true,
      min_value: 1,
      max_value: MAX_CASE_NUMBER,
    },
  ]),
  define('reason', "Change a case's reason", [
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'case',
      description: 'Case number',
      required: true,
      min_value: 1,
      max_value: MAX_CASE_NUMBER,
    },
    reasonOption(true),
  ]),
  define('modlog', 'Configure the mod-log channel', [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'set',
      description: 'Post the mod-log in a channel (or through an existing webhook)',
      options: [
        {
          type: ApplicationCommandOptionType.Channel,
          name: 'channel',
          description: 'The channel; the bot creates a webhook there',
          required: false,
          channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'url',
          description: 'An existing webhook URL instead of a channel',
          required: false,
        },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'off', description: 'Stop posting the mod-log' },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'status',
      description: 'Show the mod-log channel and its delivery health',
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'import',
      description: 'Record what the audit log shows since a time (bans, kicks, timeouts, AutoMod) as cases',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'since',
          description: 'How far back, e.g. 6h, 3d, 2w (Discord keeps 45 days)',
          required: true,
          max_length: 32,
        },
      ],
    },
  ]),
  define('lockdown', 'Stop @everyone from writing in a channel or the whole server', [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'channel',
      description: 'Lock one channel (this one unless you pick another)',
      options: [
        lockChannelOption('The channel to lock (default: this one)'),
        durationOption('Unlock by itself after, e.g. 30m, 2h, 1d (up to 30 days)'),
        reasonOption(false),
        {
          type: ApplicationCommandOptionType.String,
          name: 'notice',
          description: 'A message to post in the locked channel',
          required: false,
          max_length: MAX_LOCK_NOTICE_LENGTH,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'server',
      description: 'Lock every text, announcement and forum channel where @everyone can write',
      options: [
        durationOption('Unlock by itself after, e.g. 30m, 2h, 1d (up to 30 days)'),
        reasonOption(false),
        {
          type: ApplicationCommandOptionType.String,
          name: 'notice',
          description: 'A message to post in each locked channel',
          required: false,
          max_length: MAX_LOCK_NOTICE_LENGTH,
        },
      ],
    },
  ]),
  define('unlock', 'Lift a lockdown, restoring each channel exactly as it was', [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'channel',
      description: 'Unlock one channel (this one unless you pick another)',
      options: [lockChannelOption('The channel to unlock (default: this one)'), reasonOption(false)],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'server',
      description: 'Unlock every channel the lockdown locked',
      options: [reasonOption(false)],
    },
  ]),
  define('slowmode', "Set a channel's slowmode", [
    {
      type: ApplicationCommandOptionType.String,
      name: 'interval',
      description: 'How long each member waits between messages',
      required: true,
      choices: slowmodeChoices.map(({ name, value }) => ({ name, value })),
    },
    lockChannelOption('The channel (default: this one)'),
    reasonOption(false),
  ]),
  define('raidmode', "Pause invites and DMs between members with Discord's own raid tools", [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'on',
      description: 'Pause joins by invite and/or DMs between members',
      options: [
        durationOption('For how long, e.g. 30m, 6h (up to 24 hours, the default)'),
        {
          type: ApplicationCommandOptionType.Boolean,
          name: 'invites',
          description: 'Pause invites (default: yes)',
          required: false,
        },
        {
          type: ApplicationCommandOptionType.Boolean,
          name: 'dms',
          description: 'Pause DMs between members who are not friends (default: yes)',
          required: false,
        },
        reasonOption(false),
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'off',
      description: 'Resume invites and DMs',
      options: [reasonOption(false)],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'status',
      description: 'Show what is paused, and whether Discord detected a raid',
    },
  ]),
  define('massban', 'Ban many users at once (previewed, then confirmed)', [
    reasonOption(true),
    {
      type: ApplicationCommandOptionType.String,
      name: 'users',
      description: 'User IDs or mentions, separated by spaces, commas or new lines',
      required: false,
      max_length: MAX_MASSBAN_TEXT_LENGTH,
    },
    {
      type: ApplicationCommandOptionType.Attachment,
      name: 'file',
      description: 'A text file of user IDs, for longer lists',
      required: false,
    },
    durationOption('Make every ban temporary, e.g. 7d (up to a year)'),
    {
      type: ApplicationCommandOptionType.String,
      name: 'delete_messages',
      description: 'Delete their recent messages',
      required: false,
      choices: deleteMessageChoices.map(({ name, value }) => ({ name, value })),
    },
  ]),
];
