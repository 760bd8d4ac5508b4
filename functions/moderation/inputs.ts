// Validation of the options moderation commands share; each failure names what is wrong.
import {
  deleteMessageChoices,
  MAX_CASE_NUMBER,
  MAX_REASON_LENGTH,
} from '../../shared/command-definitions.ts';
import { checkDuration, type DurationBounds } from '../../shared/duration.ts';
import { CommandError } from '../interactions/errors.ts';
import { type CommandOptions, normaliseReason, type ResolvedUser } from '../interactions/options.ts';

export function readTarget(options: CommandOptions, name = 'user'): ResolvedUser {
  const target = options.user(name);
  if (!target) throw new CommandError('invalid_option', `The \`${name}\` option is required.`);
  return target;
}

/** The reason, from the `reason` option or the one a command names instead (`/note`'s `text`). */
export function readReason(options: CommandOptions, required: boolean, option = 'reason'): string | null {
  const reason = normaliseReason(options.string(option));
  const what = option === 'reason' ? 'reason' : `\`${option}\``;
  if (required && !reason)
    throw new CommandError(
      'invalid_option',
      option === 'reason' ? 'A reason is required.' : `The ${what} is required.`,
    );
  const length = reason ? Array.from(reason).length : 0;
  if (length > MAX_REASON_LENGTH) {
    throw new CommandError(
      'invalid_option',
      `The ${what} is ${length} characters long; the limit is ${MAX_REASON_LENGTH}. Shorten it and try again.`,
    );
  }
  return reason;
}

/** An optional duration option, checked against the command's bounds; null when not given. */
export function readDuration(options: CommandOptions, name: string, bounds: DurationBounds): number | null {
  const raw = options.string(name);
  if (raw === null || raw.trim() === '') return null;
  const parsed = checkDuration(raw, bounds);
  if (!parsed.ok) throw new CommandError('invalid_option', parsed.error);
  return parsed.ms;
}

/**
 * A case number option. Discord enforces the definitions' bounds, but a payload is never trusted:
 * a number past the column's range would reach the database as an error.
 */
export function readCaseNumber(options: CommandOptions, name: string): number {
  const caseNumber = options.integer(name);
  if (caseNumber === null || !Number.isInteger(caseNumber) || caseNumber < 1)
    throw new CommandError('invalid_option', 'Give a case number, e.g. 12.');
  if (caseNumber > MAX_CASE_NUMBER)
    throw new CommandError('invalid_option', `Case numbers go up to ${MAX_CASE_NUMBER}.`);
  return caseNumber;
}

/** A `delete_messages` choice as seconds for Discord's `delete_message_seconds` (none given: 0). */
export function readDeleteMessageSeconds(options: CommandOptions, name = 'delete_messages'): number {
  const value = options.string(name);
  if (value === null) return 0;
  const choice = deleteMessageChoices.find((c) => c.value === value);
  if (!choice) {
    const allowed = deleteMessageChoices.map((c) => c.value).join(', ');
    throw new CommandError('invalid_option', `\`${name}\` must be one of: ${allowed}.`);
  }
  return choice.seconds;
}
