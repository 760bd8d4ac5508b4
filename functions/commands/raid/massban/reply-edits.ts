// Edits the massban's preview message (through the confirming click's interaction token, kept with
// the massban for its 15 minutes; a secret, never logged) with progress and the final summary.
// Best effort: a failed edit never stops the banning.
import { and, eq, sql } from 'drizzle-orm';
import { cases } from '../../../../db/schema.ts';
import { getUser } from '../../../discord/api.ts';
import { editStoredReply } from '../../../interactions/stored-reply.ts';
import type { Services } from '../../../services.ts';
import { forEachLimited } from './lookups.ts';
import { summaryText } from './replies.ts';
import { type MassbanRow, readMassban } from './store.ts';

/** Failed users named in the summary (one lookup each). */
const NAMED_FAILURES = 15;

export function editMassbanMessage(
  services: Services,
  row: Pick<MassbanRow, 'id' | 'replyToken' | 'replyTokenExpiresAt'>,
  content: string,
): Promise<void> {
  // The buttons go: the preview is no longer something to confirm.
  return editStoredReply(services, row, { content, components: [] }, `massban ${row.id}`);
}

/** The summary of a finished massban: case numbers from its cases, failed users by name. */
export async function summarizeMassban(
  services: Services,
  id: string,
  noneBanned: boolean,
): Promise<string | null> {
  const row = await readMassban(services.db, id);
  if (!row) return null;
  const [range] = await services.db
    .select({
      first: sql<number | null>`min(${cases.caseNumber})`,
      last: sql<number | null>`max(${cases.caseNumber})`,
    })
    .from(cases)
    .where(and(eq(cases.guildId, row.guildId), eq(cases.batchId, row.id)));
  const usernames = new Map<string, string>();
  await forEachLimited(row.failedUserIds.slice(0, NAMED_FAILURES), 5, async (userId) => {
    const user = await getUser(services.discord, userId).catch(() => null);
    if (user) usernames.set(userId, user.global_name ?? user.username);
  });
  const numbers =
    range?.first != null && range.last != null ? { first: range.first, last: range.last } : null;
  return summaryText(row, numbers, usernames, noneBanned);
}

/** Edits the message of a massban that just finished (the token was cleared with the last chunk). */
export async function editMassbanSummary(
  services: Services,
  row: Pick<MassbanRow, 'id' | 'replyToken' | 'replyTokenExpiresAt'>,
  noneBanned: boolean,
): Promise<void> {
  const text = await summarizeMassban(services, row.id, noneBanned);
  if (text) await editMassbanMessage(services, row, text);
}
