// Scheduled job: keeps long mutes in force and records their end.
// Discord ends a timeout by itself after at most 28 days, while /mute accepts up to a year: the
// command sets the longest timeout Discord allows (`timeout_until`) and this job renews it when it
// ends within a day and the mute lasts longer, until the mute's real end (`expires_at`). When that
// comes, the mute is recorded as ended: an unmute case by the bot, a `mute:removed` event, the mute
// case `expired` (Discord's own timeout ends at the same moment, so no Discord call is needed).
// - Before renewing, the member is read: no timeout while one should still run means a moderator
//   removed it in Discord's UI, so the case is closed quietly as `lifted`; a timeout that lapsed
//   because a renewal came late is set again. A member who left is checked again later.
// - A mute ended early by /unmute is `lifted` already and never due. Recording the end, and each
//   renewal, claims the member like a command (moderation/member-claims.ts): only while the case is
//   still active and no mute or unmute of the member is in flight; the end closes that case alone,
//   so a /mute given since keeps its case (and, past 28 days, its renewals), and an /unmute during a
//   renewal is asked to wait a moment instead of being undone by the renewal's PATCH.
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { and, eq } from 'drizzle-orm';
import { cases } from '../../db/schema.ts';
import { getMember } from '../discord/api.ts';
import { DiscordApiError } from '../discord/rest.ts';
import { errorForLog } from '../log.ts';
import { carryOutAction } from '../moderation/carry-out.ts';
import type { CaseRow } from '../moderation/cases.ts';
import { freshSchedule, setClaimedTimeout } from '../moderation/claimed-timeout.ts';
import { timeoutEnd } from '../moderation/timeouts.ts';
import type { Services } from '../services.ts';
import { RETRY_MAX_DELAY_MS } from './backoff.ts';
import { SUBREQUEST_COST } from './budget.ts';
import type { TickContext } from './context.ts';
import {
  closeQuietly,
  type DueCaseJob,
  type DueCaseReport,
  drainDueCases,
  settleDueOutcome,
  stillDue,
} from './due-cases.ts';
import { handleJobFailure } from './failures.ts';

const { db: DB, discord: DISCORD } = SUBREQUEST_COST;
/**
 * Most a mute's turn can cost: a renewal reads the member, claims it, sets the timeout, then writes
 * the case and releases the claim in one batch — or releases the claim and records the failure.
 */
export const MUTE_RESERVE = DISCORD + DB + DISCORD + DB + DB;
const CLAIM_CHUNK = 25;
/**
 * A timeout that should still run for longer than this but is gone at Discord was removed by hand;
 * a smaller gap is clock skew between Discord and us around its natural end.
 */
const REMOVED_BY_HAND_MARGIN_MS = 60_000;

export interface MuteReport extends DueCaseReport {
  renewed: number;
  /** Mutes whose time was up, recorded as ended. */
  ended: number;
  /** Timeouts removed by hand at Discord: closed quietly. */
  closed: number;
  /** The member has left; checked again later. */
  absent: number;
  /** No longer due when their turn came (unmuted or muted again meanwhile). */
  skipped: number;
}

export function renewMutes(tick: TickContext): Promise<MuteReport> {
  const report: MuteReport = {
    renewed: 0,
    ended: 0,
    closed: 0,
    absent: 0,
    skipped: 0,
    failed: 0,
    reported: 0,
    deferred: 0,
  };
  const isOver = (row: CaseRow) => (row.expiresAt as Date).getTime() <= tick.now.getTime();
  return drainDueCases(tick, report, {
    kind: 'mute',
    chunk: CLAIM_CHUNK,
    reserve: MUTE_RESERVE,
    // Recording a mute's end needs no Discord call, so a rate-limited guild does not hold it up.
    handleDespiteRateLimit: isOver,
    handle: (job, row, services) => (isOver(row) ? endOne(job, row, services) : renewOne(job, row, services)),
  });
}

