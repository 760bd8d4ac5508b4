// Scheduled job: settles intents (pending_actions) older than a couple of minutes — actions whose
// Discord call may have happened but whose case was never written (the database failed right after,
// or Discord timed out or answered 5xx). See reconcile-plan.ts for how Discord's present state
// decides. A recorded case takes the intent's id (recordCase), so if the command itself, or another
// tick, completes the same intent, the second write fails on the primary key instead of doubling.
// Discord errors leave the intent for a later tick with growing delays — never a silent gap. An
// intent Discord's state does not confirm is dropped, and for a moderator's action the mod-log is
// told once that it could not be confirmed and has no case (dropUnconfirmed).
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { and, asc, eq, gte, inArray, ne, sql } from 'drizzle-orm';
import { type CaseState, cases, pendingActions } from '../../db/schema.ts';
import { botPermissionLabel } from '../../shared/actions.ts';
import { getBan, getMember } from '../discord/api.ts';
import { DiscordApiError } from '../discord/rest.ts';
import { errorForLog } from '../log.ts';
import { auditEvent, queueEvent, sequenced } from '../moderation/audit.ts';
import { type IntentRow, recordCase } from '../moderation/cases.ts';
import type { Services } from '../services.ts';
import {
  afterCountedFailure,
  classifyFailure,
  cumulativeRetryDelaySql,
  describeMissing,
  failureForGuild,
} from './backoff.ts';
import { runPool, SUBREQUEST_COST } from './budget.ts';
import { Breaker, metered, type TickContext } from './context.ts';
import { decide, type Observation, probeFor } from './reconcile-plan.ts';

/**
 * An intent younger than this may still be completed by the command that wrote it: the command's
 * path (DM, Discord call, case transaction) is bounded by its timeouts to well under a minute.
 */
export const RECONCILE_GRACE_MS = 2 * 60_000;
const { db: DB, discord: DISCORD } = SUBREQUEST_COST;
/** Most one intent can cost: the look for a later case, Discord's state, the case or the drop, a failure record. */
export const RECONCILE_RESERVE = DB + DISCORD + DB + DB;
const CHUNK = 25;
const UNIQUE_VIOLATION = '23505';

export interface ReconcileReport {
  /** Cases written for actions Discord shows happened. */
  recorded: number;
  /** Intents dropped: Discord shows the action did not happen (or a later case already covers it). */
  dropped: number;
  /** Renewal claims left behind by a tick that died mid-renewal, released (no case follows them). */
  released: number;
  failed: number;
  reported: number;
}

/** The state one tick's reconcile step works with. */
interface ReconcileRun {
  tick: TickContext;
  report: ReconcileReport;
  breaker: Breaker;
}

export async function reconcileActions(tick: TickContext): Promise<ReconcileReport> {
  const run: ReconcileRun = {
    tick,
    report: { recorded: 0, dropped: 0, released: 0, failed: 0, reported: 0 },
    breaker: new Breaker(),
  };
  const { budget, now } = tick;
  const { breaker } = run;
  const seen = new Set<string>();
  let rateLimited = false;

  while (!breaker.open && !rateLimited) {
    const limit = Math.min(CHUNK, Math.floor((budget.remaining - DB) / RECONCILE_RESERVE));
    if (limit <= 0 || !budget.timeLeft || !budget.take(DB)) break;
    const due = sql`${pendingActions.createdAt} + (${RECONCILE_GRACE_MS} + ${cumulativeRetryDelaySql(
      pendingActions.reconcileAttempts,
    )}) * interval '1 millisecond' <= ${now}`;
    const rows = await metered(tick, budget, DB, ({ db }) =>
      db
        .select()
        .from(pendingActions)
        .where(
          and(
            due,
            tick.guildIds ? inArray(pendingActions.guildId, [...tick.guildIds]) : undefined,
            seen.size > 0
              ? sql`${pendingActions.id} not in (${sql.join(
                  [...seen].map((id) => sql`${id}`),
                  sql`, `,
                )})`
              : undefined,
          ),
        )
        .orderBy(asc(pendingActions.createdAt), asc(pendingActions.id))
        .limit(limit),
    );
    if (rows.length === 0) break;
    for (const row of rows) seen.add(row.id);
    const notStarted = await runPool(
      rows,
      tick.concurrency,
      () => {
        if (breaker.open || rateLimited || !budget.timeLeft) return 'stop';
        return budget.take(RECONCILE_RESERVE) ? 'start' : 'stop';
      },
      async (intent) => {
        const outcome = await metered(tick, budget, RECONCILE_RESERVE, (services) =>
          reconcileOne(run, intent, services),
        );
        if (outcome.rateLimited) rateLimited = true;
      },
    );
    if (rows.length < limit || notStarted.length > 0) break;
  }
  return run.report;
}

