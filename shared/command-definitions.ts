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
import { actions, type CaseAction } from './actions.ts';
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
export type CommandName = CaseAction | 'warnings' | 'case' | 'reason' | 'modlog';

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
};

const userOption = (description: string) => ({
  type: ApplicationCommandOptionType.User as const,
  name: 'user',
  description,
  required: true,
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
  name: CaseAction,
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
  ]),
];
