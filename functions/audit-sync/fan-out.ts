// The cron side of the audit-log sync (docs/ARCHITECTURE.md "Audit-log sync"): which guilds are
// due, claimed, and handed to Cloudflare Queues in messages of GUILDS_PER_MESSAGE. The cron never
// reads an audit log itself: its cost is O(due / GUILDS_PER_MESSAGE / 100) subrequests (one insert,
// one claim, one sendBatch per 100 messages), whatever the number of servers; each consumer
// invocation (consumer.ts) then has its own subrequest budget for its guilds.
//
// - Every guild in `guilds` gets an `audit_sync` row, ROWS_PER_TICK at a time (insert … select …
//   on conflict do nothing), due at once.
// - Due = next_sync_at <= now and not claimed (claimed_until null or past). Up to CLAIMS_PER_TICK
//   due guilds, oldest due first, are claimed in one statement (for update skip locked, so two
//   overlapping ticks never claim a guild twice) until now + CLAIM_MS.
// - The claim is the consumer's: it clears it when it reschedules the guild. A message that fails
//   is retried by Queues (max_retries); one that is lost lets its claims lapse, and a later tick
//   sends those guilds again. A sendBatch that fails releases its claims at once.
import { sql } from 'drizzle-orm';
import { auditSync, guilds } from '../../db/schema.ts';
import { AUDIT_SYNC_SHARE } from '../discord/global-budget.ts';
import { SUBREQUEST_COST } from '../scheduled/budget.ts';
import { metered, type TickContext } from '../scheduled/context.ts';

/** One queue message: guilds to sync, and the tick that sent them (the schedule's clock). */
export interface AuditSyncMessage {
  guildIds: string[];
  /** The sending tick's time, ms since the epoch. */
  at: number;
}

/** What the fan-out needs of the Queue binding (Cloudflare's `Queue<AuditSyncMessage>`). */
export type AuditSyncQueue = Pick<Queue<AuditSyncMessage>, 'sendBatch'>;

/** A quiet guild's sync: an audit-log page and a guild read. */
export const DISCORD_CALLS_PER_SYNC = 2;
/**
 * Claims per tick: what the sync's share of Discord's rate can read in one minute (30/s × 60 s /
 * 2 calls). Claiming more would only let claims lapse in the queue.
 */
export const CLAIMS_PER_TICK = Math.floor((AUDIT_SYNC_SHARE.perSecond * 60) / DISCORD_CALLS_PER_SYNC);
/**
 * Guilds per message: a consumer invocation reads them within its 1,000 subrequests (a quiet guild
 * costs about 10, see consumer.ts), and the tick's 900 claims fit in one sendBatch of 45 messages.
 */
export const GUILDS_PER_MESSAGE = 20;
/** Cloudflare Queues: at most 100 messages per sendBatch. */
export const MESSAGES_PER_SEND = 100;
/** Rows created per tick for guilds without one (10,000 servers are covered in 5 ticks). */
export const ROWS_PER_TICK = 2_000;
/** How long a claim holds a guild: queued, retried, synced. Past it the next tick sends it again. */
export const CLAIM_MS = 5 * 60_000;
/** A queue send counts as one subrequest. */
export const QUEUE_SEND_COST = 1;
/** Rows, claim, and a release if the send fails. */
export const FAN_OUT_FIXED_COST = 3 * SUBREQUEST_COST.db;

export interface FanOutReport {
  created: number;
  claimed: number;
  messages: number;
  released: number;
}

/** Splits guild ids into messages of `size`. */
export function toMessages(
  guildIds: readonly string[],
  at: Date,
  size = GUILDS_PER_MESSAGE,
): AuditSyncMessage[] {
  const messages: AuditSyncMessage[] = [];
  for (let i = 0; i < guildIds.length; i += size) {
    messages.push({ guildIds: guildIds.slice(i, i + size), at: at.getTime() });
  }
  return messages;
}

const inScope = (column: unknown, guildIds: readonly string[] | null) =>
  guildIds
    ? sql`${column} in (${sql.join(
        guildIds.map((id) => sql`${id}`),
        sql`, `,
      )})`
    : sql`true`;

export async function fanOutAuditSync(tick: TickContext, queue: AuditSyncQueue): Promise<FanOutReport> {
  const report: FanOutReport = { created: 0, claimed: 0, messages: 0, released: 0 };
  const { budget, now, guildIds } = tick;
  const sends = Math.ceil(CLAIMS_PER_TICK / GUILDS_PER_MESSAGE / MESSAGES_PER_SEND) * QUEUE_SEND_COST;
  if (budget.remaining < FAN_OUT_FIXED_COST + sends || !budget.take(2 * SUBREQUEST_COST.db)) return report;
  const at = sql`${now.toISOString()}::timestamptz`;
  const claimedUntil = new Date(now.getTime() + CLAIM_MS).toISOString();
  const claimed = await metered(tick, budget, 2 * SUBREQUEST_COST.db, async ({ db }) => {
    const created = await db.execute(sql`
      insert into ${auditSync} (guild_id, next_sync_at)
      select g.guild_id, ${at} from ${guilds} g
      where ${inScope(sql`g.guild_id`, guildIds)}
        and not exists (select 1 from ${auditSync} a where a.guild_id = g.guild_id)
      limit ${ROWS_PER_TICK}
      on conflict (guild_id) do nothing`);
    report.created = created.rowCount ?? 0;
    const rows = await db.execute<{ guild_id: string }>(sql`
      with due as (
        select guild_id, next_sync_at from ${auditSync}
        where next_sync_at <= ${at}
          and (claimed_until is null or claimed_until <= ${at})
          and ${inScope(sql`guild_id`, guildIds)}
        order by next_sync_at
        limit ${CLAIMS_PER_TICK}
        for update skip locked),
      claimed as (
        update ${auditSync} a set claimed_until = ${claimedUntil}::timestamptz
        from due where a.guild_id = due.guild_id
        returning a.guild_id, due.next_sync_at)
      select guild_id from claimed order by next_sync_at, guild_id`);
    return rows.rows.map((row) => row.guild_id);
  });
  report.claimed = claimed.length;
  const messages = toMessages(claimed, now);
  let unsent: string[] = [];
  for (let i = 0; i < messages.length; i += MESSAGES_PER_SEND) {
    const chunk = messages.slice(i, i + MESSAGES_PER_SEND);
    budget.charge(QUEUE_SEND_COST);
    try {
      await queue.sendBatch(chunk.map((body) => ({ body, contentType: 'json' })));
      report.messages += chunk.length;
    } catch (error) {
      console.error(
        `audit-sync fan-out: sending to the queue failed: ${error instanceof Error ? error.message : error}`,
      );
      unsent = messages.slice(i).flatMap((message) => message.guildIds);
      break;
    }
  }
  if (unsent.length > 0) {
    // Not queued: free them for the next tick rather than waiting out the claim.
    budget.charge(SUBREQUEST_COST.db);
    await metered(tick, budget, SUBREQUEST_COST.db, ({ db }) =>
      db.execute(sql`update ${auditSync} set claimed_until = null
        where ${inScope(sql`guild_id`, unsent)} and claimed_until = ${claimedUntil}::timestamptz`),
    );
    report.released = unsent.length;
  }
  return report;
}