async function reconcileOne(
  run: ReconcileRun,
  intent: IntentRow,
  services: Services,
): Promise<{ rateLimited: boolean }> {
  const { tick, report, breaker } = run;
  const { now } = tick;
  const { db } = services;
  try {
    if (intent.purpose === 'renewal') {
      // Whether its PATCH happened or not, the case's `timeout_until` was not moved, so the mute
      // is due for renewal again and the next tick renews it (setting a timeout twice is harmless).
      await db.delete(pendingActions).where(eq(pendingActions.id, intent.id));
      report.released += 1;
      breaker.success();
      return { rateLimited: false };
    }
    const probe = probeFor(intent);
    if (probe !== 'none') {
      // The moderator may have repeated the action after seeing an error (or the scheduler retried
      // its lift): a later case of the same kind for the member covers this one.
      const [later] = await db
        .select({ id: cases.id })
        .from(cases)
        .where(
          and(
            eq(cases.guildId, intent.guildId),
            eq(cases.userId, intent.userId),
            eq(cases.action, intent.action),
            gte(cases.createdAt, intent.createdAt),
            ne(cases.id, intent.id),
          ),
        )
        .limit(1);
      if (later) {
        await dropIntent(services, intent, `case ${later.id} recorded since covers it`);
        report.dropped += 1;
        breaker.success();
        return { rateLimited: false };
      }
    }

    let seen: Observation = { kind: 'none' };
    if (probe !== 'none') {
      await tick.pacer.slot();
      seen = await observe(services, intent, probe);
    }
    const verdict = decide(intent, seen, now);
    if (verdict.verdict === 'drop') {
      await dropUnconfirmed(tick, services, intent, verdict.why);
      report.dropped += 1;
    } else {
      const byTheBot = intent.moderatorId === services.applicationId;
      const endState: CaseState | undefined =
        byTheBot && (intent.action === 'unban' || intent.action === 'unmute') ? 'expired' : undefined;
      try {
        const recorded = await recordCase(
          db,
          {
            id: intent.id,
            guildId: intent.guildId,
            action: intent.action,
            userId: intent.userId,
            moderatorId: intent.moderatorId,
            reason: intent.reason,
            expiresAt: intent.expiresAt,
            dmDelivered: intent.dmDelivered,
            evidence: intent.evidence,
            timeoutUntil: verdict.timeoutUntil,
            endState,
            // The scheduler's lift or end, completed late, ends what was due then, not a newer case.
            endsCasesUntil: endState ? intent.createdAt : undefined,
            // The bot's other actions are escalations' (a mute, kick or ban as an escalation policy's).
            source: endState ? 'scheduler' : byTheBot ? 'escalation' : 'command',
          },
          // The case is dated when the action happened, not when it was found.
          intent.discordAcceptedAt ?? intent.createdAt,
        );
        tick.events.push(recorded.event);
        report.recorded += 1;
      } catch (error) {
        if (!isDuplicateCase(error)) throw error;
        // Completed meanwhile (by the command or another tick): nothing left to do.
      }
    }
    breaker.success();
    return { rateLimited: false };
  } catch (error) {
    const failure = classifyFailure(error);
    if (failure.kind === 'rate_limited') return { rateLimited: true };
    if (failure.kind === 'transient') breaker.failure();
    else breaker.success();
    report.failed += 1;
    try {
      if (await recordIntentFailure(tick, services, intent, failure.kind, error)) report.reported += 1;
    } catch (recordError) {
      console.error(
        `scheduled: could not record the failure of intent ${intent.id}: ${errorForLog(recordError)}`,
      );
    }
    return { rateLimited: false };
  }
}

