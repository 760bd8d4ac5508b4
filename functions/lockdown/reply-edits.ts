// Edits the moderator's reply to a lockdown or unlock while its work goes on: progress, then the
// summary (through the token kept with the lockdown, interactions/stored-reply.ts).
import { editStoredReply } from '../interactions/stored-reply.ts';
import type { Services } from '../services.ts';
import { summaryText } from './lockdown-replies.ts';
import { channelsInState, type LockdownRow } from './lockdown-store.ts';

export function editLockdownReply(services: Services, row: LockdownRow, content: string): Promise<void> {
  return editStoredReply(services, row, { content }, `lockdown ${row.id}`);
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
