// "Sync the audit log now" for the sandbox page: Lockdown reads a guild's audit log when the guild is
// due (every 1 to 15 minutes, functions/audit-sync/schedule.ts), which is too slow to watch a ban made
// in Discord's own UI turn into a case. So the sandbox makes its one guild due now in the local
// database (next_sync_at, as if its interval had passed; a claim in flight is left alone), runs the
// Worker's cron, and waits for the queue consumer to reschedule the guild (it clears the claim). It
// also says whether the guild has had its first sync, which only sets the cursor ("from now"): an
// action taken before it never becomes a case. Dev only; the database is the local one `npm run dev`
// started.
import pg from 'pg';

export interface AuditSyncState {
  /** Lockdown knows the guild (a `guilds` row: the mod-log was set, or a case recorded). */
  known: boolean;
  /** The first sync has set the cursor: later entries become cases. */
  started: boolean;
  nextSyncAt: string | null;
  lastError: string | null;
}

export interface AuditSyncRun {
  status: number;
  /** The scheduled handler's outcome ('ok'). */
  outcome: string;
  /** The consumer rescheduled the guild within the wait. */
  synced: boolean;
  state: AuditSyncState;
}

export interface AuditSyncControl {
  state(): Promise<AuditSyncState>;
  syncNow(): Promise<AuditSyncRun>;
}

/** Cloudflare Queues locally deliver within about a second; a sync of the sandbox guild is quick. */
const CONSUMER_WAIT_MS = 15_000;
const POLL_MS = 200;

export function createAuditSyncControl(input: {
  databaseUrl: string;
  guildId: string;
  runCron: (time: Date) => Promise<{ status: number; outcome: string }>;
}): AuditSyncControl {
  const { databaseUrl, guildId } = input;

  async function query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[]> {
    const client = new pg.Client({
      connectionString: databaseUrl,
      connectionTimeoutMillis: 5_000,
      statement_timeout: 5_000,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      return (await client.query<R>(text, values)).rows;
    } finally {
      await client.end().catch(() => {});
    }
  }

  async function state(): Promise<AuditSyncState> {
    const rows = await query<{
      known: boolean;
      cursor: string | null;
      next_sync_at: Date | null;
      last_error: string | null;
    }>(
      `select exists (select 1 from guilds where guild_id = $1) as known,
              a.cursor, a.next_sync_at, a.last_error
       from (select 1) one left join audit_sync a on a.guild_id = $1`,
      [guildId],
    );
    const row = rows[0];
    return {
      known: row?.known ?? false,
      started: Boolean(row?.cursor),
      nextSyncAt: row?.next_sync_at ? row.next_sync_at.toISOString() : null,
      lastError: row?.last_error ?? null,
    };
  }

  async function syncNow(): Promise<AuditSyncRun> {
    const before = await state();
    // The database's clock, so the wait below compares like with like.
    const [marked] = await query<{ since: Date }>(
      `with due as (
         update audit_sync set next_sync_at = now()
         where guild_id = $1 and (claimed_until is null or claimed_until <= now()))
       select now() as since`,
      [guildId],
    );
    const cron = await input.runCron(new Date());
    // A guild Lockdown does not know is not synced at all (nothing to wait for).
    let synced = false;
    const deadline = Date.now() + CONSUMER_WAIT_MS;
    while (before.known && cron.outcome === 'ok' && Date.now() < deadline) {
      // Rescheduled by the consumer: claim cleared, next sync at least a minute on (schedule.ts).
      const [row] = await query<{ done: boolean }>(
        `select claimed_until is null and next_sync_at > $2::timestamptz + interval '30 seconds' as done
         from audit_sync where guild_id = $1`,
        [guildId, marked?.since ?? new Date()],
      );
      if (row?.done) {
        synced = true;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return { ...cron, synced, state: await state() };
  }

  return { state, syncNow };
}
