// Scheduled job: settles intents (pending_actions) older than a couple of minutes — actions whose
// Discord call may have happened but whose case was never written (the database failed right after,
// or Discord timed out or answered 5xx). See reconcile-plan.ts for how Discord's present state
// decides. A recorded case takes the intent's id (recordCase), so if the command itself, or another
// tick, completes the same intent, the second write fails on the primary key instead of doubling.
// Discord errors leave the intent for a later tick with growing delays — never a silent gap. When
// Discord's state does not confirm it, the audit log is asked whether Lockdown did it
// (reconcile-audit.ts): found, the case is recorded from the entry; not, the intent is dropped, and
// for a moderator's action the mod-log is told once that it has no case (reconcile-reports.ts).
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { and, asc, eq, gte, inArray, ne, sql } from 'drizzle-orm';
import { type CaseState, cases, pendingActions } from '../../db/schema.ts';
import { actions } from '../../shared/actions.ts';
import type { EntryCase } from '../audit-sync/entries.ts';
import { getBan, getMember } from '../discord/api.ts';
import { DiscordApiError } from '../discord/rest.ts';
import { errorForLog } from '../log.ts';
import { type ActionRecord, type IntentRow, recordCase } from '../moderation/cases.ts';
import type { Services } from '../services.ts';
import { classifyFailure, cumulativeRetryDelaySql } from './backoff.ts';
import { runPool, SUBREQUEST_COST } from './budget.ts';
import { Breaker, metered, type TickContext } from './context.ts';
import { type AuditConfirmation, confirmFromAuditLog } from './reconcile-audit.ts';
import { decide, type Observation, probeFor } from './reconcile-plan.ts';
import { dropIntent, dropUnconfirmed, recordIntentFailure } from './reconcile-reports.ts';

/**
 * An intent younger than this may still be completed by the command that wrote it: the command's
 * path (DM, Discord call, case transaction) is bounded by its timeouts to well under a minute.
 */
export const RECONCILE_GRACE_MS = 2 * 60_000;
const { db: DB, discord: DISCORD } = SUBREQUEST_COST;
/**
 * Most one intent can cost: the look for a later case, Discord's state, its audit log, the case or
 * the drop, a failure record.
 */
export const RECONCILE_RESERVE = DB + DISCORD + DISCORD + DB + DB;
const CHUNK = 25;
const UNIQUE_VIOLATION = '23505';
/** A case's keys: its id (the intent's), and its audit-log entry (each entry is one case at most). */
const CASE_KEYS = ['cases_pkey', 'cases_guild_audit_entry_key'];

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
    let confirmation: AuditConfirmation | null = null;
    if (verdict.verdict === 'drop' && probe !== 'none') {
      await tick.pacer.slot();
      confirmation = await confirmFromAuditLog(services, intent);
    }
    if (confirmation?.kind === 'found') {
      if (await recordFromAuditLog(tick, services, intent, confirmation.entry)) report.recorded += 1;
      else report.dropped += 1;
    } else if (verdict.verdict === 'drop') {
      await dropUnconfirmed(tick, services, intent, verdict.why, confirmation);
      report.dropped += 1;
    } else {
      if (await recordIntent(tick, services, intent, { timeoutUntil: verdict.timeoutUntil }))
        report.recorded += 1;
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

/**
 * Records the intent's case (the intent id as its id, so a second completion fails on the primary
 * key instead of doubling), dated when the action happened. False when it was completed meanwhile.
 */
async function recordIntent(
  tick: TickContext,
  services: Services,
  intent: IntentRow,
  found: Pick<ActionRecord, 'timeoutUntil' | 'auditEntryId' | 'alreadyEndedAt'> & { at?: Date },
): Promise<boolean> {
  const byTheBot = intent.moderatorId === services.applicationId;
  const endState: CaseState | undefined =
    byTheBot && (intent.action === 'unban' || intent.action === 'unmute') ? 'expired' : undefined;
  const at = found.at ?? intent.discordAcceptedAt ?? intent.createdAt;
  try {
    const recorded = await recordCase(
      services.db,
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
        timeoutUntil: found.timeoutUntil ?? null,
        auditEntryId: found.auditEntryId ?? null,
        alreadyEndedAt: found.alreadyEndedAt,
        endState,
        // A late completion ends what was in force when it happened, never a case given since (the
        // scheduler's lift ends what fell due; an action read from the audit log, what preceded it).
        endsCasesUntil: found.at ?? (endState ? intent.createdAt : undefined),
        // The bot's other actions are escalations' (a mute, kick or ban as an escalation policy's).
        source: endState ? 'scheduler' : byTheBot ? 'escalation' : 'command',
      },
      at,
    );
    tick.events.push(recorded.event);
    return true;
  } catch (error) {
    if (!isDuplicateCase(error)) throw error;
    // Completed meanwhile (by the command, another tick, or the entry already a case).
    await services.db.delete(pendingActions).where(eq(pendingActions.id, intent.id));
    return false;
  }
}

/**
 * The audit log shows Lockdown carried the action out, though Discord's state no longer shows it:
 * its case, dated at the entry and keyed by it. A ban or mute undone since is recorded as over, so
 * the scheduler never lifts or renews it; the entry that undid it is the audit-log sync's to record.
 */
function recordFromAuditLog(
  tick: TickContext,
  services: Services,
  intent: IntentRow,
  entry: EntryCase,
): Promise<boolean> {
  const lasting = actions[intent.action].undo !== null;
  console.log(
    `scheduled: confirmed ${intent.action} ${intent.id} (guild ${intent.guildId}) from audit-log entry ${entry.auditEntryId}`,
  );
  return recordIntent(tick, services, intent, {
    at: entry.at,
    auditEntryId: entry.auditEntryId,
    timeoutUntil: null,
    alreadyEndedAt: lasting ? tick.now : undefined,
  });
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

function isDuplicateCase(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const fields = e as { code?: unknown; constraint?: unknown; message?: unknown };
    if (fields.code === UNIQUE_VIOLATION && CASE_KEYS.includes(String(fields.constraint))) return true;
    if (
      typeof fields.message === 'string' &&
      CASE_KEYS.some((key) => String(fields.message).includes(`"${key}"`))
    )
      return true;
  }
  return false;
}
