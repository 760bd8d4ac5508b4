// /mute user duration [reason]: times a member out. Discord caps a timeout at 28 days; longer mutes
// (up to a year) get a 28-day timeout now and are renewed by the scheduler until their real end.
import { DISCORD_TIMEOUT_CAP_MS, MUTE_DURATION_BOUNDS } from '../../shared/commands.ts';
import { timeoutMember } from '../discord/api.ts';
import { CommandError } from '../interactions/errors.ts';
import { moderationCommand } from '../moderation/command.ts';
import { readDuration } from '../moderation/inputs.ts';

/** Discord rejects a timeout even a moment past 28 days from its own clock; leave a margin for skew. */
const TIMEOUT_CAP_MARGIN_MS = 60_000;

/** The timeout to set at Discord for a mute ending at `expiresAt`. */
export function timeoutEnd(now: Date, expiresAt: Date): Date {
  const cap = now.getTime() + DISCORD_TIMEOUT_CAP_MS - TIMEOUT_CAP_MARGIN_MS;
  return new Date(Math.min(expiresAt.getTime(), cap));
}

export const mute = moderationCommand({
  action: 'mute',
  botPermission: 'MODERATE_MEMBERS',
  membersOnly: true,
  notifyMember: true,
  plan: ({ options, now }) => {
    const lengthMs = readDuration(options, 'duration', MUTE_DURATION_BOUNDS);
    if (lengthMs === null)
      throw new CommandError('invalid_option', 'A duration is required, e.g. 10m, 1h or 7d.');
    const until = timeoutEnd(now, new Date(now.getTime() + lengthMs));
    return {
      lengthMs,
      timeoutUntil: until,
      execute: (discord, { guildId, userId, auditLogReason }) =>
        timeoutMember(discord, guildId, userId, until, { auditLogReason }),
    };
  },
});
