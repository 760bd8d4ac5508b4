// How a case ended, read with the case in one statement (a self-join on `ended_by_case_id`): the
// edge's `/case view` and the relay's line edits both show "Undone — case #13 by @mod", so both
// build their select from these pieces — the columns, the join, and the mapping to a CaseEnding.
import { and, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { CaseEnding } from '../shared/embeds.ts';
import { cases } from './schema.ts';

/** The case that ended the selected one (the unban of a ban, the scheduler's lift…). */
export const enderCase = alias(cases, 'ender');

/** Select `{ row, …endingColumns }` from cases, left-joined `on enderJoin`. */
export const endingColumns = {
  endingNumber: enderCase.caseNumber,
  endingModerator: enderCase.moderatorId,
  endingSource: enderCase.source,
  endingAt: enderCase.createdAt,
};

export const enderJoin = and(eq(enderCase.id, cases.endedByCaseId), eq(enderCase.guildId, cases.guildId));

type EndingFields = {
  endingNumber: number | null;
  endingModerator: string | null;
  endingSource: CaseEnding['source'] | null;
  endingAt: Date | null;
};

export function endingOf(r: EndingFields): CaseEnding | null {
  return r.endingNumber !== null && r.endingModerator !== null && r.endingAt !== null
    ? {
        caseNumber: r.endingNumber,
        moderatorId: r.endingModerator,
        source: r.endingSource ?? undefined,
        at: r.endingAt,
      }
    : null;
}
