// The moderation, saved-reason, purge and mod-log slash commands (handlers in
// functions/commands/moderation/, reasons/, messages/ and modlog/); the case commands are cases.ts.
import { ApplicationCommandOptionType, ChannelType } from 'discord-api-types/v10';
import type { CommandAction } from '../actions.ts';
import {
  deleteMessageChoices,
  MAX_PURGE_COUNT,
  MAX_REASON_LENGTH,
  MAX_SAVED_REASON_NAME_LENGTH,
} from './limits.ts';
import { type Definition, define, type Options, reasonOption, userOption } from './options.ts';

/** The channels a mod-log can go to (a webhook there); the dashboard's channel list uses them too. */
export const MODLOG_CHANNEL_TYPES = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

/** A moderation command: the member first, then an optional reason unless it says otherwise. */
const onUser = (
  name: CommandAction,
  description: string,
  who: string,
  options: Options = [reasonOption(false)],
) => define(name, description, [userOption(who), ...options]);

export const moderationDefinitions: Definition[] = [
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
  define('reasons', "Manage the server's saved reasons (suggested in every reason option)", [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'add',
      description: 'Save a reason under a short name',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'name',
          description: 'A short name, e.g. spam (typing it as a reason uses the text)',
          required: true,
          max_length: MAX_SAVED_REASON_NAME_LENGTH,
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'text',
          description: 'The reason itself',
          required: true,
          max_length: MAX_REASON_LENGTH,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'remove',
      description: 'Delete a saved reason',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'name',
          description: 'Its name',
          required: true,
          max_length: MAX_SAVED_REASON_NAME_LENGTH,
          autocomplete: true,
        },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'Show the saved reasons' },
  ]),
  define('purge', "Delete recent messages in this channel, optionally only one member's", [
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'count',
      description: 'How many recent messages to look through (1–100)',
      required: true,
      min_value: 1,
      max_value: MAX_PURGE_COUNT,
    },
    { ...userOption('Only their messages'), required: false },
    reasonOption(false),
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
          channel_types: [...MODLOG_CHANNEL_TYPES],
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
];
