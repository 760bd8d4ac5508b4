// /ban user [reason] [duration] [delete_messages]: bans members and non-members alike; with a
// duration the ban is temporary and the scheduler lifts it at `expires_at`.
import { BAN_DURATION_BOUNDS, deleteMessageChoices } from '../../../shared/command-definitions.ts';
import { banUser } from '../../discord/api.ts';
import { CommandError } from '../../interactions/errors.ts';
import { readDuration } from '../../moderation/inputs.ts';
import { moderationCommand } from '../../moderation/moderation-command.ts';

function readDeleteMessageSeconds(value: string | null): number {
  if (value === null) return 0;
  const choice = deleteMessageChoices.find((c) => c.value === value);
  if (!choice) {
    const allowed = deleteMessageChoices.map((c) => c.value).join(', ');
    throw new CommandError('invalid_option', `\`delete_messages\` must be one of: ${allowed}.`);
  }
  return choice.seconds;
}

export const ban = moderationCommand({
  action: 'ban',
  notifyMember: true,
  plan: ({ options }) => {
    const lengthMs = readDuration(options, 'duration', BAN_DURATION_BOUNDS);
    const deleteMessageSeconds = readDeleteMessageSeconds(options.string('delete_messages'));
    return {
      lengthMs,
      execute: (discord, { guildId, userId, auditLogReason }) =>
        banUser(discord, guildId, userId, { deleteMessageSeconds, auditLogReason }),
    };
  },
});
