// /note user text: a private note about a member, recorded as a `note` case through the same
// pipeline as /warn (permission, hierarchy, intent, case and its `note:added` event in one batch),
// with no DM and no Discord call. It shows in /warnings, /history, /cases and the mod-log like any
// case; it is its own action, so it never counts as a warning (escalation counts `warn` cases).
// Anyone can be noted, members or not (a note about someone who left is still worth keeping).
import { moderationCommand } from '../../moderation/moderation-command.ts';

export const note = moderationCommand({
  action: 'note',
  reasonOption: 'text',
  reasonRequired: true,
  notifyMember: false,
  plan: () => ({ lengthMs: null }),
});
