// What the dashboard's pages read: a page of cases through the /cases search (one indexed,
// keyset-paged statement), and one case with how it ended, its whole edit history and the server's
// mod-log channel in one round trip (three statements in a batch, each by index).
import { eq } from 'drizzle-orm';
import type { EdgeDatabase } from '../../../db/edge.ts';
import { guilds } from '../../../db/schema.ts';
import type { CaseEnding } from '../../../shared/embeds.ts';
import { type CaseEditRow, caseByNumberReads, caseFound } from '../../commands/cases/case-edits.ts';
import { type CasesPage, searchCases } from '../../commands/cases/case-search.ts';
import type { CaseRow } from '../../moderation/cases.ts';
import { type CasesQuery, DASHBOARD_PAGE_SIZE } from './cases-query.ts';

export function readCasesPage(db: EdgeDatabase, guildId: string, query: CasesQuery): Promise<CasesPage> {
  return searchCases(db, guildId, query.filters, query.page, DASHBOARD_PAGE_SIZE);
}

/** The most edits the case page lists (a case is corrected a handful of times; this bounds a page). */
export const MAX_EDITS_SHOWN = 200;

export interface CaseDetail {
  row: CaseRow;
  ending: CaseEnding | null;
  /** Newest first. */
  edits: CaseEditRow[];
  /** Whether there were more than MAX_EDITS_SHOWN. */
  moreEdits: boolean;
  modlogChannelId: string | null;
}

/** A case of this guild by its number (deleted ones too: the page marks them), or null. */
export async function readCase(
  db: EdgeDatabase,
  guildId: string,
  caseNumber: number,
): Promise<CaseDetail | null> {
  const [found, edits, guild] = await db.batch([
    ...caseByNumberReads(db, guildId, caseNumber, MAX_EDITS_SHOWN + 1),
    db.select({ modlogChannelId: guilds.modlogChannelId }).from(guilds).where(eq(guilds.guildId, guildId)),
  ]);
  const one = caseFound(found);
  if (!one) return null;
  return {
    ...one,
    edits: edits.slice(0, MAX_EDITS_SHOWN),
    moreEdits: edits.length > MAX_EDITS_SHOWN,
    modlogChannelId: guild[0]?.modlogChannelId ?? null,
  };
}
