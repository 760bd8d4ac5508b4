// /unmute user [reason]: ends a member's timeout now (and any longer mute the scheduler was renewing).
import { timeoutMember } from '../../discord/api.ts';
import { moderationCommand } from '../../moderation/moderation-command.ts';

export const unmute = moderationCommand({
  action: 'unmute',
  membersOnly: true,
  plan: () => ({
    lengthMs: null,
    execute: (discord, { guildId, userId, auditLogReason }) =>
      timeoutMember(discord, guildId, userId, null, { auditLogReason }),
  }),
});
