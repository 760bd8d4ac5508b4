// `npm run bench:audit-sync`: the audit-log sync at scale. Seeds GUILDS servers at the Discord
// stand-in (with its rate limits on: Discord's 50/s global, 5/5 s per guild for audit logs) and in
// Postgres, in the steady state the adaptive schedule reaches (quiet guilds every 15 minutes, their
// next syncs spread over the window; ACTIVE_FRACTION of them active, every minute), then runs
// simulated minutes: a cron tick dated at the simulated minute (the Worker in workerd through
// wrangler's unstable_startWorker, whose local Queues deliver the fan-out's messages to the same
// Worker's consumer), waits until every claimed guild was synced, and between ticks adds audit-log
// entries "in Discord's UI" (the stand-in's control route): each minute to half the active guilds,
// once to a few quiet ones. Prints Discord requests per second (from the stand-in's request log),
// 429s, subrequests per cron and consumer invocation (their log lines), and the lag from an entry's
// creation to its case, for active and quiet servers, in simulated time: tick time − entry time,
// plus the real time the tick's syncs took (an upper bound). Real time passes only while syncing,
// so a simulated minute costs the real time its syncs need at 30 requests/s.
// Sizes: AUDIT_SYNC_BENCH_GUILDS (default "500,2000"), AUDIT_SYNC_BENCH_MINUTES (default 20, at
// least 17 for quiet lags: quiet entries are written early enough to be found within 16 minutes),
// AUDIT_SYNC_BENCH_ACTIVE (the active fraction, default 0.02).
// The bench's own database (BENCH_DATABASE_URL, named *bench*) is emptied at each size.
import { sql } from 'drizzle-orm';
import { createNodeDatabase } from '../../db/node.ts';
import { auditSync, guilds } from '../../db/schema.ts';
import type { RecordedRequest } from '../../dev/discord/types.ts';
import { randomSnowflake } from '../../dev/interactions.ts';
import { startLocalStack } from '../../dev/local-stack.ts';
import type { ConsumerReport } from '../../functions/audit-sync/consumer.ts';
import type { TickReport } from '../../functions/scheduled/run.ts';
import { type BenchWorker, startBenchWorker } from './bench-worker.ts';

const MINUTE = 60_000;
const SIZES = (process.env.AUDIT_SYNC_BENCH_GUILDS ?? '500,2000').split(',').map(Number);
const SIM_MINUTES = Number(process.env.AUDIT_SYNC_BENCH_MINUTES ?? 20);
const ACTIVE_FRACTION = Number(process.env.AUDIT_SYNC_BENCH_ACTIVE ?? 0.02);
/** Quiet guilds that get one entry during the run (each then counts as active for 10 minutes). */
const QUIET_ENTRY_FRACTION = 0.1;
const MAX_QUIET_WRITERS = 50;
const DRAIN_LIMIT_MS = 5 * MINUTE;
const VIEW_AUDIT_LOG_AND_BAN = String((1n << 7n) | (1n << 2n));
if (SIZES.some((n) => !Number.isInteger(n) || n < 1 || n > 20_000)) throw new Error('sizes must be 1..20000');
if (!(ACTIVE_FRACTION >= 0 && ACTIVE_FRACTION <= 1)) throw new Error('the active fraction must be 0..1');

const databaseUrl =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lockdown_bench_audit_sync';
if (!/bench/.test(new URL(databaseUrl).pathname))
  throw new Error('the bench empties its database: use a *bench* one');
const stack = await startLocalStack({
  databaseUrl,
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  applicationId: '1100000000000000001',
  botToken: 'bench-bot-token',
  upstashToken: 'bench-upstash-token',
  discordRateLimits: true,
});
const db = createNodeDatabase(databaseUrl, 4);
const controlUrl = stack.discord?.controlUrl as string;

/** The Worker's log lines of ticks and consumer batches, caught from stdout. */
const ticks: TickReport[] = [];
const batches: ConsumerReport[] = [];
const write = process.stdout.write.bind(process.stdout);
const parseAfter = (text: string, marker: string) => {
  const json = text.slice(text.indexOf(marker) + marker.length).trim();
  return JSON.parse(json.slice(0, json.lastIndexOf('}') + 1));
};
process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  if (text.includes('scheduled tick ')) {
    ticks.push(parseAfter(text.slice(text.indexOf('scheduled tick ')), ': '));
    return true;
  }
  if (text.includes('audit-sync batch: ')) {
    batches.push(parseAfter(text, 'audit-sync batch: '));
    return true;
  }
  return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stdout.write;

