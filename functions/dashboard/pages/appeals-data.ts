// What the appeals queue reads: the server's pending appeals, oldest first (a queue, by the partial
// index on pending appeals), and a page of decided ones, newest decision first, keyset-paged by
// (decided_at, id). Each row comes with its ban case (number, reason) and, for an accepted appeal,
// the unban case it led to: one statement per list, both in one batch.
import { and, asc, desc, eq, lt, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { EdgeDatabase } from '../../../db/edge.ts';
import { appeals, cases } from '../../../db/schema.ts';
import type { AppealRow } from '../../appeals/appeal-store.ts';
import type { AppealsQuery } from './appeals-query.ts';

/** The most pending appeals the queue lists at once (deciding them makes room for the next). */
export const PENDING_SHOWN = 100;
/** Decided appeals per page. */
export const DECIDED_PAGE_SIZE = 25;

export interface AppealListing {
  appeal: AppealRow;
  ban: { caseNumber: number; reason: string | null } | null;
  unban: { caseNumber: number } | null;
}

export interface AppealsPage {
  pending: AppealListing[];
  /** Whether more pending appeals wait than are listed. */
  morePending: boolean;
  decided: AppealListing[];
  /** Whether there are older decisions than this page's. */
  moreDecided: boolean;
}

const ban = alias(cases, 'ban');
const unban = alias(cases, 'unban');

function listing(db: EdgeDatabase) {
  return db
    .select({
      appeal: appeals,
      ban: { caseNumber: ban.caseNumber, reason: ban.reason },
      unban: { caseNumber: unban.caseNumber },
    })
    .from(appeals)
    .leftJoin(ban, eq(ban.id, appeals.caseId))
    .leftJoin(unban, eq(unban.id, appeals.decisionCaseId));
}

type Joined = {
  appeal: AppealRow;
  ban: { caseNumber: number; reason: string | null } | null;
  unban: { caseNumber: number } | null;
};

export async function readAppealsPage(
  db: EdgeDatabase,
  guildId: string,
  query: AppealsQuery,
): Promise<AppealsPage> {
  const wantPending = query.filter !== 'decided' && !query.before;
  const wantDecided = query.filter !== 'pending';
  const cursor = query.before;
  const decidedWhere = and(
    eq(appeals.guildId, guildId),
    ne(appeals.state, 'pending'),
    cursor
      ? or(
          lt(appeals.decidedAt, cursor.decidedAt),
          and(eq(appeals.decidedAt, cursor.decidedAt), sql`${appeals.id} < ${cursor.id}::uuid`),
        )
      : undefined,
  );
  const [pending, decided] = await db.batch([
    listing(db)
      .where(and(eq(appeals.guildId, guildId), eq(appeals.state, 'pending')))
      .orderBy(asc(appeals.createdAt), asc(appeals.id))
      .limit(wantPending ? PENDING_SHOWN + 1 : 0),
    listing(db)
      .where(decidedWhere)
      .orderBy(desc(appeals.decidedAt), desc(appeals.id))
      .limit(wantDecided ? DECIDED_PAGE_SIZE + 1 : 0),
  ]);
  const rows = (list: Joined[], size: number) => list.slice(0, size);
  return {
    pending: rows(pending, PENDING_SHOWN),
    morePending: pending.length > PENDING_SHOWN,
    decided: rows(decided, DECIDED_PAGE_SIZE),
    moreDecided: decided.length > DECIDED_PAGE_SIZE,
  };
}
