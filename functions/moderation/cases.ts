// The moderation record in Postgres: intents written before a Discord call, turned into a numbered
// case plus its outbox event in one transaction after it. Case numbers come from the guild's counter
// row, bumped in that same transaction, so they are unique and gap-free however many run at once.
import { and, desc, eq, inArray, isNull, lte, ne, sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../db/edge.ts';
import { type CaseState, cases, guilds, pendingActions } from '../../db/schema.ts';
import { type ActionSpec, actions, type CaseSource } from '../../shared/actions.ts';
import type { CaseEventData, CaseEventType, LockdownEvent } from '../../shared/events.ts';
import { type Crossing, crossingStatement } from '../escalation/crossing.ts';
import { queueEvent, sequenced } from '../events/outbox.ts';
import { type ClaimSide, type IntentValues, writeClaimedIntent } from './member-claims.ts';

export type CaseRow = typeof cases.$inferSelect;
export type IntentRow = typeof pendingActions.$inferSelect;

export interface ActionRecord extends IntentValues {
  /** For mutes past Discord's 28-day cap: the end of the timeout actually set. */
  timeoutUntil?: Date | null;
  /** How an ended earlier case is marked; `expired` when the scheduler lifts a temp ban. */
  endState?: CaseState;
  /**
   * The scheduler's actions end exactly the case that fell due, never a newer one given meanwhile
   * (a /mute recorded while the old mute's end was being written). Without it, every active case
   * of the kinds the action ends (shared/actions.ts `ends`).
   */
  endsCaseId?: string;
  /**
   * Ends only cases created up to this instant, inclusive (the reconciler completing a scheduler's
   * action late; an audit-log entry, whose earlier entry may share its millisecond).
   */
  endsCasesUntil?: Date;
  /** Where the case came from; `command` when not said. */
  source?: CaseSource;
  /** The audit-log entry it was read from (each entry becomes one case at most: a unique key). */
  auditEntryId?: string | null;
  automodRule?: string | null;
  /**
   * A case recorded when it is already over: the reconciler confirming from the audit log a ban or
   * mute that Discord shows undone since (lifted by hand). Recorded `lifted` at this instant, so
   * nothing later lifts or renews it.
   */
  alreadyEndedAt?: Date;
  /** Cases recorded together (a /massban's, a /modlog import's): the relay folds them into a digest. */
  batchId?: string | null;
  /**
   * Carried in the event only, never stored: the batch whose case this one ends (the scheduler
   * lifting a /massban's temporary bans), so the relay folds those lifts into a digest as it folds
   * the bans. Not `batchId`: a lift is not one of the massban's cases (its range, its resume).
   */
  eventBatchId?: string | null;
}

/**
 * Writes the intent, respecting the member's claims (see member-claims.ts); returns whether it was
 * written. Refused means nothing was written and nothing may be sent to Discord.
 */
export function recordIntent(db: EdgeDatabase, record: ActionRecord, claim: ClaimSide): Promise<boolean> {
  return writeClaimedIntent(db, record, claim);
}

export async function abandonIntent(db: EdgeDatabase, intentId: string): Promise<void> {
  await db.delete(pendingActions).where(eq(pendingActions.id, intentId));
}

export interface RecordedCase {
  row: CaseRow;
  event: LockdownEvent;
  /** The escalation policy this warning crossed, written with it (escalation/crossing.ts); to carry out. */
  crossing: Crossing | null;
}

/**
 * Writes the case, ends the earlier cases it replaces, queues its event in the outbox and removes
 * the intent — one transaction, one round trip. The case id is the intent id, so completing the same
 * intent twice (the Worker and the reconciler racing) fails on the primary key instead of doubling.
 */
export async function recordCase(db: EdgeDatabase, record: ActionRecord, now: Date): Promise<RecordedCase> {
  const eventId = crypto.randomUUID();
  const spec: ActionSpec = actions[record.action];
  const eventType = spec.eventType as CaseEventType;
  const eventBatchId = record.batchId || record.eventBatchId;
  const data: CaseEventData = {
    id: record.id,
    caseNumber: 0, // filled in by the database from the counter, below
    guildId: record.guildId,
    userId: record.userId,
    moderatorId: record.moderatorId,
    reason: record.reason,
    expiresAt: record.expiresAt?.toISOString() ?? null,
    dmDelivered: record.dmDelivered,
    source: record.source ?? 'command',
    ...(record.automodRule ? { automodRule: record.automodRule } : {}),
    ...(eventBatchId ? { batchId: eventBatchId } : {}),
    ...(record.evidence ? { evidence: record.evidence } : {}),
  };
  const envelope = { eventId, eventType, timestamp: now.toISOString(), data };
  const counter = sql<number>`(select ${guilds.caseCounter} from ${guilds} where ${guilds.guildId} = ${record.guildId})`;
  const ends = spec.ends;

  const bumpCounter = db
    .insert(guilds)
    .values({ guildId: record.guildId, caseCounter: 1 })
    .onConflictDoUpdate({
      target: guilds.guildId,
      set: { caseCounter: sql`${guilds.caseCounter} + 1`, updatedAt: now },
    });
  const insertCase = db
    .insert(cases)
    .values({
      id: record.id,
      guildId: record.guildId,
      caseNumber: counter,
      action: record.action,
      userId: record.userId,
      moderatorId: record.moderatorId,
      reason: record.reason,
      createdAt: now,
      expiresAt: record.expiresAt,
      dmDelivered: record.dmDelivered,
      timeoutUntil: record.timeoutUntil ?? null,
      source: record.source ?? 'command',
      auditEntryId: record.auditEntryId ?? null,
      automodRule: record.automodRule ?? null,
      batchId: record.batchId ?? null,
      evidence: record.evidence ?? null,
      ...(record.alreadyEndedAt ? { state: 'lifted' as const, endedAt: record.alreadyEndedAt } : {}),
    })
    .returning();
  const endEarlier = db
    .update(cases)
    .set({ state: record.endState ?? ends?.state ?? 'superseded', endedAt: now, endedByCaseId: record.id })
    .where(
      and(
        eq(cases.guildId, record.guildId),
        eq(cases.userId, record.userId),
        eq(cases.state, 'active'),
        record.endsCaseId
          ? eq(cases.id, record.endsCaseId)
          : inArray(cases.action, [...(ends?.actions ?? [])]),
        record.endsCasesUntil ? lte(cases.createdAt, record.endsCasesUntil) : undefined,
        ne(cases.id, record.id),
      ),
    );
  const queueCaseEvent = queueEvent(
    db,
    envelope,
    now,
    sql`jsonb_set(${JSON.stringify(envelope)}::jsonb, '{data,caseNumber}', to_jsonb(${counter}))`,
  );
  const dropIntent = db.delete(pendingActions).where(eq(pendingActions.id, record.id));
  // A warning that brings the member to a policy's threshold: the crossing, in the same transaction.
  const crossing = crossingStatement(db, record.id);

  const [, inserted, , queued, crossed] = ends
    ? await db.batch([bumpCounter, insertCase, endEarlier, queueCaseEvent, crossing, dropIntent])
    : await db.batch([bumpCounter, insertCase, dropIntent, queueCaseEvent, crossing]);
  const row = inserted[0] as CaseRow;
  const event = { ...envelope, data: { ...data, caseNumber: row.caseNumber } };
  return { row, event: sequenced(event, queued), crossing: crossed.rows[0] ?? null };
}

export async function findCase(
  db: EdgeDatabase,
  guildId: string,
  caseNumber: number,
): Promise<CaseRow | undefined> {
  const [row] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.guildId, guildId), eq(cases.caseNumber, caseNumber)))
    .limit(1);
  return row;
}

/**
 * One page of a member's cases, newest first, plus the total for the page count — both without
 * deleted cases (/case delete), which are kept in the table but never listed or counted. A member's
 * cases are few, read through (guild_id, user_id, created_at).
 */
export async function listMemberCases(
  db: EdgeDatabase,
  guildId: string,
  userId: string,
  page: { offset: number; limit: number },
): Promise<{ rows: CaseRow[]; total: number }> {
  const where = and(eq(cases.guildId, guildId), eq(cases.userId, userId), isNull(cases.deletedAt));
  const [rows, [count]] = await db.batch([
    db
      .select()
      .from(cases)
      .where(where)
      .orderBy(desc(cases.createdAt), desc(cases.caseNumber))
      .offset(page.offset)
      .limit(page.limit),
    db.select({ total: sql<number>`count(*)::int` }).from(cases).where(where),
  ]);
  return { rows, total: count?.total ?? 0 };
}
