// /ban user [reason] [duration] [delete_messages]: bans members and non-members alike; with a
// duration the ban is temporary and the scheduler lifts it at `expires_at`.
import { BAN_DURATION_BOUNDS } from '../../../shared/command-definitions.ts';
import { banUser } from '../../discord/api.ts';
import { readDeleteMessageSeconds, readDuration } from '../../moderation/inputs.ts';
import { moderationCommand } from '../../moderation/moderation-command.ts';

export const ban = moderationCommand({
  action: 'ban',
  notifyMember: true,
  plan: ({ options }) => {
    const lengthMs = readDuration(options, 'duration', BAN_DURATION_BOUNDS);
    const deleteMessageSeconds = readDeleteMessageSeconds(options);
    return {
      lengthMs,
      execute: (discord, { guildId, userId, auditLogReason }) =>
        banUser(discord, guildId, userId, { deleteMessageSeconds, auditLogReason }),
    };
  },
});
