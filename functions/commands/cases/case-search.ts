// One page of a /cases search: one indexed statement, keyset-paged, one row more than a page to
// learn whether there is another. Deleted cases (/case delete) never appear.
// - Without `since`, newest first by case number: the cursor is `case_number < n` (or `> n` going
//   back), an index range of (guild_id, case_number), or of (guild_id, moderator_id | action |
//   source, case_number) for those filters; a member's cases come from (guild_id, user_id,
//   created_at), few enough to sort.
// - With `since`, newest first by date, (created_at, case_number) < the cursor case's: the window
//   is an index range of cases_guild_created_idx (guild_id, created_at, case_number) from the
//   bound, so a short window ends where it ends. Ordering by number and filtering the date would not: cases are dated when they
//   happened (an audit-log import's are days old), so Postgres cannot know where the window stops
//   and the last page of "since 30m" read all 100,000 rows of the guild (20 ms) to find nothing.
// - `until` (the dashboard's date range; /cases never sets it) pages by date as `since` does.
// No total: counting the matches would read all of them (a server's whole history with no
// filter); the buttons only need to know whether one more row exists.
import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, type SQL, sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../../db/edge.ts';
import { cases } from '../../../db/schema.ts';
import type { CaseRow } from '../../moderation/cases.ts';
import { CASES_PAGE_SIZE, type CaseFilters, type PageRequest } from './case-filters.ts';

export interface CasesPage {
  /** Newest first, at most a page. */
  rows: CaseRow[];
  /** Whether there are more in the direction read (older for the first page). */
  more: boolean;
}

/** Whether pages go by date: a date bound is set, so case numbers do not bound the window. */
const byDate = (filters: CaseFilters): boolean => filters.since !== null || (filters.until ?? null) !== null;

function cursorCondition(guildId: string, filters: CaseFilters, page: PageRequest): SQL | undefined {
  const older = page.direction === 'older';
  if (!byDate(filters)) return older ? lt(cases.caseNumber, page.cursor) : gt(cases.caseNumber, page.cursor);
  // The cursor case's own (created_at, case_number), looked up in this guild only: a number that
  // names no case here matches nothing.
  const at = sql`(select ${cases.createdAt}, ${cases.caseNumber} from ${cases}
    where ${cases.guildId} = ${guildId} and ${cases.caseNumber} = ${page.cursor})`;
  return older
    ? sql`(${cases.createdAt}, ${cases.caseNumber}) < ${at}`
    : sql`(${cases.createdAt}, ${cases.caseNumber}) > ${at}`;
}

/** The conditions of a search (exported for the bench's EXPLAIN). */
export function searchConditions(
  guildId: string,
  filters: CaseFilters,
  page: PageRequest | null,
): SQL | undefined {
  return and(
    eq(cases.guildId, guildId),
    isNull(cases.deletedAt),
    filters.userId ? eq(cases.userId, filters.userId) : undefined,
    filters.userIds ? inArray(cases.userId, [...filters.userIds]) : undefined,
    filters.moderatorId ? eq(cases.moderatorId, filters.moderatorId) : undefined,
    filters.action ? eq(cases.action, filters.action) : undefined,
    filters.source ? eq(cases.source, filters.source) : undefined,
    filters.since ? gte(cases.createdAt, filters.since) : undefined,
    filters.until ? lt(cases.createdAt, filters.until) : undefined,
    page ? cursorCondition(guildId, filters, page) : undefined,
  );
}

/** The order a page is read in: away from the cursor. */
export function searchOrder(filters: CaseFilters, page: PageRequest | null): SQL[] {
  const dir = page?.direction === 'newer' ? asc : desc;
  return byDate(filters) ? [dir(cases.createdAt), dir(cases.caseNumber)] : [dir(cases.caseNumber)];
}

/** The statement of a search page, unrun (to batch with others: the dashboard's member page). */
export function searchCasesRead(
  db: EdgeDatabase,
  guildId: string,
  filters: CaseFilters,
  page: PageRequest | null,
  pageSize: number = CASES_PAGE_SIZE,
) {
  return db
    .select()
    .from(cases)
    .where(searchConditions(guildId, filters, page))
    .orderBy(...searchOrder(filters, page))
    .limit(pageSize + 1);
}

/** The first page (`page` null) or the page after or before a cursor, of `pageSize` cases. */
export async function searchCases(
  db: EdgeDatabase,
  guildId: string,
  filters: CaseFilters,
  page: PageRequest | null,
  pageSize: number = CASES_PAGE_SIZE,
): Promise<CasesPage> {
  return casesPageOf(await searchCasesRead(db, guildId, filters, page, pageSize), page, pageSize);
}

/** A page from the rows its statement read (one more than a page, in reading order). */
export function casesPageOf(read: CaseRow[], page: PageRequest | null, pageSize: number): CasesPage {
  const more = read.length > pageSize;
  const rows = read.slice(0, pageSize);
  return { rows: page?.direction === 'newer' ? rows.reverse() : rows, more };
}
