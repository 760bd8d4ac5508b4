// /unban user [reason]: lifts a ban; the ban's case (and any pending temp-ban expiry) is closed with it.
import { unbanUser } from '../../discord/api.ts';
import { moderationCommand } from '../../moderation/moderation-command.ts';

export const unban = moderationCommand({
  action: 'unban',
  plan: () => ({
    lengthMs: null,
    execute: (discord, { guildId, userId, auditLogReason }) =>
      unbanUser(discord, guildId, userId, { auditLogReason }),
  }),
});
