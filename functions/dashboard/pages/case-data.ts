// What the dashboard's pages read: a page of cases through the /cases search (one indexed,
// keyset-paged statement), and one case with how it ended, its whole edit history and the server's
// mod-log channel in one round trip (three statements in a batch, each by index). Then, for either,
// the names the user directory knows of the ids shown (one statement by primary key); a member
// searched by name is first resolved to the ids it matches (functions/users/known-users.ts).
import { eq } from 'drizzle-orm';
import type { EdgeDatabase } from '../../../db/edge.ts';
import { guilds } from '../../../db/schema.ts';
import type { CaseEnding } from '../../../shared/embeds.ts';
import { type CaseEditRow, caseByNumberReads, caseFound } from '../../commands/cases/case-edits.ts';
import { type CasesPage, searchCases } from '../../commands/cases/case-search.ts';
import type { CaseRow } from '../../moderation/cases.ts';
import { findUsersByName, type KnownUser, namesOf } from '../../users/known-users.ts';
import { type CasesQuery, DASHBOARD_PAGE_SIZE } from './cases-query.ts';
import type { UserNames } from './user-label.ts';

export interface CasesPageRead extends CasesPage {
  names: UserNames;
  /** The users a member name matched (null when the member filter is an id or absent). */
  matched: KnownUser[] | null;
}

/** The names of the members and moderators of these cases. */
const namesOfRows = (db: EdgeDatabase, rows: readonly CaseRow[]) =>
  namesOf(
    db,
    rows.flatMap((row) => [row.userId, row.moderatorId]),
  );

export async function readCasesPage(
  db: EdgeDatabase,
  guildId: string,
  query: CasesQuery,
): Promise<CasesPageRead> {
  let matched: KnownUser[] | null = null;
  let filters = query.filters;
  if (query.memberName !== null) {
    matched = await findUsersByName(db, guildId, query.memberName);
    // A name that matches nobody lists nothing: no cases query at all.
    if (matched.length === 0) return { rows: [], more: false, names: new Map(), matched };
    filters = { ...filters, userIds: matched.map((u) => u.id) };
  }
  const found = await searchCases(db, guildId, filters, query.page, DASHBOARD_PAGE_SIZE);
  return { ...found, names: await namesOfRows(db, found.rows), matched };
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
  /** Names of the member, the moderator and whoever else the page shows, where known. */
  names: UserNames;
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
  const shown = edits.slice(0, MAX_EDITS_SHOWN);
  return {
    ...one,
    edits: shown,
    moreEdits: edits.length > MAX_EDITS_SHOWN,
    modlogChannelId: guild[0]?.modlogChannelId ?? null,
    names: await namesOf(db, [
      one.row.userId,
      one.row.moderatorId,
      ...(one.ending ? [one.ending.moderatorId] : []),
      ...shown.map((edit) => edit.editedBy),
    ]),
  };
}