interface Seeded {
  guildId: string;
  ownerId: string;
  active: boolean;
}

async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

async function seed(size: number, simStart: number): Promise<Seeded[]> {
  await db.execute(sql`truncate ${auditSync}, outbox, cases, ${guilds} cascade`);
  // Random snowflakes of one millisecond can collide: draw until the ids are distinct.
  const ids = new Set<string>();
  while (ids.size < size) ids.add(randomSnowflake());
  const seeded: Seeded[] = [...ids].map((guildId, i) => ({
    guildId,
    ownerId: randomSnowflake(),
    active: i < Math.round(size * ACTIVE_FRACTION),
  }));
  await inParallel(seeded, 32, async (g) => {
    const botRole = randomSnowflake();
    const response = await fetch(`${controlUrl}/guilds/${g.guildId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Bench',
        ownerId: g.ownerId,
        roles: [{ id: botRole, name: 'Lockdown', position: 9, permissions: VIEW_AUDIT_LOG_AND_BAN }],
        members: [{ user: { id: g.ownerId, username: 'owner', global_name: null }, roles: [] }],
        botRoleIds: [botRole],
      }),
    });
    if (!response.ok) throw new Error(`seeding a guild failed: ${response.status}`);
  });
  // The steady state: a cursor before every entry (the guilds have none yet), quiet guilds spread
  // over 15 minutes, active ones at 1.
  const cursor = '0';
  for (let i = 0; i < seeded.length; i += 1_000) {
    const chunk = seeded.slice(i, i + 1_000);
    await db.insert(guilds).values(chunk.map((g) => ({ guildId: g.guildId })));
    await db.insert(auditSync).values(
      chunk.map((g) => {
        const interval = g.active ? MINUTE : 15 * MINUTE;
        return {
          guildId: g.guildId,
          cursor,
          intervalMs: interval,
          lastActivityAt: g.active ? new Date(simStart) : null,
          nextSyncAt: new Date(simStart + Math.floor(Math.random() * interval)),
        };
      }),
    );
  }
  return seeded;
}

async function addEntry(g: Seeded): Promise<string> {
  const response = await fetch(`${controlUrl}/guilds/${g.guildId}/audit-log`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'ban', actorId: g.ownerId, count: 1, reason: 'bench' }),
  });
  if (!response.ok) throw new Error(`adding an entry failed: ${response.status} ${await response.text()}`);
  const written = (await response.json()) as { id: string } | { entries: { id: string }[] };
  const id = 'entries' in written ? written.entries[0]?.id : written.id;
  if (!id) throw new Error('the stand-in wrote no entry');
  return id;
}

async function drained(deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const [row] = (
      await db.execute<{ n: number }>(
        sql`select count(*)::int as n from ${auditSync} where claimed_until is not null`,
      )
    ).rows;
    if ((row?.n ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the queue did not drain in time');
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};
const seconds = (ms: number) => (Number.isNaN(ms) ? 'n/a' : `${(ms / 1000).toFixed(0)} s`);

function busiestSecond(requests: RecordedRequest[]): number {
  const times = requests.map((r) => r.at).sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < times.length; last += 1) {
    while ((times[last] as number) - (times[first] as number) >= 1000) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

async function runSize(worker: BenchWorker, size: number): Promise<void> {
  const simStart = Math.ceil(Date.now() / MINUTE) * MINUTE + MINUTE;
  const seedStarted = performance.now();
  const seeded = await seed(size, simStart);
  console.log(
    `\n== ${size} servers (${seeded.filter((g) => g.active).length} active), ${SIM_MINUTES} simulated minutes; seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
  );
  const active = seeded.filter((g) => g.active);
  const quiet = seeded.filter((g) => !g.active);
  // Each quiet writer acts once, at a minute that leaves 16 minutes to find it.
  const lastWriteMinute = Math.max(1, SIM_MINUTES - 16);
  const quietWriters = new Map(
    quiet
      .filter(() => Math.random() < QUIET_ENTRY_FRACTION)
      .slice(0, MAX_QUIET_WRITERS)
      .map((g) => [g.guildId, Math.floor(Math.random() * lastWriteMinute)] as const),
  );
  // Keyed by guild and entry: the stand-in's entry ids are unique per guild, not across guilds.
  const pending = new Map<string, { at: number; active: boolean }>();
  const key = (guildId: string, entryId: string) => `${guildId}:${entryId}`;
  const lags = { active: [] as number[], quiet: [] as number[] };
  let lastSeq = await currentSeq();
  ticks.length = 0;
  batches.length = 0;
  let requests: RecordedRequest[] = [];
  let syncSeconds = 0;
  for (let minute = 0; minute < SIM_MINUTES; minute += 1) {
    const tickAt = simStart + minute * MINUTE;
    const started = Date.now();
    await worker.tick(tickAt);
    await drained(started + DRAIN_LIMIT_MS);
    const tookMs = Date.now() - started;
    syncSeconds += tookMs / 1000;
    if (pending.size > 0) {
      const found = await db.execute<{ guild_id: string; audit_entry_id: string }>(
        // The bench's cases table is emptied at each size: every case from an entry is this run's.
        sql`select guild_id, audit_entry_id from cases where audit_entry_id is not null`,
      );
      for (const { guild_id: guildId, audit_entry_id: entryId } of found.rows) {
        const entry = pending.get(key(guildId, entryId));
        if (!entry) continue;
        (entry.active ? lags.active : lags.quiet).push(tickAt - entry.at + tookMs);
        pending.delete(key(guildId, entryId));
      }
    }
    const fresh = await botRequestsSince(lastSeq);
    lastSeq = fresh.at(-1)?.seq ?? lastSeq;
    requests = requests.concat(fresh);
    // Between this tick and the next: half the active guilds act, and this minute's quiet writers.
    const entryAt = tickAt + MINUTE / 2;
    const writers = [
      ...active.filter(() => Math.random() < 0.5).map((g) => ({ g, active: true })),
      ...quiet.filter((g) => quietWriters.get(g.guildId) === minute).map((g) => ({ g, active: false })),
    ];
    if (minute < SIM_MINUTES - 1) {
      await inParallel(writers, 16, async ({ g, active: isActive }) => {
        pending.set(key(g.guildId, await addEntry(g)), { at: entryAt, active: isActive });
      });
    }
    const tick = ticks.at(-1);
    console.log(
      `minute ${minute + 1}: tick claimed ${tick?.auditSync?.claimed ?? '?'} in ${tick?.auditSync?.messages ?? '?'} messages ` +
        `(${tick?.subrequests ?? '?'} subrequests), synced in ${(tookMs / 1000).toFixed(1)} s, ${fresh.length} Discord requests`,
    );
  }
  const calls = requests.length;
  const limited = requests.filter((r) => r.status === 429).length;
  console.log(
    `Discord: ${calls} requests in ${syncSeconds.toFixed(0)} s of syncing (${(calls / syncSeconds).toFixed(1)}/s on average while syncing), ` +
      `busiest second ${busiestSecond(requests)}, ${limited} answered 429; ` +
      `demand ${(calls / SIM_MINUTES / 60).toFixed(2)}/s averaged over the simulated time`,
  );
  console.log(
    `subrequests: cron max ${Math.max(...ticks.map((t) => t.subrequests))} per tick; consumer max ${Math.max(...batches.map((b) => b.subrequests))}, ` +
      `median ${percentile(
        batches.map((b) => b.subrequests),
        50,
      )} per invocation over ${batches.length} invocations (${batches.reduce((s, b) => s + b.guilds, 0)} guild syncs, ` +
      `${batches.reduce((s, b) => s + b.failed, 0)} failed, ${batches.reduce((s, b) => s + b.released, 0)} released)`,
  );
  console.log(
    `lag entry → case: active p50 ${seconds(percentile(lags.active, 50))}, p99 ${seconds(percentile(lags.active, 99))} (${lags.active.length} entries); ` +
      `quiet p50 ${seconds(percentile(lags.quiet, 50))}, p99 ${seconds(percentile(lags.quiet, 99))} (${lags.quiet.length} entries); ` +
      `${pending.size} entries not yet recorded at the end`,
  );
}

async function currentSeq(): Promise<number> {
  const all = (await (await fetch(`${controlUrl}/requests`)).json()) as RecordedRequest[];
  return all.at(-1)?.seq ?? 0;
}

async function botRequestsSince(seq: number): Promise<RecordedRequest[]> {
  const all = (await (await fetch(`${controlUrl}/requests?since=${seq}`)).json()) as RecordedRequest[];
  return all.filter((r) => r.headers.authorization?.startsWith('Bot '));
}

let worker: BenchWorker | null = null;
try {
  worker = await startBenchWorker(
    'lockdown-bench-audit-sync',
    { ...stack.bindings },
    stack.signingKeyPkcs8 as string,
  );
  for (const size of SIZES) await runSize(worker, size);
} finally {
  process.stdout.write = write;
  await worker?.dispose();
  await db.$client.end();
  await stack.close();
}
