// Every read and write of ban appeals. An appeal and its `appeal.created` event are one batch under
// a per-user advisory lock, so neither a second appeal of one ban (unique on `case_id`) nor one past
// the user's daily limit (counted in the same statement) can slip in between check and write. A
// decision leaves `pending` by one conditional UPDATE, so it is taken exactly once.
import { and, eq, gt, sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../db/edge.ts';
import { type AppealState, appeals, cases } from '../../db/schema.ts';
import type { AuditEventData, LockdownEvent } from '../../shared/events.ts';
import { bumpEventSequenceIf, queueEvent, queueEventIfChanged, sequenced } from '../events/outbox.ts';
import { auditEvent } from '../moderation/audit.ts';
import type { CaseRow } from '../moderation/cases.ts';

export type AppealRow = typeof appeals.$inferSelect;

/** At most this many appeals per user in {@link APPEAL_WINDOW_MS}, across every server. */
export const MAX_APPEALS_PER_WINDOW = 3;
export const APPEAL_WINDOW_MS = 24 * 60 * 60 * 1000;

export async function findCase(db: EdgeDatabase, caseId: string): Promise<CaseRow | null> {
  const [row] = await db.select().from(cases).where(eq(cases.id, caseId)).limit(1);
  return row ?? null;
}

export async function appealOfCase(db: EdgeDatabase, caseId: string): Promise<AppealRow | null> {
  const [row] = await db.select().from(appeals).where(eq(appeals.caseId, caseId)).limit(1);
  return row ?? null;
}

/** The appeal, only if it belongs to this server (another server's reads as missing). */
export async function appealInGuild(
  db: EdgeDatabase,
  guildId: string,
  appealId: string,
): Promise<AppealRow | null> {
  const [row] = await db
    .select()
    .from(appeals)
    .where(and(eq(appeals.id, appealId), eq(appeals.guildId, guildId)))
    .limit(1);
  return row ?? null;
}

export async function recentAppealCount(db: EdgeDatabase, userId: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(appeals)
    .where(
      and(eq(appeals.userId, userId), gt(appeals.createdAt, new Date(now.getTime() - APPEAL_WINDOW_MS))),
    );
  return row?.n ?? 0;
}

function auditData(
  ban: CaseRow,
  fields: Pick<AuditEventData, 'moderatorId' | 'reason' | 'action' | 'details'> & Record<string, unknown>,
): AuditEventData {
  return {
    id: ban.id,
    caseNumber: ban.caseNumber,
    guildId: ban.guildId,
    userId: ban.userId,
    expiresAt: null,
    ...fields,
  };
}

export type NewAppealOutcome =
  | { outcome: 'recorded'; appeal: { id: string }; event: LockdownEvent }
  | { outcome: 'duplicate' }
  | { outcome: 'rate_limited' };

/** Records the appeal and its mod-log event, or neither (a ban appealed already, the limit reached). */
export async function recordAppeal(
  db: EdgeDatabase,
  ban: CaseRow,
  text: string,
  now: Date,
): Promise<NewAppealOutcome> {
  const id = crypto.randomUUID();
  const event = auditEvent(
    auditData(ban, {
      moderatorId: ban.userId,
      reason: text,
      action: 'appeal.created',
      details: { Appeal: id.slice(0, 8), 'Ban reason': ban.reason ?? 'No reason given' },
      appealId: id,
    }),
    now,
  );
  const since = new Date(now.getTime() - APPEAL_WINDOW_MS).toISOString();
  const room = sql`(select count(*) from ${appeals}
    where ${appeals.userId} = ${ban.userId} and ${appeals.createdAt} > ${since}::timestamptz) < ${MAX_APPEALS_PER_WINDOW}`;
  const [, inserted, queued] = await db.batch([
    db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`appeals:${ban.userId}`}, 0))`),
    db
      .insert(appeals)
      .select(
        sql`select ${id}::uuid, ${ban.guildId}, ${ban.id}::uuid, ${ban.userId}, ${text}, 'pending',
          null, null::timestamptz, null::uuid, null::boolean, ${event.eventId}::uuid, ${now.toISOString()}::timestamptz
          where ${room}`,
      )
      .onConflictDoNothing({ target: appeals.caseId })
      .returning({ id: appeals.id }),
    queueEventIfChanged(
      db,
      bumpEventSequenceIf(
        ban.guildId,
        sql`exists (select 1 from ${appeals} where ${appeals.id} = ${id}::uuid)`,
      ),
      event,
      now,
    ),
  ]);
  if (inserted.length > 0) return { outcome: 'recorded', appeal: { id }, event: sequenced(event, queued) };
  return (await appealOfCase(db, ban.id)) ? { outcome: 'duplicate' } : { outcome: 'rate_limited' };
}

/** Takes the decision, if the appeal is still pending: the row as decided, or null (decided already). */
export async function claimDecision(
  db: EdgeDatabase,
  appealId: string,
  state: Exclude<AppealState, 'pending'>,
  moderatorId: string,
  now: Date,
): Promise<AppealRow | null> {
  const [row] = await db
    .update(appeals)
    .set({ state, decidedBy: moderatorId, decidedAt: now })
    .where(and(eq(appeals.id, appealId), eq(appeals.state, 'pending')))
    .returning();
  return row ?? null;
}

/** An Accept whose unban was refused: the appeal goes back to pending, to be decided again. */
export async function releaseDecision(db: EdgeDatabase, appealId: string): Promise<void> {
  await db
    .update(appeals)
    .set({ state: 'pending', decidedBy: null, decidedAt: null })
    .where(and(eq(appeals.id, appealId), eq(appeals.state, 'accepted')));
}

/** The case that ended the ban (an accepted appeal's unban), if it is recorded. */
export async function enderOf(db: EdgeDatabase, ban: CaseRow): Promise<CaseRow | null> {
  const [row] = await db
    .select({ ender: cases })
    .from(cases)
    .where(
      and(
        eq(cases.guildId, ban.guildId),
        sql`${cases.id} = (select ended_by_case_id from ${cases} c where c.id = ${ban.id}::uuid)`,
      ),
    )
    .limit(1);
  return row?.ender ?? null;
}

export interface Decision {
  appeal: AppealRow;
  ban: CaseRow;
  /** The unban, for an accepted appeal whose case is recorded. */
  unban: CaseRow | null;
  dmDelivered: boolean;
}

/** Saves how the user was told and the unban's link, with the decision's mod-log event; one batch. */
export async function recordDecision(
  db: EdgeDatabase,
  decision: Decision,
  now: Date,
): Promise<LockdownEvent> {
  const { appeal, ban, unban, dmDelivered } = decision;
  const accepted = appeal.state === 'accepted';
  const details: Record<string, string> = { Appeal: appeal.id.slice(0, 8) };
  if (accepted) details['Unban case'] = unban ? `#${unban.caseNumber}` : 'being recorded';
  details['Told by DM'] = dmDelivered ? 'Yes' : 'No — Discord refused the DM';
  const event = auditEvent(
    auditData(ban, {
      moderatorId: appeal.decidedBy ?? '',
      reason: null,
      action: accepted ? 'appeal.accepted' : 'appeal.denied',
      details,
      appealId: appeal.id,
      appealEventId: appeal.eventId,
      dmDelivered,
      ...(unban ? { unbanCaseId: unban.id, unbanCaseNumber: unban.caseNumber } : {}),
    }),
    now,
  );
  const [, queued] = await db.batch([
    db
      .update(appeals)
      .set({ dmDelivered, decisionCaseId: unban?.id ?? null })
      .where(eq(appeals.id, appeal.id)),
    queueEvent(db, event, now),
  ]);
  return sequenced(event, queued);
}