async function observe(services: Services, intent: IntentRow, probe: 'ban' | 'member'): Promise<Observation> {
  const { discord } = services;
  if (probe === 'ban') {
    try {
      await getBan(discord, intent.guildId, intent.userId);
      return { kind: 'ban', banned: true };
    } catch (error) {
      if (error instanceof DiscordApiError && error.code === RESTJSONErrorCodes.UnknownBan)
        return { kind: 'ban', banned: false };
      throw error;
    }
  }
  try {
    const member = await getMember(discord, intent.guildId, intent.userId);
    const until = member.communication_disabled_until;
    return { kind: 'member', present: true, timeoutUntil: until ? new Date(until) : null };
  } catch (error) {
    if (error instanceof DiscordApiError && error.code === RESTJSONErrorCodes.UnknownMember)
      return { kind: 'member', present: false };
    throw error;
  }
}

async function dropIntent(services: Services, intent: IntentRow, why: string): Promise<void> {
  await services.db.delete(pendingActions).where(eq(pendingActions.id, intent.id));
  console.log(
    `scheduled: dropped unconfirmed ${intent.action} ${intent.id} (guild ${intent.guildId}, user ${intent.userId}): ${why}`,
  );
}

/** A `schedule.failed` report about an intent, said by the bot. */
function intentReport(
  services: Services,
  intent: IntentRow,
  reason: string,
  details: Record<string, string | number>,
  now: Date,
) {
  return auditEvent(
    {
      id: null,
      caseNumber: null,
      guildId: intent.guildId,
      userId: intent.userId,
      moderatorId: services.applicationId,
      reason,
      expiresAt: null,
      action: 'schedule.failed',
      details: { Job: 'confirm an unconfirmed action', Action: intent.action, Intent: intent.id, ...details },
    },
    now,
  );
}

/**
 * Drops an intent Discord's present state does not confirm. Discord shows what is true now, not
 * what happened: a ban lifted by hand since, or a kicked member who rejoined, looks the same as an
 * action that never went through. A moderator's action is never dropped silently: the mod-log is
 * told once, in the same transaction as the drop, that it could not be confirmed and has no case,
 * so the team can check and redo it. The scheduler's own actions are not reported: their case is
 * still due, and the scheduler tries again.
 */
async function dropUnconfirmed(
  tick: TickContext,
  services: Services,
  intent: IntentRow,
  why: string,
): Promise<void> {
  if (intent.moderatorId === services.applicationId) {
    await dropIntent(services, intent, why);
    return;
  }
  const { db } = services;
  const { now } = tick;
  const event = intentReport(
    services,
    intent,
    `Could not confirm a ${intent.action} of <@${intent.userId}> by <@${intent.moderatorId}>: Discord now shows ${why.replace(/^the /, 'that the ')}. No case was recorded; if it did happen, run the command again.`,
    {},
    now,
  );
  const [, queued] = await db.batch([
    db.delete(pendingActions).where(eq(pendingActions.id, intent.id)),
    queueEvent(db, event, now),
  ]);
  tick.events.push(sequenced(event, queued));
  console.log(
    `scheduled: reported and dropped unconfirmed ${intent.action} ${intent.id} (guild ${intent.guildId}, user ${intent.userId}): ${why}`,
  );
}

/** Counts the failed attempt; queues a report the one time it is due. Returns whether it reported. */
async function recordIntentFailure(
  tick: TickContext,
  services: Services,
  intent: IntentRow,
  kind: 'transient' | 'permanent',
  error: unknown,
): Promise<boolean> {
  const { now } = tick;
  const { db } = services;
  console.error(`scheduled: could not confirm intent ${intent.id}: ${errorForLog(error)}`);
  const decision = afterCountedFailure(intent.reconcileAttempts, kind);
  const update = db
    .update(pendingActions)
    .set({ reconcileAttempts: decision.attempts })
    .where(eq(pendingActions.id, intent.id));
  if (!decision.report) {
    await update;
    return false;
  }
  const event = intentReport(
    services,
    intent,
    `Could not confirm whether a ${intent.action} by <@${intent.moderatorId}> went through; its case is not recorded yet. Retrying about hourly.`,
    {
      Missing: describeMissing(error, botPermissionLabel(intent.action)),
      Attempts: decision.attempts,
      'Last error': failureForGuild(error),
    },
    now,
  );
  const [, queued] = await db.batch([update, queueEvent(db, event, now)]);
  tick.events.push(sequenced(event, queued));
  return true;
}

function isDuplicateCase(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const fields = e as { code?: unknown; constraint?: unknown; message?: unknown };
    if (fields.code === UNIQUE_VIOLATION && fields.constraint === 'cases_pkey') return true;
    if (typeof fields.message === 'string' && fields.message.includes('"cases_pkey"')) return true;
  }
  return false;
}
