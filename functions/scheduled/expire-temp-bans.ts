// Scheduled job: lifts temporary bans whose time is up. Each due ban is claimed (see due-cases.ts),
// lifted through the same path as /unban (carryOutAction: intent → Discord → unban case + event in
// one transaction, the ban case marked `expired`), with the bot as moderator.
// - Only `active` bans are due: a re-ban supersedes the old case and /unban lifts it, so neither is
//   ever unbanned by an old expiry. A pending ban/unban intent for the member makes the case wait
//   until the reconciler has settled it, so a lift is never attempted twice at once.
// - Discord's 10026 Unknown Ban: someone lifted it already (e.g. in Discord's UI); the case is
//   closed as `lifted`, quietly.
// - 5xx, timeouts: retried with growing delays. A refusal (missing permission…): retried hourly and
//   reported once. 429: the guild waits for the next tick, nothing counted against the case.
import { unbanUser } from '../discord/api.ts';
import { DiscordApiError } from '../discord/rest.ts';
import { errorForLog } from '../interactions/errors.ts';
import { carryOutAction } from '../moderation/carry-out.ts';
import type { CaseRow } from '../moderation/cases.ts';
import { SUBREQUEST_COST } from './budget.ts';
import { Breaker, type TickContext } from './context.ts';
import { closeQuietly, drainDueCases, stillDue } from './due-cases.ts';
import { handleJobFailure } from './failures.ts';

const { db: DB, discord: DISCORD } = SUBREQUEST_COST;
/** Most a lift can cost: the last look, intent, unban, case transaction, the intent's clean-up, the failure record. */
export const LIFT_RESERVE = DB + DB + DISCORD + DB + DB + DB;
/** What a lift that succeeds costs: the last look, intent, unban, case transaction. */
export const LIFT_COST = DB + DB + DISCORD + DB;
/** Claimed per round trip; a tick takes several rounds while its budget lasts. */
const CLAIM_CHUNK = 50;

const UNKNOWN_BAN = 10026;
const UNKNOWN_USER = 10013;

export interface BanReport {
  /** Unbanned at Discord with their unban case recorded (or, if the database failed after, left for the reconciler). */
  lifted: number;
  /** Already lifted by hand at Discord: closed quietly. */
  closed: number;
  /** No longer due when their turn came (banned again, unbanned, or an action in flight). */
  skipped: number;
  /** Failed this tick; retried later. */
  failed: number;
  /** Reported to the mod-log (once per case). */
  reported: number;
  /** Left for a later tick: rate limited, out of budget or time, or Discord/database down. */
  deferred: number;
}

export async function expireTempBans(ctx: TickContext): Promise<BanReport> {
  const report: BanReport = { lifted: 0, closed: 0, skipped: 0, failed: 0, reported: 0, deferred: 0 };
  const breaker = new Breaker();
  const rateLimitedGuilds = new Set<string>();

  await drainDueCases(ctx, {
    kind: 'ban',
    chunk: CLAIM_CHUNK,
    reserve: LIFT_RESERVE,
    breaker,
    rateLimitedGuilds,
    handle: (row, giveBack) => liftOne(ctx, row, report, breaker, rateLimitedGuilds, giveBack),
    report,
  });
  return report;
}

/** Lifts one ban; returns the subrequests it used. Never throws. */
async function liftOne(
  ctx: TickContext,
  row: CaseRow,
  report: BanReport,
  breaker: Breaker,
  rateLimitedGuilds: Set<string>,
  giveBack: string[],
): Promise<number> {
  const { services, now } = ctx;
  let discordCalled = false;
  let used = 0;
  try {
    // Wait for this guild's turn at Discord first, then make sure the ban is still due: the unban
    // follows the check within milliseconds (the intent insert), not after the wait.
    await ctx.pacer.slot({ guildId: row.guildId, kind: 'banWrite' });
    used += DB;
    const check = await stillDue(services, 'ban', row);
    if (check === 'blocked') {
      giveBack.push(row.id); // settled first, then due again
      return used;
    }
    if (check === 'ended') {
      report.skipped += 1;
      return used;
    }
    used += DB; // the intent
    const outcome = await carryOutAction(
      services,
      {
        at: now,
        action: 'unban',
        guildId: row.guildId,
        userId: row.userId,
        moderatorId: services.applicationId,
        reason: `Temporary ban expired (case #${row.caseNumber})`,
        expiresAt: null,
        endState: 'expired',
        notice: null,
        execute: async (discord) => {
          discordCalled = true;
          await unbanUser(discord, row.guildId, row.userId, {
            auditLogReason: `temporary ban expired, case #${row.caseNumber}`,
          });
        },
      },
      () => {},
      { publish: (event) => ctx.events.push(event) },
    );
    used += DISCORD + DB + (outcome.status === 'recorded' ? 0 : DB);
    report.lifted += 1;
    breaker.success();
    return used;
  } catch (error) {
    if (discordCalled) used += DISCORD;
    const isDiscord = error instanceof DiscordApiError;
    // carryOutAction removes the intent after a clear refusal, keeps it when the outcome is unknown.
    if (isDiscord && !error.outcomeUnknown) used += DB;

    if (isDiscord && (error.code === UNKNOWN_BAN || error.code === UNKNOWN_USER)) {
      used += DB;
      await closeQuietly(services, row, now).catch((closeError) => {
        console.error(`scheduled: could not close case ${row.id}: ${errorForLog(closeError)}`);
      });
      report.closed += 1;
      breaker.success();
      return used;
    }
    used += await handleJobFailure(ctx, {
      row,
      error,
      route: 'banWrite',
      job: 'lift the temporary ban',
      permission: 'Ban Members',
      report,
      breaker,
      rateLimitedGuilds,
      giveBack,
    });
    return used;
  }
}
