// Scheduled job: ends timed slowmodes whose time is up (a /slowmode with a `duration`, see
// functions/commands/raid/slowmode.ts). Each due timer is claimed first (slowmode-store.ts, SKIP
// LOCKED), so two ticks never act on one. The channel is read from Discord: if it still has the
// interval the timer set, the previous one is put back (PATCH rate_limit_per_user); if someone
// changed it since, it is left alone and the mod-log says so; a deleted channel just ends the timer.
// The end and its `audit:logged` `slowmode.expired` event are one transaction, written only while
// the timer is still active, so it is announced once.
// - 5xx, timeouts, the database: retried with growing delays (backoff.ts). A refusal (missing
//   Manage Channels…): retried hourly. Either is reported once as `schedule.failed`.
// - 429: the timer is handed back untouched for the next tick.
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { getChannel, setSlowmode } from '../discord/channels.ts';
import { DiscordApiError } from '../discord/rest.ts';
import { errorForLog } from '../log.ts';
import { auditEvent } from '../moderation/audit.ts';
import type { Services } from '../services.ts';
import { describeInterval, type EndAction, endAction, endOutcomeText } from '../slowmode/slowmode-plan.ts';
import {
  claimDueSlowmodes,
  finishSlowmode,
  recordSlowmodeFailure,
  releaseSlowmodes,
  type SlowmodeRow,
} from '../slowmode/slowmode-store.ts';
import { afterFailure, classifyFailure, describeMissing, failureForGuild } from './backoff.ts';
import { DISCORD_CALL_SENDS, runPool, SUBREQUEST_COST } from './budget.ts';
import { Breaker, metered, type TickContext } from './context.ts';

const { db: DB, discord: DISCORD } = SUBREQUEST_COST;
/** Most one end can cost: read the channel, restore it, the end's transaction, or a failure record. */
export const SLOWMODE_END_RESERVE = DISCORD + DISCORD + DB + DB;
/** What an end that restores sends: one GET, one PATCH (each with its budget slot), one transaction. */
const SLOWMODE_END_COST = 2 * DISCORD_CALL_SENDS + DB;
/** Timers claimed per tick at most. */
const SLOWMODES_PER_TICK = 50;

export interface SlowmodeReport {
  /** The previous interval put back. */
  restored: number;
  /** Changed by hand since: left alone. */
  leftAlone: number;
  /** The channel was deleted: the timer just ended. */
  gone: number;
  failed: number;
  reported: number;
  /** Claimed but handed back for the next tick (no budget or time left, or a 429). */
  deferred: number;
}

type Outcome = EndAction | { kind: 'gone' };

const channelGone = (error: unknown) =>
  error instanceof DiscordApiError &&
  (error.code === RESTJSONErrorCodes.UnknownChannel || error.status === 404);

export async function expireSlowmodes(tick: TickContext): Promise<SlowmodeReport> {
  const report: SlowmodeReport = { restored: 0, leftAlone: 0, gone: 0, failed: 0, reported: 0, deferred: 0 };
  const { budget } = tick;
  // The claim, and the hand-back of what this tick does not reach.
  if (!budget.take(2 * DB)) return report;
  const limit = Math.min(SLOWMODES_PER_TICK, Math.floor(budget.remaining / SLOWMODE_END_COST));
  const claimed = await metered(tick, budget, DB, ({ db }) =>
    claimDueSlowmodes(db, tick.now, limit, tick.guildIds),
  );
  const breaker = new Breaker();
  const left = await runPool(
    claimed,
    tick.concurrency,
    () => (!budget.timeLeft || breaker.open || !budget.take(SLOWMODE_END_RESERVE) ? 'stop' : 'start'),
    (row) =>
      metered(tick, budget, SLOWMODE_END_RESERVE, (services) => endOne(tick, row, services, report, breaker)),
  );
  if (left.length === 0) {
    budget.refund(DB);
    return report;
  }
  report.deferred += left.length;
  await metered(tick, budget, DB, ({ db }) =>
    releaseSlowmodes(
      db,
      left.map((row) => row.id),
    ),
  ).catch((error: unknown) =>
    console.error(`scheduled: could not hand slowmodes back: ${errorForLog(error)}`),
  );
  return report;
}

