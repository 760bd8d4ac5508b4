// The Queue consumer of the audit-log sync (docs/ARCHITECTURE.md "Audit-log sync"): for each guild
// of a message sent by fan-out.ts, h7's `syncGuild` under the shared Discord budget
// (discord/global-budget.ts), then the events it recorded published, and the guild rescheduled by
// schedule.ts with its claim cleared — all guilds of the invocation in one update.
//
// Subrequests: each invocation has its own 1,000; CONSUMER_SUBREQUEST_BUDGET plans for 900. A guild
// reserves its database worst case (GUILD_DB_RESERVE) before it starts, and each Discord call takes
// its own cost when it is paced, so a guild whose page is full of AutoMod timeouts (a member read
// each) stops at the budget instead of overrunning it. Guilds the budget or the wall time does not
// reach are released (still due) for the next tick. A guild that fails is rescheduled for a retry
// and does not stop the others; a guild with pages left is sent straight back to the queue (its
// claim extended) so a burst drains at queue speed instead of a page a minute.
// A message is acked once its guilds are rescheduled; if that write fails it is retried (claims
// still hold the guilds, and a second sync of a guild records nothing twice).
import { sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../db/edge.ts';
import { auditSync } from '../../db/schema.ts';
import type { LockdownEvent } from '../../shared/events.ts';
import { errorForLog } from '../log.ts';
import {
  Budget,
  type Clock,
  RequestMeter,
  realClock,
  runPool,
  SUBREQUEST_COST,
} from '../scheduled/budget.ts';
import { metered, type ServicesFactory } from '../scheduled/context.ts';
import { PUBLISH_BATCH_COST, PUBLISH_BATCH_SIZE, publishRecorded } from '../scheduled/publish-outbox.ts';
import {
  type AuditSyncMessage,
  type AuditSyncQueue,
  CLAIM_MS,
  GUILDS_PER_MESSAGE,
  QUEUE_SEND_COST,
} from './fan-out.ts';
import { nextSync, type ScheduleDecision } from './schedule.ts';
import { type GuildSyncResult, SYNC_ESCALATION_RESERVE, syncGuild } from './sync-guild.ts';

/** What one consumer invocation plans to spend: Workers Paid's 1,000 less a margin. */
export const CONSUMER_SUBREQUEST_BUDGET = 900;
/** Pages (100 entries) one sync reads; a guild with more is sent back to the queue. */
export const MAX_PAGES_PER_SYNC = 1;
/**
 * A guild's database worst case: its sync row, per entry a case batch and a /massban check, per
 * page the cursor and the users it names (functions/users/known-users.ts), the missing-permission
 * or incident reports, a saved error; the escalations it carries out.
 */
export const GUILD_DB_RESERVE =
  SUBREQUEST_COST.db * (1 + MAX_PAGES_PER_SYNC * (100 * 2 + 2) + 2 + 1) + SYNC_ESCALATION_RESERVE;
/** One Discord call, its slots in the shared budget included (rest.ts takes them). */
export const PACED_CALL_COST = SUBREQUEST_COST.discord;
/** Kept back for the end: reading and writing the schedule, publishing, sending guilds back. */
export const CONSUMER_END_RESERVE =
  2 * SUBREQUEST_COST.db + 3 * PUBLISH_BATCH_COST + QUEUE_SEND_COST + SUBREQUEST_COST.db;
/**
 * Guilds synced side by side. Each holds its database worst case (GUILD_DB_RESERVE) while it runs,
 * so two leave room for a message's twenty quiet guilds (about 10 each) within the budget; the
 * shared Discord rate, not this, bounds the throughput, and Queues runs invocations side by side.
 */
export const CONSUMER_CONCURRENCY = 2;
/** An invocation stops starting guilds after this long (a queue consumer may run 15 minutes). */
export const CONSUMER_WALL_BUDGET_MS = 5 * 60_000;

export class SubrequestBudgetSpent extends Error {
  override readonly name = 'SubrequestBudgetSpent';
}

export interface ConsumerDeps {
  /** Services whose Discord client reserves on the sync's share of the budget (index.ts). */
  openServices: ServicesFactory;
  /** To send back guilds with pages left; null sends them to the next tick instead. */
  queue: AuditSyncQueue | null;
  subrequestBudget?: number;
  clock?: Clock;
  /** In [0, 1): the schedule's jitter (Math.random). */
  random?: () => number;
}

export interface ConsumerReport {
  messages: number;
  guilds: number;
  synced: number;
  failed: number;
  missingPermission: number;
  /** Not started (budget or time): released, still due. */
  released: number;
  /** Sent back to the queue with pages left. */
  resent: number;
  recorded: number;
  published: number;
  discordCalls: number;
  subrequests: number;
  elapsedMs: number;
}

/** A message body as sent by fan-out.ts; anything else is refused (and acked: it cannot improve). */
export function decodeMessage(body: unknown): AuditSyncMessage | null {
  if (typeof body !== 'object' || body === null) return null;
  const { guildIds, at } = body as Partial<AuditSyncMessage>;
  if (!Array.isArray(guildIds) || guildIds.length === 0 || guildIds.length > GUILDS_PER_MESSAGE * 5)
    return null;
  if (!guildIds.every((id) => typeof id === 'string' && /^\d{1,20}$/.test(id))) return null;
  if (typeof at !== 'number' || !Number.isFinite(at)) return null;
  return { guildIds, at };
}

interface Synced {
  guildId: string;
  result: GuildSyncResult | null;
}

export async function consumeAuditSync(
  batch: MessageBatch<unknown>,
  deps: ConsumerDeps,
): Promise<ConsumerReport> {
  const clock = deps.clock ?? realClock;
  const random = deps.random ?? Math.random;
  const started = clock.now();
  const budget = new Budget({
    limit: deps.subrequestBudget ?? CONSUMER_SUBREQUEST_BUDGET,
    deadline: started + CONSUMER_WALL_BUDGET_MS,
    clock,
  });
  const report: ConsumerReport = {
    messages: batch.messages.length,
    guilds: 0,
    synced: 0,
    failed: 0,
    missingPermission: 0,
    released: 0,
    resent: 0,
    recorded: 0,
    published: 0,
    discordCalls: 0,
    subrequests: 0,
    elapsedMs: 0,
  };
  const valid = batch.messages.flatMap((message) => {
    const body = decodeMessage(message.body);
    if (body) return [{ message, body }];
    console.error(`audit-sync: message ${message.id} is not a list of guild ids; dropped`);
    message.ack();
    return [];
  });
  const guildIds = [...new Set(valid.flatMap(({ body }) => body.guildIds))];
  report.guilds = guildIds.length;
  if (guildIds.length === 0) return finish(report, budget, started, clock);
  // The schedule's clock is the cron's (the sending tick's time, or now if later): next_sync_at is
  // compared with the tick's time. The sync itself stamps what it writes with the real time.
  const scheduleNow = new Date(Math.max(clock.now(), ...valid.map(({ body }) => body.at)));

  const work = budget.slice(budget.limit - CONSUMER_END_RESERVE);
  const events: LockdownEvent[] = [];
  const synced: Synced[] = [];
  try {
    budget.charge(SUBREQUEST_COST.db);
    const previous = await metered(
      { openServices: deps.openServices },
      budget,
      SUBREQUEST_COST.db,
      ({ db }) =>
        db.execute<{ guild_id: string; interval_ms: number; last_activity_at: string | null }>(sql`
        select guild_id, interval_ms, last_activity_at from ${auditSync} where ${inList(guildIds)}`),
    );
    const rows = new Map(previous.rows.map((row) => [row.guild_id, row]));

    const left = await runPool(
      guildIds,
      CONSUMER_CONCURRENCY,
      () => (work.timeLeft && work.remaining >= GUILD_DB_RESERVE + PACED_CALL_COST ? 'start' : 'stop'),
      async (guildId) => {
        synced.push({ guildId, result: await syncOne(guildId, deps, work, report) });
      },
    );
    report.released = left.length;

    const decisions = synced.map(({ guildId, result }) => {
      const row = rows.get(guildId);
      if (result) {
        report.recorded += result.recorded;
        events.push(...result.events);
        if (result.status === 'failed') report.failed += 1;
        else if (result.status === 'missing_permission') report.missingPermission += 1;
        else report.synced += 1;
      } else report.failed += 1;
      const decision = nextSync({
        now: scheduleNow,
        result,
        previousIntervalMs: Number(row?.interval_ms ?? Number.NaN),
        lastActivityAt: row?.last_activity_at ? new Date(row.last_activity_at) : null,
        jitter: random(),
      });
      return { guildId, decision, more: result?.more === true && deps.queue !== null };
    });
    const resend = decisions.filter((d) => d.more).map((d) => d.guildId);
    const claimedUntil = new Date(scheduleNow.getTime() + CLAIM_MS);
    budget.charge(SUBREQUEST_COST.db);
    await metered({ openServices: deps.openServices }, budget, SUBREQUEST_COST.db, ({ db }) =>
      reschedule(db, decisions, left, claimedUntil),
    );
    if (resend.length > 0 && deps.queue) {
      budget.charge(QUEUE_SEND_COST);
      try {
        await deps.queue.sendBatch([
          { body: { guildIds: resend, at: scheduleNow.getTime() }, contentType: 'json' },
        ]);
        report.resent = resend.length;
      } catch (error) {
        // The claims lapse after CLAIM_MS and the next tick carries on: slower, nothing lost.
        console.error(`audit-sync: sending ${resend.length} guilds back failed: ${errorForLog(error)}`);
      }
    }
  } catch (error) {
    // The schedule could not be read or written: try the messages again (the claims still hold).
    console.error(`audit-sync: batch failed, retried: ${errorForLog(error)}`);
    for (const { message } of valid) message.retry({ delaySeconds: 30 });
    await publish(events, deps, budget, report);
    return finish(report, budget, started, clock);
  }
  for (const { message } of valid) message.ack();
  await publish(events, deps, budget, report);
  return finish(report, budget, started, clock);
}

async function syncOne(
  guildId: string,
  deps: ConsumerDeps,
  work: Budget,
  report: ConsumerReport,
): Promise<GuildSyncResult | null> {
  work.charge(GUILD_DB_RESERVE);
  let reserved = GUILD_DB_RESERVE;
  const meter = new RequestMeter();
  const pace = async () => {
    if (!work.take(PACED_CALL_COST))
      throw new SubrequestBudgetSpent('the invocation has no subrequests left');
    reserved += PACED_CALL_COST;
  };
  try {
    const result = await syncGuild(deps.openServices(meter.add), guildId, {
      now: new Date(),
      pace,
      maxPages: MAX_PAGES_PER_SYNC,
    });
    report.discordCalls += result.discordCalls;
    return result;
  } catch (error) {
    console.error(`audit-sync: guild ${guildId} sync threw: ${errorForLog(error)}`);
    return null;
  } finally {
    work.settle(reserved, meter.count);
  }
}

const inList = (guildIds: readonly string[]) =>
  sql`guild_id in (${sql.join(
    guildIds.map((id) => sql`${id}`),
    sql`, `,
  )})`;

/**
 * One statement: synced guilds get their next time and interval and lose their claim (or keep it,
 * extended, when sent back to the queue); guilds not reached only lose their claim (still due).
 */
async function reschedule(
  db: EdgeDatabase,
  decisions: { guildId: string; decision: ScheduleDecision; more: boolean }[],
  released: readonly string[],
  claimedUntil: Date,
): Promise<void> {
  const rows = [
    ...decisions.map(({ guildId, decision, more }) => ({
      guildId,
      next: decision.nextSyncAt.toISOString(),
      interval: decision.intervalMs,
      activity: decision.lastActivityAt?.toISOString() ?? null,
      claim: more ? claimedUntil.toISOString() : null,
      reached: true,
    })),
    ...released.map((guildId) => ({
      guildId,
      next: null,
      interval: null,
      activity: null,
      claim: null,
      reached: false,
    })),
  ];
  if (rows.length === 0) return;
  const values = sql.join(
    rows.map(
      (r) =>
        sql`(${r.guildId}, ${r.next}::timestamptz, ${r.interval}::integer, ${r.activity}::timestamptz, ${r.claim}::timestamptz, ${r.reached}::boolean)`,
    ),
    sql`, `,
  );
  await db.execute(sql`
    update ${auditSync} a set
      next_sync_at = case when v.reached then v.next else a.next_sync_at end,
      interval_ms = case when v.reached then v.interval else a.interval_ms end,
      last_activity_at = case when v.reached then v.activity else a.last_activity_at end,
      claimed_until = v.claim,
      updated_at = now()
    from (values ${values}) as v(guild_id, next, interval, activity, claim, reached)
    where a.guild_id = v.guild_id`);
}

async function publish(
  events: LockdownEvent[],
  deps: ConsumerDeps,
  budget: Budget,
  report: ConsumerReport,
): Promise<void> {
  if (events.length === 0) return;
  // Whatever does not fit stays in the outbox; the scheduler's stale-row step publishes it.
  const result = await publishRecorded({ openServices: deps.openServices, events }, budget).catch(
    (error: unknown) => {
      console.error(`audit-sync: publishing failed: ${errorForLog(error)}`);
      return { published: 0, failed: events.length };
    },
  );
  report.published += result.published;
  if (events.length > 3 * PUBLISH_BATCH_SIZE)
    console.log(`audit-sync: ${result.failed} events left to the outbox step`);
}

function finish(report: ConsumerReport, budget: Budget, started: number, clock: Clock): ConsumerReport {
  report.subrequests = budget.spent;
  report.elapsedMs = Math.round(clock.now() - started);
  console.log(`audit-sync batch: ${JSON.stringify(report)}`);
  return report;
}
