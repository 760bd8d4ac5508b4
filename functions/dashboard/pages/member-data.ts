// What the member page reads: the member's counts per action and punishments in force (the
// statements /history runs: commands/cases/history.ts) and one page of their cases (the /cases
// search filtered to them: commands/cases/case-search.ts), in one batch — one round trip, each
// statement on (guild_id, user_id, …) — then the names of the member and the moderators shown.
import type { EdgeDatabase } from '../../../db/edge.ts';
import { noFilters, type PageRequest } from '../../commands/cases/case-filters.ts';
import { type CasesPage, casesPageOf, searchCasesRead } from '../../commands/cases/case-search.ts';
import { memberSummaryReads } from '../../commands/cases/history.ts';
import type { MemberHistory } from '../../commands/cases/history-summary.ts';
import { namesOf } from '../../users/known-users.ts';
import { DASHBOARD_PAGE_SIZE } from './cases-query.ts';
import type { UserNames } from './user-label.ts';

export interface MemberPage extends Pick<MemberHistory, 'counts' | 'inForce'>, CasesPage {
  names: UserNames;
}

/** A member never seen here reads as an empty history (no cases, nothing in force), not an error. */
export async function readMemberPage(
  db: EdgeDatabase,
  guildId: string,
  userId: string,
  page: PageRequest | null,
): Promise<MemberPage> {
  const [counts, inForce, read] = await db.batch([
    ...memberSummaryReads(db, guildId, userId),
    searchCasesRead(db, guildId, { ...noFilters, userId }, page, DASHBOARD_PAGE_SIZE),
  ]);
  const found = casesPageOf(read, page, DASHBOARD_PAGE_SIZE);
  const names = await namesOf(db, [
    userId,
    ...found.rows.map((row) => row.moderatorId),
    ...inForce.map((row) => row.moderatorId),
  ]);
  return { counts, inForce, ...found, names };
}
