// /warn user reason: records a warning case (no Discord action) and tells the member by DM.
import { moderationCommand } from '../../moderation/moderation-command.ts';

export const warn = moderationCommand({
  action: 'warn',
  membersOnly: true,
  reasonRequired: true,
  notifyMember: true,
  plan: () => ({ lengthMs: null }),
});
