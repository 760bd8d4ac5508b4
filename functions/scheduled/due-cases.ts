// Finding and claiming the cases a tick works on, and the bookkeeping written back to them.
// A claim is one UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) that sets
// `schedule_claimed_until`: two ticks running at once never get the same row (the second skips the
// rows the first has locked, and once the first commits they no longer qualify).
import { and, asc, eq, inArray, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import { type CaseAction, cases, pendingActions } from '../../db/schema.ts';
import { errorForLog } from '../log.ts';
import type { ModerationOutcome } from '../moderation/carry-out.ts';
import type { CaseRow } from '../moderation/cases.ts';
import type { Services } from '../services.ts';
import { runPool, SUBREQUEST_COST } from './budget.ts';
import { Breaker, metered, type TickContext } from './context.ts';

/**
 * How long a claim holds. Longer than a tick can run (TICK_WALL_BUDGET_MS plus the last calls'
 * timeouts), so a claim only lapses when its tick died; then the next ticks pick the row up again.
 */
export const CLAIM_TTL_MS = 5 * 60_000;
/** Mutes are renewed when the timeout set at Discord ends within this, and the mute lasts longer. */
export const RENEW_AHEAD_MS = 24 * 60 * 60_000;

export type DueKind = 'ban' | 'mute';

/** Intents that, while pending, make a case's scheduled work wait (the reconciler settles them first). */
const blockingIntents: Record<DueKind, CaseAction[]> = {
  ban: ['ban', 'unban'],
  mute: ['mute', 'unmute'],
};

/** Whether an intent for the case's member is pending (a moderator's action in flight, or one to reconcile). */
function pendingIntentFor(kind: DueKind): SQL {
  return sql`exists (select 1 from ${pendingActions}
    where ${pendingActions.guildId} = ${cases.guildId}
      and ${pendingActions.userId} = ${cases.userId}
      and ${pendingActions.action} in (${sql.join(
        blockingIntents[kind].map((action) => sql`${action}`),
        sql`, `,
      )}))`;
}

function dueCondition(kind: DueKind, now: Date): SQL {
  if (kind === 'ban') return and(eq(cases.action, 'ban'), lte(cases.expiresAt, now)) as SQL;
  const renewBy = new Date(now.getTime() + RENEW_AHEAD_MS);
  return and(
    eq(cases.action, 'mute'),
    or(
      lte(cases.expiresAt, now),
      and(sql`${cases.timeoutUntil} < ${cases.expiresAt}`, lte(cases.timeoutUntil, renewBy)),
    ),
  ) as SQL;
}

/** The order work is taken in: what is (or falls) due first. */
function dueOrder(kind: DueKind): SQL {
  return kind === 'ban'
    ? sql`${cases.expiresAt}`
    : sql`least(${cases.expiresAt}, coalesce(${cases.timeoutUntil}, ${cases.expiresAt}))`;
}

export interface ClaimOptions {
  kind: DueKind;
  now: Date;
  limit: number;
  /** Development and tests only: restrict the tick to these guilds. */
  guildIds: readonly string[] | null;
}

/** Claims up to `limit` due cases, oldest first. One database round trip. */
export async function claimDueCases(services: Services, options: ClaimOptions): Promise<CaseRow[]> {
  const { db } = services;
  const { kind, now, limit, guildIds } = options;
  if (limit <= 0) return [];
  const claimUntil = new Date(now.getTime() + CLAIM_TTL_MS);
  const due = db
    .select({ id: cases.id })
    .from(cases)
    .where(
      and(
        eq(cases.state, 'active'),
        sql`${cases.expiresAt} is not null`,
        dueCondition(kind, now),
        or(isNull(cases.scheduleNextAttemptAt), lte(cases.scheduleNextAttemptAt, now)),
        or(isNull(cases.scheduleClaimedUntil), lte(cases.scheduleClaimedUntil, now)),
        sql`not ${pendingIntentFor(kind)}`,
        guildIds ? inArray(cases.guildId, [...guildIds]) : undefined,
      ),
    )
    .orderBy(dueOrder(kind), asc(cases.id))
    .limit(limit)
    .for('update', { skipLocked: true });
  const claimed = await db
    .update(cases)
    .set({ scheduleClaimedUntil: claimUntil })
    .where(inArray(cases.id, due))
    .returning();
  return claimed.sort((a, b) => dueTime(kind, a) - dueTime(kind, b));
}

function dueTime(kind: DueKind, row: CaseRow): number {
  const expires = row.expiresAt?.getTime() ?? 0;
  if (kind === 'ban') return expires;
  return Math.min(expires, row.timeoutUntil?.getTime() ?? expires);
}

export type StillDue = 'due' | 'ended' | 'blocked';

/**
 * Looks again, just before the Discord call, at a case claimed a moment ago: a moderator may have
 * banned the member again, unbanned or unmuted them meanwhile (the case is then no longer active), or
 * be doing so right now (an intent is pending). Narrows the window in which the scheduler could undo
 * a fresh action from the time a claim waits for its turn to a few milliseconds. One round trip.
 */
export async function stillDue(services: Services, kind: DueKind, row: CaseRow): Promise<StillDue> {
  const [found] = await services.db
    .select({ state: cases.state, blocked: sql<boolean>`${pendingIntentFor(kind)}` })
    .from(cases)
    .where(eq(cases.id, row.id));
  if (found?.state !== 'active') return 'ended';
  return found.blocked ? 'blocked' : 'due';
}

/**
 * After the scheduler's action on a case was not claimed (moderation/member-claims.ts): a case that
 * has ended since is skipped; one whose member has an action in flight is given back for later.
 */
/**
 * Settles a due case's carryOutAction outcome: a case the scheduler could not claim (ended since,
 * or an action on the member in flight) is counted skipped or handed back; otherwise its event joins
 * the tick's and `counted` goes up by one. Returns whether the case was carried out.
 */
export async function settleDueOutcome<R extends DueCaseReport & { skipped: number }>(
  job: DueCaseJob<R>,
  services: Services,
  row: CaseRow,
  outcome: ModerationOutcome,
  counted: { [K in keyof R]: R[K] extends number ? K : never }[keyof R],
): Promise<boolean> {
  if (outcome.status === 'not_claimed') {
    const check = await stillDue(services, row.action === 'ban' ? 'ban' : 'mute', row);
    if (check === 'ended') job.report.skipped += 1;
    else job.giveBack.push(row.id);
    return false;
  }
  if (outcome.status === 'recorded') job.tick.events.push(outcome.recorded.event);
  (job.report[counted] as number) += 1;
  job.breaker.success();
  return true;
}

/** Gives claims back untouched (work not started this tick). One round trip; nothing when empty. */
export async function releaseClaims(services: Services, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await services.db
    .update(cases)
    .set({ scheduleClaimedUntil: null })
    .where(inArray(cases.id, [...ids]));
}

/** Closes a case Discord shows was ended by hand (ban lifted in Discord's UI, timeout removed). */
export function closeQuietly(services: Services, row: CaseRow, now: Date) {
  return services.db
    .update(cases)
    .set({
      state: 'lifted',
      endedAt: now,
      scheduleClaimedUntil: null,
      scheduleNextAttemptAt: null,
      scheduleLastError: null,
    })
    .where(and(eq(cases.id, row.id), eq(cases.state, 'active')));
}

/** What a time-based job counts; `deferred` is kept by the drain loop. */
export interface DueCaseReport {
  failed: number;
  reported: number;
  /** Left for a later tick: rate limited, out of budget or time, or Discord/database down. */
  deferred: number;
}

/** The state one job's handling of a case works with (one object instead of positional arguments). */
export interface DueCaseJob<R extends DueCaseReport> {
  tick: TickContext;
  report: R;
  breaker: Breaker;
  /** Guilds that answered 429 this tick: their other cases wait for the next tick. */
  rateLimitedGuilds: Set<string>;
  /** Cases of this round to un-claim untouched at its end (the next tick takes them first). */
  giveBack: string[];
}

export interface DrainSpec<R extends DueCaseReport> {
  kind: DueKind;
  /** Cases claimed per round. */
  chunk: number;
  /** Most requests one case can take; reserved before it starts, the unused part given back. */
  reserve: number;
  /** Whether a case of a rate-limited guild waits for the next tick (the default) or is handled anyway. */
  handleDespiteRateLimit?: (row: CaseRow) => boolean;
  /** Handles one claimed case with clients that count its requests. Never throws. */
  handle: (job: DueCaseJob<R>, row: CaseRow, services: Services) => Promise<void>;
}

/**
 * The loop both time-based jobs share: claim a chunk of due cases within the tick's budget, handle
 * them a few at a time (stopping when the breaker opens, time or budget runs out), and release the
 * claims of whatever is handed back, so the next tick takes those first.
 */
export async function drainDueCases<R extends DueCaseReport>(
  tick: TickContext,
  report: R,
  spec: DrainSpec<R>,
): Promise<R> {
  const { budget, now } = tick;
  const breaker = new Breaker();
  const rateLimitedGuilds = new Set<string>();
  // The claim, and the release of whatever a round does not get to.
  const roundReserve = 2 * SUBREQUEST_COST.db;
  while (!breaker.open) {
    const limit = Math.min(spec.chunk, Math.floor((budget.remaining - roundReserve) / spec.reserve));
    if (limit <= 0 || !budget.timeLeft || !budget.take(roundReserve)) break;
    const job: DueCaseJob<R> = { tick, report, breaker, rateLimitedGuilds, giveBack: [] };
    const round = await metered(tick, budget, roundReserve, async (services) => {
      const claimed = await claimDueCases(services, { kind: spec.kind, now, limit, guildIds: tick.guildIds });
      if (claimed.length === 0) return { claimed: 0 };
      const notStarted = await runPool(
        claimed,
        tick.concurrency,
        (row) => {
          if (breaker.open || !budget.timeLeft) return 'stop';
          if (rateLimitedGuilds.has(row.guildId) && !spec.handleDespiteRateLimit?.(row)) return 'skip';
          return budget.take(spec.reserve) ? 'start' : 'stop';
        },
        (row) => metered(tick, budget, spec.reserve, (own) => spec.handle(job, row, own)),
      );
      for (const row of notStarted) job.giveBack.push(row.id);
      report.deferred += job.giveBack.length;
      await releaseClaims(services, job.giveBack).catch((error) => {
        // The claims lapse by themselves after CLAIM_TTL_MS.
        console.error(`scheduled: could not release ${spec.kind} claims: ${errorForLog(error)}`);
      });
      return { claimed: claimed.length };
    });
    // A short claim means nothing more is due; anything given back waits for the next tick.
    if (round.claimed < limit || job.giveBack.length > 0) break;
  }
  return report;
}
