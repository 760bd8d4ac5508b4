// Scheduled job: lifts temporary bans whose time is up. Each due ban is claimed (see due-cases.ts),
// lifted through the same path as /unban (carryOutAction: intent → Discord → unban case + event in
// one transaction, the ban case marked `expired`), with the bot as moderator.
// - Only `active` bans are due: a re-ban supersedes the old case and /unban lifts it, so neither is
//   ever unbanned by an old expiry. A pending ban/unban intent for the member makes the case wait
//   until the reconciler has settled it, so a lift is never attempted twice at once. The check and
//   the unban's intent are one conditional write under a per-member lock, and that intent holds off
//   a moderator's /ban until the unban is done (moderation/member-claims.ts), so a /ban can never
//   land between the check and the unban; the unban case ends exactly the ban that fell due.
// - Discord's Unknown Ban (10026): someone lifted it already (e.g. in Discord's UI); the case is
//   closed as `lifted`, quietly.
// - 5xx, timeouts: retried with growing delays. A refusal (missing permission…): retried hourly and
//   reported once. 429: the guild waits for the next tick, nothing counted against the case.
// - The lifts of one /massban's bans carry its batch id in their events (not their rows) and share
//   one reason, so the relay folds a 1,000-member expiry into a few digest messages; the ban each
//   lift ends is its `ended_by_case_id`. A lone temporary ban's lift names its case in the reason.
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { unbanUser } from '../discord/api.ts';
import { DiscordApiError } from '../discord/rest.ts';
import { errorForLog } from '../log.ts';
import { carryOutAction } from '../moderation/carry-out.ts';
import type { CaseRow } from '../moderation/cases.ts';
import type { Services } from '../services.ts';
import { DISCORD_CALL_SENDS, SUBREQUEST_COST } from './budget.ts';
import type { TickContext } from './context.ts';
import {
  closeQuietly,
  type DueCaseJob,
  type DueCaseReport,
  drainDueCases,
  settleDueOutcome,
} from './due-cases.ts';
import { handleJobFailure } from './failures.ts';

const { db: DB, discord: DISCORD } = SUBREQUEST_COST;
/** Most a lift can cost: the claim (intent), a look when refused, unban, case transaction, the intent's clean-up, the failure record. */
export const LIFT_RESERVE = DB + DB + DISCORD + DB + DB + DB;
/** What a lift that succeeds sends: the claim (intent), the unban (with its budget slot), the case transaction. */
export const LIFT_COST = DB + DISCORD_CALL_SENDS + DB;
/** Claimed per round trip; a tick takes several rounds while its budget lasts. */
const CLAIM_CHUNK = 50;

export interface BanReport extends DueCaseReport {
  /** Unbanned at Discord with their unban case recorded (or, if the database failed after, left for the reconciler). */
  lifted: number;
  /** Already lifted by hand at Discord: closed quietly. */
  closed: number;
  /** No longer due when their turn came (banned again, unbanned, or an action in flight). */
  skipped: number;
}

export function expireTempBans(tick: TickContext): Promise<BanReport> {
  const report: BanReport = { lifted: 0, closed: 0, skipped: 0, failed: 0, reported: 0, deferred: 0 };
  return drainDueCases(tick, report, {
    kind: 'ban',
    chunk: CLAIM_CHUNK,
    reserve: LIFT_RESERVE,
    handle: liftOne,
  });
}

/** Someone lifted the ban already (e.g. in Discord's UI), or the account is gone. */
const alreadyLifted = (error: unknown) =>
  error instanceof DiscordApiError &&
  (error.code === RESTJSONErrorCodes.UnknownBan || error.code === RESTJSONErrorCodes.UnknownUser);

/** A massban's lifts share one reason (a digest shows it once); a lone lift names its ban. */
export const liftReason = (row: Pick<CaseRow, 'batchId' | 'caseNumber'>): string =>
  row.batchId ? 'Temporary ban expired (massban)' : `Temporary ban expired (case #${row.caseNumber})`;

/** Lifts one ban. Never throws. */
async function liftOne(job: DueCaseJob<BanReport>, row: CaseRow, services: Services): Promise<void> {
  const { tick, report, breaker } = job;
  try {
    // Wait for this guild's turn at Discord first, then claim the member: the unban's intent is
    // written only while this ban is still active and no ban or unban of the member is in flight,
    // and from then on a moderator's /ban or /unban of the member waits for this one to finish.
    await tick.pacer.slot({ guildId: row.guildId, kind: 'banWrite' });
    const outcome = await carryOutAction(services, {
      at: tick.now,
      action: 'unban',
      guildId: row.guildId,
      userId: row.userId,
      moderatorId: services.applicationId,
      reason: liftReason(row),
      eventBatchId: row.batchId,
      expiresAt: null,
      endState: 'expired',
      endsCaseId: row.id,
      notice: null,
      execute: (discord) =>
        unbanUser(discord, row.guildId, row.userId, {
          auditLogReason: `temporary ban expired, case #${row.caseNumber}`,
        }),
    });
    await settleDueOutcome(job, services, row, outcome, 'lifted');
  } catch (error) {
    if (alreadyLifted(error)) {
      await closeQuietly(services, row, tick.now).catch((closeError) => {
        console.error(`scheduled: could not close case ${row.id}: ${errorForLog(closeError)}`);
      });
      report.closed += 1;
      breaker.success();
      return;
    }
    await handleJobFailure(job, services, {
      row,
      error,
      route: 'banWrite',
      job: 'lift the temporary ban',
      action: 'unban',
    });
  }
}
