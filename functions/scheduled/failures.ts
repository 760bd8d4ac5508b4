// Writes a failed attempt back to its case (attempts, next try, last error, claim released) and,
// once per run of failures, queues an `audit:logged` event (`schedule.failed`) in the same
// transaction, so the moderators hear about it in the mod-log exactly once.
import { and, eq } from 'drizzle-orm';
import { cases } from '../../db/schema.ts';
import { botPermissionLabel, type CaseAction } from '../../shared/actions.ts';
import type { LockdownEvent } from '../../shared/events.ts';
import { errorForLog } from '../log.ts';
import { auditEvent, queueEvent, sequenced } from '../moderation/audit.ts';
import type { CaseRow } from '../moderation/cases.ts';
import type { Services } from '../services.ts';
import { afterFailure, classifyFailure, describeMissing, failureForGuild } from './backoff.ts';
import type { GuildRoute } from './budget.ts';
import type { DueCaseJob, DueCaseReport } from './due-cases.ts';

export interface CaseFailure {
  row: CaseRow;
  kind: 'transient' | 'permanent';
  error: unknown;
  /** What the job was doing, for the report: "lift the temporary ban". */
  job: string;
  /** The Discord permission the job needs, for the report: "Ban Members". */
  permission: string;
  now: Date;
  /** The next try never waits past this (a mute's end must not wait for a renewal's backoff). */
  notAfter?: Date | null;
}

/** One database round trip. Returns the report event when one was queued (to publish with the tick's events). */
export async function recordCaseFailure(
  services: Services,
  failure: CaseFailure,
): Promise<LockdownEvent | null> {
  const { db } = services;
  const { row, kind, error, now } = failure;
  const decision = afterFailure(
    { attempts: row.scheduleAttempts, reportedAt: row.scheduleFailureReportedAt },
    kind,
    now,
  );
  const nextAttemptAt =
    failure.notAfter && failure.notAfter < decision.nextAttemptAt ? failure.notAfter : decision.nextAttemptAt;
  // The details go to the logs; the guild (and the case) get a plain sentence.
  console.error(`scheduled: could not ${failure.job} of case ${row.id}: ${errorForLog(error)}`);
  const lastError = failureForGuild(error);
  const update = db
    .update(cases)
    .set({
      scheduleAttempts: decision.attempts,
      scheduleNextAttemptAt: nextAttemptAt,
      scheduleLastError: lastError,
      scheduleClaimedUntil: null,
      ...(decision.report ? { scheduleFailureReportedAt: now } : {}),
    })
    .where(and(eq(cases.id, row.id), eq(cases.state, 'active')));
  if (!decision.report) {
    await update;
    return null;
  }
  const event = auditEvent(
    {
      id: row.id,
      caseNumber: row.caseNumber,
      guildId: row.guildId,
      userId: row.userId,
      moderatorId: services.applicationId,
      reason: `Could not ${failure.job} of case #${row.caseNumber}; retrying about hourly.`,
      expiresAt: null,
      action: 'schedule.failed',
      details: {
        Case: `#${row.caseNumber}`,
        Job: failure.job,
        Missing: describeMissing(error, failure.permission),
        Attempts: decision.attempts,
        'Last error': lastError,
        'Next attempt': nextAttemptAt.toISOString(),
      },
    },
    now,
  );
  const [, queued] = await db.batch([update, queueEvent(db, event, now)]);
  return sequenced(event, queued);
}

export interface JobFailure {
  row: CaseRow;
  error: unknown;
  /** The Discord route to hold back for the guild when Discord answered 429. */
  route: GuildRoute;
  /** What the job was doing, for the report: "lift the temporary ban". */
  job: string;
  /** The action whose permission the job needs at Discord, for the report. */
  action: CaseAction;
  notAfter?: Date | null;
}

/**
 * What every job does when its Discord call for a case fails: a 429 holds the guild's route and
 * hands the case back untouched; anything else counts towards the breaker (if it looks passing) and
 * is written back to the case, reported once.
 */
export async function handleJobFailure(
  job: DueCaseJob<DueCaseReport>,
  services: Services,
  failure: JobFailure,
): Promise<void> {
  const { row, error } = failure;
  const { tick, report, breaker } = job;
  const kind = classifyFailure(error);
  if (kind.kind === 'rate_limited') {
    job.rateLimitedGuilds.add(row.guildId);
    tick.pacer.holdRoute(
      { guildId: row.guildId, kind: failure.route },
      tick.clock.now() + (kind.retryAfterMs ?? 1000),
    );
    job.giveBack.push(row.id);
    return;
  }
  if (kind.kind === 'transient') breaker.failure();
  else breaker.success();
  report.failed += 1;
  try {
    const event = await recordCaseFailure(services, {
      row,
      kind: kind.kind,
      error,
      job: failure.job,
      permission: botPermissionLabel(failure.action),
      now: tick.now,
      notAfter: failure.notAfter,
    });
    if (event) {
      tick.events.push(event);
      report.reported += 1;
    }
  } catch (recordError) {
    console.error(`scheduled: could not record the failure of case ${row.id}: ${errorForLog(recordError)}`);
  }
}
