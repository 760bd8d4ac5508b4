// One scheduled tick (every minute). Steps, in order, each within its share of the tick's budget
// (subrequests and wall time, see budget.ts); what is left waits for the next tick, oldest first:
// 1. reconcile unconfirmed actions (reconcile-actions.ts) — first, since they hold up expiries;
//    then carry out escalation policies' crossings left pending (continue-escalations.ts), after
//    the reconciler so that an intent it dropped is tried again at once;
// 2. renew long mutes and record ended ones (renew-mutes.ts) — renewals cannot wait;
// 3. carry lockdowns forward: finish large ones, restore timed ones that ended (continue-lockdowns.ts);
//    then end timed slowmodes, putting the previous interval back (expire-slowmodes.ts);
//    then massbans: expire old previews, finish confirmed ones left unfinished (continue-massbans.ts);
// 4. hand the guilds whose audit log is due to the audit-sync queue (audit-sync/fan-out.ts: a few
//    subrequests, whatever the number of servers; the consumers read the audit logs);
// 5. lift expired temporary bans (expire-temp-bans.ts) — the bulk;
// 6. publish the events those steps recorded, then stale outbox rows (publish-outbox.ts);
// 7. trim the relay's stream by age (trim-stream.ts).
// Each piece of work (a claimed case, an intent, a batch of events) reserves the most it can send,
// runs with clients that count every request they really send (context.ts `metered`), and the
// budget then keeps that count: the tick's `subrequests` is what went out, not an estimate.
// A failing step is logged and the next one still runs. The tick logs one line of counts, no secrets.
import { type AuditSyncQueue, type FanOutReport, fanOutAuditSync } from '../audit-sync/fan-out.ts';
import type { Env } from '../env.ts';
import { errorForLog } from '../log.ts';
import {
  Budget,
  type Clock,
  DEFAULT_SUBREQUEST_BUDGET,
  DISCORD_CALLS_PER_SECOND,
  DiscordPacer,
  realClock,
  SUBREQUEST_COST,
  TICK_CONCURRENCY,
  TICK_WALL_BUDGET_MS,
} from './budget.ts';
import { metered, type ServicesFactory, type TickContext } from './context.ts';
import { continueEscalations, ESCALATION_RESERVE, type EscalationReport } from './continue-escalations.ts';
import { continueLockdowns, type LockdownReport } from './continue-lockdowns.ts';
import { continueMassbans, type MassbanReport } from './continue-massbans.ts';
import { expireSlowmodes, SLOWMODE_END_RESERVE, type SlowmodeReport } from './expire-slowmodes.ts';
import { type BanReport, expireTempBans } from './expire-temp-bans.ts';
import {
  OUTBOX_BATCH_COST,
  type PublishReport,
  publishRecorded,
  publishStaleOutbox,
} from './publish-outbox.ts';
import { type ReconcileReport, reconcileActions } from './reconcile-actions.ts';
import { type MuteReport, renewMutes } from './renew-mutes.ts';
import { trimStream } from './trim-stream.ts';

/** Shares of the tick's subrequests the first steps may use at most (unused shares flow on). */
export const RECONCILE_SHARE = 0.15;
/**
 * Crossings left pending are rare: a little, and at least one's reserve so that even a small
 * budget settles one a tick (continue-escalations.ts; unused, it flows on).
 */
export const ESCALATION_SHARE = 0.1;
export const MUTE_SHARE = 0.2;
export const LOCKDOWN_SHARE = 0.25;
/** Ending timed slowmodes: a read and a write per channel, ~30 channels a tick on Workers Paid. */
export const SLOWMODE_SHARE = 0.1;
/**
 * Enough for a resumed massban chunk on Workers Paid's budget: up to 200 ban lookups (2 each, as
 * reserved) besides the chunk itself (continue-massbans.ts).
 */
export const MASSBAN_SHARE = 0.5;
/** The audit-sync fan-out needs a handful (rows, claim, one sendBatch per 2,000 guilds). */
export const AUDIT_SYNC_SHARE = 0.02;
/** Kept back from the jobs for publishing their events, a few batches of stale rows, and the trim. */
export const PIPELINE_RESERVE =
  3 * SUBREQUEST_COST.redis + 3 * SUBREQUEST_COST.db + 5 * OUTBOX_BATCH_COST + SUBREQUEST_COST.redis;

export interface TickOptions {
  scheduledTime: Date;
  /** Subrequests the tick may make (default DEFAULT_SUBREQUEST_BUDGET, for Workers Paid). */
  subrequestBudget?: number;
  wallBudgetMs?: number;
  discordCallsPerSecond?: number;
  concurrency?: number;
  /** Development and tests only: restrict every step to these guilds. */
  guildIds?: readonly string[] | null;
  /** The audit-log sync's queue (env.AUDIT_SYNC_QUEUE); without it the fan-out step is skipped. */
  auditSyncQueue?: AuditSyncQueue | null;
  clock?: Clock;
}

export interface TickReport {
  reconcile: ReconcileReport | null;
  escalations: EscalationReport | null;
  mutes: MuteReport | null;
  lockdowns: LockdownReport | null;
  slowmodes: SlowmodeReport | null;
  massbans: MassbanReport | null;
  auditSync: FanOutReport | null;
  bans: BanReport | null;
  published: PublishReport;
  outbox: PublishReport;
  trimmed: number | null;
  subrequests: number;
  elapsedMs: number;
}

