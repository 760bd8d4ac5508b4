// /unmute user [reason]: ends a member's timeout now (and any longer mute the scheduler was renewing).
import { timeoutMember } from '../discord/api.ts';
import { moderationCommand } from '../moderation/command.ts';

export const unmute = moderationCommand({
  action: 'unmute',
  botPermission: 'MODERATE_MEMBERS',
  membersOnly: true,
  plan: () => ({
    lengthMs: null,
    execute: (discord, { guildId, userId, auditLogReason }) =>
      timeoutMember(discord, guildId, userId, null, { auditLogReason }),
  }),
});
