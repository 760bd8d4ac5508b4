// The raid commands (handlers in functions/commands/raid/) and what the bot needs for each.
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import type { PermissionName } from '../permissions.ts';
import {
  deleteMessageChoices,
  MAX_LOCK_NOTICE_LENGTH,
  MAX_MASSBAN_TEXT_LENGTH,
  slowmodeChoices,
} from './limits.ts';
import { type Definition, define, durationOption, lockChannelOption, reasonOption } from './options.ts';

/** What the bot needs for each raid command, beyond what the action table says for the others. */
export const raidBotPermissions = {
  lockdown: ['MANAGE_ROLES', 'MANAGE_CHANNELS'],
  unlock: ['MANAGE_ROLES', 'MANAGE_CHANNELS'],
  slowmode: ['MANAGE_CHANNELS'],
  raidmode: ['MANAGE_GUILD'],
  massban: ['BAN_MEMBERS', 'MANAGE_GUILD'],
} as const satisfies Record<string, readonly PermissionName[]>;

export const raidDefinitions: Definition[] = [
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
    durationOption('Back to the previous slowmode after, e.g. 30m, 2h, 1d (up to 30 days)'),
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
