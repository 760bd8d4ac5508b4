// Recent cases for a case-number option (caseNumberOption: /case view number, /reason case, …), in
// one indexed statement, deleted cases (/case delete) left out as every list leaves them out:
// - nothing typed: the newest 25, a backward scan of the unique index (guild_id, case_number);
// - digits: one bounded backward range scan of that index per range the prefix stands for
//   (case-query.ts), joined by UNION ALL (Postgres merges them in order and stops at 25). OR-ing the
//   ranges in one WHERE would not do: the planner scans the guild's index backwards and filters, which
//   for "1" in a server of 100,000 cases reads 80,000 entries (16 ms) instead of ~30 (0.1 ms);
// - words: among the guild's newest 1,000 cases (the first 1,000 entries of a backward index scan),
//   those whose reason contains them or whose action they name — bounded, so a rare word never scans
//   the whole history (≤0.7 ms of database time at 100,000 cases).
// Reads only; reasons are cut to what a choice can show.
import { type SQL, sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../db/edge.ts';
import { cases } from '../../db/schema.ts';
import type { CaseAction } from '../../shared/actions.ts';
import { MAX_AUTOCOMPLETE_CHOICES, MAX_CHOICE_LENGTH } from '../../shared/commands/limits.ts';
import { type CaseQuery, type CaseSummary, caseChoices, parseCaseQuery } from './case-query.ts';
import { containsPattern } from './saved-reason-choices.ts';

/** How far back a word is looked for: the newest cases only, so the cost has a bound. */
export const TEXT_SEARCH_WINDOW = 1_000;

const limit = MAX_AUTOCOMPLETE_CHOICES;
const columns = sql`${cases.caseNumber} as case_number, ${cases.action} as action, ${cases.userId} as user_id,
  left(${cases.reason}, ${MAX_CHOICE_LENGTH}) as reason, (${cases.expiresAt} is not null) as temporary`;

interface Row extends Record<string, unknown> {
  case_number: number | string;
  action: CaseAction;
  user_id: string;
  reason: string | null;
  temporary: boolean;
}

function statement(guildId: string, query: CaseQuery): SQL | null {
  const inGuild = sql`${cases.guildId} = ${guildId} and ${cases.deletedAt} is null`;
  const newestFirst = sql`order by ${cases.caseNumber} desc limit ${limit}`;
  switch (query.kind) {
    case 'none':
      return null;
    case 'newest':
      return sql`select ${columns} from ${cases} where ${inGuild} ${newestFirst}`;
    case 'prefix': {
      const branches = query.ranges.map(
        ([low, high]) =>
          sql`(select ${columns} from ${cases}
            where ${inGuild} and ${cases.caseNumber} between ${low} and ${high} ${newestFirst})`,
      );
      return sql`select * from (${sql.join(branches, sql` union all `)}) as matched
        order by case_number desc limit ${limit}`;
    }
    case 'text': {
      // The window is a subquery with its own LIMIT, so the plan is always the index's newest 1,000
      // entries, then the filter. Bounding by `case_number > counter - 1,000` instead leaves the
      // planner guessing the range, and for a rare word it chose a parallel scan of the whole table.
      const named =
        query.actions.length > 0
          ? sql` or action in (${sql.join(
              query.actions.map((action) => sql`${action}`),
              sql`, `,
            )})`
          : sql``;
      return sql`select case_number, action, user_id, left(reason, ${MAX_CHOICE_LENGTH}) as reason, temporary
        from (select ${cases.caseNumber} as case_number, ${cases.action} as action, ${cases.userId} as user_id,
                ${cases.reason} as reason, (${cases.expiresAt} is not null) as temporary
              from ${cases} where ${inGuild} order by ${cases.caseNumber} desc limit ${TEXT_SEARCH_WINDOW}) as recent
        where reason ilike ${containsPattern(query.text)}${named}
        order by case_number desc limit ${limit}`;
    }
  }
}

export async function suggestCases(
  db: EdgeDatabase,
  guildId: string,
  typed: string,
): Promise<{ name: string; value: number }[]> {
  const query = statement(guildId, parseCaseQuery(typed));
  if (!query) return [];
  const { rows } = await db.execute<Row>(query);
  const summaries: CaseSummary[] = rows.map((row) => ({
    caseNumber: Number(row.case_number),
    action: row.action,
    userId: row.user_id,
    reason: row.reason,
    temporary: row.temporary === true,
  }));
  return caseChoices(summaries);
}
