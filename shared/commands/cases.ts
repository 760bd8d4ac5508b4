// The case commands (handlers in functions/commands/cases/ and escalation/): notes, look-ups and
// search, corrections (reason, duration, deletion), and the server's escalation policies.
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { actions, caseActions, caseSources } from '../actions.ts';
import { MAX_REASON_LENGTH } from './limits.ts';
import {
  caseNumberOption,
  type Definition,
  define,
  durationOption,
  reasonOption,
  userOption,
} from './options.ts';

/** Escalation thresholds: a policy acts at 2 to 50 warnings. */
export const ESCALATION_WARNING_BOUNDS = { min: 2, max: 50 } as const;
/** Escalation windows: one hour to one year. */
export const ESCALATION_WINDOW_BOUNDS = { minMs: 3_600_000, maxMs: 365 * 86_400_000 };
/** Most policies a server keeps. */
export const MAX_ESCALATION_POLICIES = 10;
/** What an escalation policy may do. */
export const escalationActions = ['mute', 'kick', 'ban'] as const;
export type EscalationAction = (typeof escalationActions)[number];

/** The `source` filter of /cases: where a case came from (the scheduler's are lifts, not searched). */
const searchableSources = caseSources.filter((s) => s !== 'scheduler');

export const caseDefinitions: Definition[] = [
  define('note', 'Add a private note about a member (no DM, no Discord action)', [
    userOption('Who the note is about'),
    {
      type: ApplicationCommandOptionType.String,
      name: 'text',
      description: 'The note',
      required: true,
      max_length: MAX_REASON_LENGTH,
    },
  ]),
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
  define('cases', "Search the server's cases, newest first", [
    { ...userOption('Only cases about this member'), required: false },
    {
      type: ApplicationCommandOptionType.User,
      name: 'moderator',
      description: 'Only cases by this moderator',
      required: false,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'action',
      description: 'Only this kind of case',
      required: false,
      choices: caseActions.map((action) => ({ name: actions[action].title, value: action })),
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'since',
      description: 'Only cases from the last…, e.g. 24h, 7d, 3w',
      required: false,
      max_length: 32,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'source',
      description: 'Only cases that came from…',
      required: false,
      choices: searchableSources.map((source) => ({ name: source, value: source })),
    },
  ]),
  define('history', "A member's record: counts, punishments in force, the latest cases", [
    userOption('Whose history'),
  ]),
  define('case', 'Show or delete one case', [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'view',
      description: 'Show one case',
      options: [caseNumberOption('number')],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'delete',
      description: 'Hide a case from lists and history (it is kept, with who deleted it and why)',
      options: [caseNumberOption('number'), reasonOption(true)],
    },
  ]),
  define('reason', "Change a case's reason", [caseNumberOption('case'), reasonOption(true)]),
  define('duration', 'Change when an active temporary ban or timeout ends', [
    caseNumberOption('case'),
    { ...durationOption('The new length, counted from the case, e.g. 2h, 7d'), required: true },
    reasonOption(false),
  ]),
  define('escalation', 'Act automatically when a member collects warnings', [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'add',
      description: 'At N warnings within a window, mute, kick or ban',
      options: [
        {
          type: ApplicationCommandOptionType.Integer,
          name: 'warnings',
          description: 'How many warnings',
          required: true,
          min_value: ESCALATION_WARNING_BOUNDS.min,
          max_value: ESCALATION_WARNING_BOUNDS.max,
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'within',
          description: 'Within how long, e.g. 24h, 7d, 30d',
          required: true,
          max_length: 32,
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'action',
          description: 'What to do',
          required: true,
          choices: escalationActions.map((action) => ({ name: actions[action].title, value: action })),
        },
        durationOption('For a mute or a ban: how long (a ban without one is permanent; a mute needs one)'),
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'list',
      description: "Show the server's policies",
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'remove',
      description: 'Remove a policy',
      options: [
        {
          type: ApplicationCommandOptionType.Integer,
          name: 'policy',
          description: 'Its number, as /escalation list shows it',
          required: true,
          min_value: 1,
        },
      ],
    },
  ]),
];