/** Reads the channel and restores it if it still has our interval. */
async function endAtDiscord(tick: TickContext, row: SlowmodeRow, services: Services): Promise<Outcome> {
  await tick.pacer.slot();
  const channel = await getChannel(services.discord, row.channelId).catch((error: unknown) => {
    if (channelGone(error)) return null;
    throw error;
  });
  if (!channel) return { kind: 'gone' };
  const current = Number((channel as { rate_limit_per_user?: number }).rate_limit_per_user ?? 0);
  const action = endAction(row, current);
  if (action.kind === 'leave') return action;
  await tick.pacer.slot();
  const restored = await setSlowmode(services.discord, row.channelId, action.to, {
    auditLogReason: `Timed slowmode ended (set by ${row.moderatorId})`,
  })
    .then(() => true)
    .catch((error: unknown) => {
      if (channelGone(error)) return false;
      throw error;
    });
  return restored ? action : { kind: 'gone' };
}

/** Ends one timer. Never throws. */
async function endOne(
  tick: TickContext,
  row: SlowmodeRow,
  services: Services,
  report: SlowmodeReport,
  breaker: Breaker,
): Promise<void> {
  try {
    const outcome = await endAtDiscord(tick, row, services);
    const event = auditEvent(
      {
        id: null,
        caseNumber: null,
        guildId: row.guildId,
        userId: services.applicationId,
        moderatorId: services.applicationId,
        reason: row.reason,
        expiresAt: null,
        action: 'slowmode.expired',
        details: {
          Channel: `<#${row.channelId}>`,
          Was: describeInterval(row.seconds),
          Now: endOutcomeText(outcome),
          'Set by': `<@${row.moderatorId}>`,
        },
      },
      tick.now,
    );
    const queued = await finishSlowmode(
      services.db,
      row,
      {
        outcome: outcome.kind === 'restore' ? 'restored' : outcome.kind === 'leave' ? 'left_alone' : 'gone',
        foundSeconds: outcome.kind === 'leave' ? outcome.found : null,
      },
      event,
      tick.now,
    );
    breaker.success();
    if (!queued) return;
    tick.events.push(queued);
    if (outcome.kind === 'restore') report.restored += 1;
    else if (outcome.kind === 'leave') report.leftAlone += 1;
    else report.gone += 1;
  } catch (error) {
    await recordFailure(tick, row, services, report, breaker, error);
  }
}

async function recordFailure(
  tick: TickContext,
  row: SlowmodeRow,
  services: Services,
  report: SlowmodeReport,
  breaker: Breaker,
  error: unknown,
): Promise<void> {
  const kind = classifyFailure(error);
  try {
    if (kind.kind === 'rate_limited') {
      report.deferred += 1;
      await releaseSlowmodes(services.db, [row.id]);
      return;
    }
    if (kind.kind === 'transient') breaker.failure();
    else breaker.success();
    report.failed += 1;
    console.error(`scheduled: could not end the slowmode ${row.id}: ${errorForLog(error)}`);
    const decision = afterFailure(
      { attempts: row.scheduleAttempts, reportedAt: row.scheduleFailureReportedAt },
      kind.kind,
      tick.now,
    );
    const lastError = failureForGuild(error);
    const event = decision.report
      ? auditEvent(
          {
            id: null,
            caseNumber: null,
            guildId: row.guildId,
            userId: services.applicationId,
            moderatorId: services.applicationId,
            reason: `Could not end the timed slowmode in <#${row.channelId}>; retrying about hourly.`,
            expiresAt: null,
            action: 'schedule.failed',
            details: {
              Channel: `<#${row.channelId}>`,
              Job: 'end the timed slowmode',
              Missing: describeMissing(error, 'Manage Channels'),
              Attempts: decision.attempts,
              'Last error': lastError,
              'Next attempt': decision.nextAttemptAt.toISOString(),
            },
          },
          tick.now,
        )
      : null;
    const queued = await recordSlowmodeFailure(
      services.db,
      row,
      {
        attempts: decision.attempts,
        nextAttemptAt: decision.nextAttemptAt,
        lastError,
        reportedAt: decision.report ? tick.now : null,
      },
      event,
      tick.now,
    );
    if (queued) {
      tick.events.push(queued);
      report.reported += 1;
    }
  } catch (recordError) {
    console.error(
      `scheduled: could not record the failure of slowmode ${row.id}: ${errorForLog(recordError)}`,
    );
  }
}