/** Records the end of a mute whose time is up. Never throws. */
async function endOne(job: DueCaseJob<MuteReport>, row: CaseRow, services: Services): Promise<void> {
  const { tick, breaker } = job;
  try {
    const outcome = await carryOutAction(services, {
      at: tick.now,
      action: 'unmute',
      guildId: row.guildId,
      userId: row.userId,
      moderatorId: services.applicationId,
      reason: `Mute expired (case #${row.caseNumber})`,
      expiresAt: null,
      endState: 'expired',
      // Only while this mute is still active and no mute or unmute of the member is in flight, and
      // ending exactly this case: a /mute given since is never marked ended.
      endsCaseId: row.id,
      notice: null,
      execute: null,
    });
    await settleDueOutcome(job, services, row, outcome, 'ended');
  } catch (error) {
    // Only the database can fail here (no Discord call): nothing was written; try again next tick.
    console.error(`scheduled: could not record the end of mute case ${row.id}: ${errorForLog(error)}`);
    breaker.failure();
    job.giveBack.push(row.id);
  }
}

/** Renews one mute's timeout at Discord. Never throws. */
async function renewOne(job: DueCaseJob<MuteReport>, row: CaseRow, services: Services): Promise<void> {
  const { tick, report, breaker } = job;
  const { now } = tick;
  const expiresAt = row.expiresAt as Date;
  try {
    await tick.pacer.slot();
    let member: Awaited<ReturnType<typeof getMember>>;
    try {
      member = await getMember(services.discord, row.guildId, row.userId);
    } catch (error) {
      if (error instanceof DiscordApiError && error.code === RESTJSONErrorCodes.UnknownMember) {
        // Gone from the server. Discord keeps a timeout across leaving and rejoining; look again later.
        await services.db
          .update(cases)
          .set({
            scheduleClaimedUntil: null,
            scheduleNextAttemptAt: earliest(new Date(now.getTime() + RETRY_MAX_DELAY_MS), expiresAt),
          })
          .where(and(eq(cases.id, row.id), eq(cases.state, 'active')));
        report.absent += 1;
        breaker.success();
        return;
      }
      throw error;
    }

    const current = member.communication_disabled_until
      ? Date.parse(member.communication_disabled_until)
      : null;
    const timeoutRunning = current !== null && current > now.getTime();
    const shouldRunUntil = row.timeoutUntil?.getTime() ?? expiresAt.getTime();
    if (!timeoutRunning && shouldRunUntil - now.getTime() > REMOVED_BY_HAND_MARGIN_MS) {
      await closeQuietly(services, row, now);
      report.closed += 1;
      breaker.success();
      return;
    }

    const until = timeoutEnd(now, expiresAt);
    await tick.pacer.slot({ guildId: row.guildId, kind: 'memberWrite' });
    // Claim the member for the renewal as the mute's end does: only while this case is still active
    // and no mute or unmute of the member is in flight, and from then on a moderator's /unmute (or
    // /mute) waits until the timeout is set — otherwise an /unmute landing between a check and the
    // PATCH would be undone by it.
    const set = await setClaimedTimeout(services, row, {
      expiresAt,
      until,
      auditLogReason: `mute renewed until ${until.toISOString()} (Discord ends timeouts after 28 days), case #${row.caseNumber}`,
    });
    if (set.status === 'unclaimed') {
      const check = await stillDue(services, 'mute', row);
      if (check === 'ended') report.skipped += 1;
      else job.giveBack.push(row.id);
      return;
    }
    if (set.status === 'failed') throw set.error;
    await services.db.batch([
      services.db
        .update(cases)
        .set({ timeoutUntil: until, ...freshSchedule })
        .where(and(eq(cases.id, row.id), eq(cases.state, 'active'))),
      set.release,
    ]);
    report.renewed += 1;
    breaker.success();
  } catch (error) {
    await handleJobFailure(job, services, {
      row,
      error,
      route: 'memberWrite',
      job: 'renew the timeout',
      action: 'mute',
      // The mute's end is recorded on time whatever happens to its renewals.
      notAfter: expiresAt,
    });
  }
}

const earliest = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);
