// Scheduled job: settles crossings of escalation policies left `pending` (escalations rows written
// with their warning, escalation/crossing.ts) — a Worker that died between the warning and the
// action, an action that had to wait (another action on the member in flight, a rate limit), the
// crossings an audit-log sync left over, or one whose Discord answer was lost. After a grace period
// (the warning's own invocation may still be at work on it), each in turn:
// - its case exists (the crossing's id is its case's): marked done;
// - its intent exists: the reconciler's (it asks Discord and records the case, or drops the intent,
//   after which this step carries the action out again) — not read here meanwhile;
// - otherwise carried out by escalation/runner.ts, as the warning's invocation would have, its
//   events published with the tick's. One still pending after a day is given up and reported.
// Runs right after the reconcile step, so an intent it dropped is retried in the same tick.
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { cases, escalations, pendingActions } from '../../db/schema.ts';
import { carryOutCrossing, type EscalationCall, giveUpCrossing } from '../escalation/runner.ts';
import { errorForLog } from '../log.ts';
import type { Services } from '../services.ts';
import { runPool, SUBREQUEST_COST } from './budget.ts';
import { Breaker, metered, type TickContext } from './context.ts';

/** Longer than a warning's invocation can take (its calls have timeouts of seconds). */
export const ESCALATION_GRACE_MS = 2 * 60_000;
/** A crossing still pending after this is given up (and reported once) instead of tried forever. */
export const ESCALATION_GIVE_UP_MS = 24 * 60 * 60_000;
const { db: DB, discord: DISCORD } = SUBREQUEST_COST;
/**
 * Most one crossing can cost: the look for its case, its load, the intent, the case, marking it
 * done (or settling it); the guild's facts (2), the member, the DM (2) and the action.
 */
export const ESCALATION_RESERVE = 5 * DB + 6 * DISCORD;
const CHUNK = 10;

export interface EscalationReport {
  /** Carried out, their case recorded. */
  done: number;
  /** Found already carried out (their case exists): marked done. */
  marked: number;
  refused: number;
  failed: number;
  /** Still pending: tried again next tick (or the reconciler's first). */
  pending: number;
}

export async function continueEscalations(tick: TickContext): Promise<EscalationReport> {
  const report: EscalationReport = { done: 0, marked: 0, refused: 0, failed: 0, pending: 0 };
  const { budget, now } = tick;
  if (!budget.timeLeft || budget.remaining < DB + ESCALATION_RESERVE || !budget.take(DB)) return report;
  const limit = Math.min(CHUNK, Math.floor((budget.remaining - DB) / ESCALATION_RESERVE));
  const rows = await metered(tick, budget, DB, ({ db }) =>
    db
      .select({
        id: escalations.id,
        guildId: escalations.guildId,
        createdAt: escalations.createdAt,
        // Qualified by hand: a one-table select names its columns bare, and inside these
        // subqueries a bare `id` would be the subquery's own.
        recorded: sql<boolean>`exists (select 1 from ${cases} c where c.id = ${escalations}.id)`,
      })
      .from(escalations)
      .where(
        and(
          eq(escalations.state, 'pending'),
          lte(escalations.createdAt, new Date(now.getTime() - ESCALATION_GRACE_MS)),
          sql`not exists (select 1 from ${pendingActions} p where p.id = ${escalations}.id)`,
          tick.guildIds ? inArray(escalations.guildId, [...tick.guildIds]) : undefined,
        ),
      )
      .orderBy(asc(escalations.createdAt))
      .limit(limit),
  );
  const breaker = new Breaker();
  await runPool(
    rows,
    tick.concurrency,
    () => (!breaker.open && budget.timeLeft && budget.take(ESCALATION_RESERVE) ? 'start' : 'stop'),
    (row) =>
      metered(tick, budget, ESCALATION_RESERVE, async (services) => {
        try {
          const counted = await settleOne(tick, services, row);
          report[counted] += 1;
          breaker.success();
        } catch (error) {
          console.error(`scheduled: escalation ${row.id} failed: ${errorForLog(error)}`);
          report.pending += 1;
          breaker.failure();
        }
      }),
  );
  return report;
}

async function settleOne(
  tick: TickContext,
  services: Services,
  row: { id: string; guildId: string; createdAt: Date; recorded: boolean },
): Promise<keyof EscalationReport> {
  if (row.recorded) {
    await services.db
      .update(escalations)
      .set({ state: 'done', resultCaseId: row.id, updatedAt: tick.now })
      .where(and(eq(escalations.id, row.id), eq(escalations.state, 'pending')));
    return 'marked';
  }
  const context = { services, appPermissions: null, pace: paceWith(tick) };
  if (row.createdAt.getTime() <= tick.now.getTime() - ESCALATION_GIVE_UP_MS) {
    const given = await giveUpCrossing(context, row.id, 'it could not be carried out within a day');
    tick.events.push(...given.events);
    return 'failed';
  }
  const outcome = await carryOutCrossing(context, row.id);
  tick.events.push(...outcome.events);
  if (outcome.status === 'settled') return 'marked';
  if (outcome.status === 'pending') {
    // A Discord or database failure counts towards the breaker: the step stops when either is down.
    if (outcome.trouble) throw new Error(`escalation left pending: ${outcome.why}`);
    return 'pending';
  }
  return outcome.status;
}

/** The tick's pacing: the action on its guild's write route, the rest globally. */
function paceWith(tick: TickContext) {
  return (call: EscalationCall, guildId: string) =>
    tick.pacer.slot(
      call === 'ban'
        ? { guildId, kind: 'banWrite' }
        : call === 'member'
          ? { guildId, kind: 'memberWrite' }
          : null,
    );
}
