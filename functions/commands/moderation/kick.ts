// /kick user [reason]: removes a member from the server (they can rejoin with an invite).
import { kickMember } from '../../discord/api.ts';
import { moderationCommand } from '../../moderation/moderation-command.ts';

export const kick = moderationCommand({
  action: 'kick',
  membersOnly: true,
  notifyMember: true,
  plan: () => ({
    lengthMs: null,
    execute: (discord, { guildId, userId, auditLogReason }) =>
      kickMember(discord, guildId, userId, { auditLogReason }),
  }),
});
