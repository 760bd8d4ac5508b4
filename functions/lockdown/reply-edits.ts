// Edits the moderator's reply to a lockdown or unlock while its work goes on, through the
// interaction token kept with the lockdown (valid 15 minutes, a secret: never logged). Best effort:
// a failed edit never stops the work.
import { editOriginalResponse } from '../discord/api.ts';
import { noMentions } from '../interactions/respond.ts';
import { errorForLog } from '../log.ts';
import type { Services } from '../services.ts';
import { summaryText } from './lockdown-replies.ts';
import { channelsInState, type LockdownRow } from './lockdown-store.ts';

export async function editLockdownReply(
  services: Services,
  row: LockdownRow,
  content: string,
): Promise<void> {
  if (!row.replyToken || !row.replyTokenExpiresAt || row.replyTokenExpiresAt.getTime() <= Date.now()) return;
  await editOriginalResponse(services.discord, services.applicationId, row.replyToken, {
    content,
    allowed_mentions: noMentions,
  }).catch((error: unknown) => {
    console.error(`lockdown ${row.id}: could not edit the moderator's reply: ${errorForLog(error)}`);
  });
}

/** The final summary, once the lockdown's lock or unlock has gone through every channel. */
export async function editLockdownSummary(
  services: Services,
  row: LockdownRow,
  unlocking: boolean,
): Promise<void> {
  const locks = await channelsInState(
    services.db,
    row.id,
    unlocking ? ['restored', 'restore_failed'] : ['locked', 'failed'],
  );
  await editLockdownReply(services, row, summaryText(row, locks, unlocking));
}