/** The scheduler's optional settings from the Worker's environment (see functions/env.ts). */
export function tickOptionsFromEnv(
  env: Pick<Env, 'SCHEDULER_SUBREQUEST_BUDGET' | 'SCHEDULER_GUILD_IDS'>,
): Pick<TickOptions, 'subrequestBudget' | 'guildIds'> {
  const options: Pick<TickOptions, 'subrequestBudget' | 'guildIds'> = {};
  const budget = Number(env.SCHEDULER_SUBREQUEST_BUDGET);
  if (Number.isInteger(budget) && budget > 0) options.subrequestBudget = budget;
  const ids = (env.SCHEDULER_GUILD_IDS ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => /^\d{1,20}$/.test(id));
  if (ids.length > 0) options.guildIds = ids;
  return options;
}

async function step<T>(name: string, run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    console.error(`scheduled: ${name} step failed: ${errorForLog(error)}`);
    return null;
  }
}

/**
 * Runs one tick. `openServices` builds the clients for each piece of work (a claimed case, an
 * intent, a batch of events) with a counter of its own: what the tick spends is what they sent.
 */
export async function runScheduledJobs(
  openServices: ServicesFactory,
  options: TickOptions,
): Promise<TickReport> {
  const clock = options.clock ?? realClock;
  const startedAt = clock.now();
  const budget = new Budget({
    limit: options.subrequestBudget ?? DEFAULT_SUBREQUEST_BUDGET,
    deadline: startedAt + (options.wallBudgetMs ?? TICK_WALL_BUDGET_MS),
    clock,
  });
  const base = {
    openServices,
    now: options.scheduledTime,
    pacer: new DiscordPacer(clock, options.discordCallsPerSecond ?? DISCORD_CALLS_PER_SECOND),
    clock,
    concurrency: options.concurrency ?? TICK_CONCURRENCY,
    guildIds: options.guildIds ?? null,
    events: [],
  } satisfies Omit<TickContext, 'budget'>;
  // A small budget (Workers Free) keeps a third for the pipeline rather than the whole reserve.
  const jobsLimit = Math.max(0, budget.limit - Math.min(PIPELINE_RESERVE, Math.floor(budget.limit / 3)));
  const jobs = budget.slice(jobsLimit);
  const within = (limit: number): TickContext => ({ ...base, budget: jobs.slice(limit) });

  const reconcile = await step('reconcile', () =>
    reconcileActions(within(Math.floor(budget.limit * RECONCILE_SHARE))),
  );
  const escalations = await step('escalations', () =>
    continueEscalations(
      within(Math.max(ESCALATION_RESERVE + SUBREQUEST_COST.db, Math.floor(budget.limit * ESCALATION_SHARE))),
    ),
  );
  const mutes = await step('mutes', () => renewMutes(within(Math.floor(budget.limit * MUTE_SHARE))));
  const lockdowns = await step('lockdowns', () =>
    continueLockdowns(within(Math.floor(budget.limit * LOCKDOWN_SHARE))),
  );
  const slowmodes = await step('slowmodes', () =>
    expireSlowmodes(
      within(
        Math.max(SLOWMODE_END_RESERVE + 2 * SUBREQUEST_COST.db, Math.floor(budget.limit * SLOWMODE_SHARE)),
      ),
    ),
  );
  const massbans = await step('massbans', () =>
    continueMassbans(within(Math.floor(budget.limit * MASSBAN_SHARE))),
  );
  const auditSyncQueue = options.auditSyncQueue ?? null;
  const auditSync = auditSyncQueue
    ? await step('audit-sync', () =>
        fanOutAuditSync(within(Math.max(4, Math.floor(budget.limit * AUDIT_SYNC_SHARE))), auditSyncQueue),
      )
    : null;
  const bans = await step('temp-bans', () => expireTempBans(within(jobs.remaining)));

  // Events of this tick first (they are already in the outbox; if Redis is down they wait there).
  const published = (await step('publish', () => publishRecorded(base, budget))) ?? {
    published: 0,
    failed: base.events.length,
  };
  const trimCost = SUBREQUEST_COST.redis;
  const outbox = (await step('outbox', () =>
    publishStaleOutbox(base, budget.slice(budget.remaining - trimCost)),
  )) ?? {
    published: 0,
    failed: 0,
  };
  let trimmed: number | null = null;
  if (budget.take(trimCost)) {
    trimmed = await step('trim', () =>
      metered(base, budget, trimCost, ({ eventStream }) =>
        trimStream(eventStream, options.scheduledTime, clock.now()),
      ),
    );
  }

  const report: TickReport = {
    reconcile,
    escalations,
    mutes,
    lockdowns,
    slowmodes,
    massbans,
    auditSync,
    bans,
    published,
    outbox,
    trimmed,
    subrequests: budget.spent,
    elapsedMs: Math.round(clock.now() - startedAt),
  };
  const scope = base.guildIds ? ` (guilds ${base.guildIds.join(',')})` : '';
  console.log(`scheduled tick ${options.scheduledTime.toISOString()}${scope}: ${JSON.stringify(report)}`);
  return report;
}
