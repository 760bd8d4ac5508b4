// /mute user duration [reason]: times a member out. Discord caps a timeout at 28 days; longer mutes
// (up to a year) get a 28-day timeout now and are renewed by the scheduler until their real end.
import { MUTE_DURATION_BOUNDS } from '../../../shared/command-definitions.ts';
import { timeoutMember } from '../../discord/api.ts';
import { CommandError } from '../../interactions/errors.ts';
import { readDuration } from '../../moderation/inputs.ts';
import { moderationCommand } from '../../moderation/moderation-command.ts';
import { timeoutEnd } from '../../moderation/timeouts.ts';

export const mute = moderationCommand({
  action: 'mute',
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
