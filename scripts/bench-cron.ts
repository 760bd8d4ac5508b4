// `npm run bench:cron`: how fast the scheduled tick drains due temporary bans. Seeds BANS due bans
// over GUILDS guilds (case rows straight into Postgres, bans at the Discord stand-in), then runs the
// Worker's scheduled handler in workerd (wrangler's unstable_startWorker, dispatched through
// miniflare's /cdn-cgi/local/scheduled with an explicit scheduledTime, which waits for the tick's
// waitUntil) one tick at a time until nothing is due, printing per tick what was lifted, the
// subrequests it counted and how long it took. Against this machine's Postgres and Redis behind the
// Neon and Upstash stand-ins and the Discord stand-in; loopback only, bounded in count (BANS) and in
// ticks (MAX_TICKS). The ticks are limited to the bench's own guilds (SCHEDULER_GUILD_IDS).
import { and, eq, inArray, sql } from 'drizzle-orm';
import { createNodeDatabase } from '../db/node.ts';
import { cases, guilds } from '../db/schema.ts';
import { randomSnowflake } from '../dev/interactions.ts';
import { startLocalStack } from '../dev/local-stack.ts';
import { DEFAULT_SUBREQUEST_BUDGET, DISCORD_CALLS_PER_SECOND } from '../functions/scheduled/budget.ts';
import type { TickReport } from '../functions/scheduled/run.ts';
import { type BenchWorker, startBenchWorker } from './bench/bench-worker.ts';

const GUILDS = 10;
const PER_GUILD = 100;
const BANS = GUILDS * PER_GUILD;
const MAX_TICKS = 20;
const BAN_PERMISSIONS = String(1n << 2n); // BAN_MEMBERS
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lockdown_bench';
const stack = await startLocalStack({
  databaseUrl,
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  applicationId: '1100000000000000001',
  botToken: 'bench-bot-token',
  upstashToken: 'bench-upstash-token',
  // The tick paces its own Discord calls (DISCORD_CALLS_PER_SECOND); the stand-in's limits would
  // only slow down seeding the bans.
  discordRateLimits: false,
});
const db = createNodeDatabase(databaseUrl, 4);
const { DISCORD_API_BASE, DISCORD_BOT_TOKEN } = stack.bindings;
const controlUrl = stack.discord?.controlUrl as string;

async function seedGuild(firstExpiry: number, index: number): Promise<string> {
  const guildId = randomSnowflake();
  const botRole = randomSnowflake();
  const users = Array.from({ length: PER_GUILD }, () => randomSnowflake());
  const seeded = await fetch(`${controlUrl}/guilds/${guildId}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: `Bench ${index}`,
      ownerId: randomSnowflake(),
      roles: [{ id: botRole, position: 9, permissions: BAN_PERMISSIONS }],
      members: [],
      users: users.map((id, i) => ({ id, username: `raider${i}` })),
      botRoleIds: [botRole],
    }),
  });
  if (!seeded.ok) throw new Error(`seeding guild ${index} failed: ${seeded.status}`);
  for (let i = 0; i < users.length; i += 25) {
    await Promise.all(
      users.slice(i, i + 25).map(async (userId) => {
        const response = await fetch(`${DISCORD_API_BASE}/guilds/${guildId}/bans/${userId}`, {
          method: 'PUT',
          headers: { authorization: `Bot ${DISCORD_BOT_TOKEN}`, 'content-type': 'application/json' },
          body: '{}',
        });
        if (response.status !== 204) throw new Error(`banning at the stand-in failed: ${response.status}`);
      }),
    );
  }
  await db.insert(guilds).values({ guildId, caseCounter: PER_GUILD });
  await db.insert(cases).values(
    users.map((userId, i) => ({
      id: crypto.randomUUID(),
      guildId,
      caseNumber: i + 1,
      action: 'ban' as const,
      userId,
      moderatorId: randomSnowflake(),
      reason: 'raid',
      createdAt: new Date(firstExpiry - 86_400_000),
      expiresAt: new Date(firstExpiry + (i * GUILDS + index) * 1000),
    })),
  );
  return guildId;
}

/** The tick's own log line (counts, subrequests, elapsed), caught from the Worker's stdout. */
const tickLines: string[] = [];
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  if (text.includes('scheduled tick ')) {
    tickLines.push(text);
    return true;
  }
  return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stdout.write;

function lastTickReport(): TickReport | null {
  const line = tickLines.at(-1);
  if (!line) return null;
  const json = line.slice(line.indexOf(': {') + 2).trim();
  try {
    return JSON.parse(json.slice(0, json.lastIndexOf('}') + 1)) as TickReport;
  } catch {
    return null;
  }
}

let worker: BenchWorker | null = null;
try {
  const firstExpiry = Date.now() - 3_600_000;
  const seedStarted = performance.now();
  const guildIds = await Promise.all(Array.from({ length: GUILDS }, (_, i) => seedGuild(firstExpiry, i)));
  console.log(
    `seeded ${BANS} due temporary bans over ${GUILDS} guilds in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
  );

  worker = await startBenchWorker(
    'lockdown-bench-cron',
    { ...stack.bindings, SCHEDULER_GUILD_IDS: guildIds.join(',') },
    stack.signingKeyPkcs8 as string,
  );

  const active = async () => {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(cases)
      .where(and(inArray(cases.guildId, guildIds), eq(cases.action, 'ban'), eq(cases.state, 'active')));
    return row?.n ?? 0;
  };
  const tick = (scheduledTime: number) => (worker as BenchWorker).tick(scheduledTime);

  // Idle ticks first (nothing due yet for these guilds at that time): the fixed cost of a tick. The
  // first one also pays for loading the Worker.
  for (const label of ['first idle tick (cold)', 'idle tick (warm)']) {
    const idleMs = await tick(firstExpiry - 60_000);
    console.log(`${label}: ${idleMs.toFixed(0)} ms, ${lastTickReport()?.subrequests ?? '?'} subrequests`);
  }

  console.log(
    `draining (budget ${DEFAULT_SUBREQUEST_BUDGET} subrequests a tick, Discord paced at ${DISCORD_CALLS_PER_SECOND}/s):`,
  );
  const rows: { lifted: number; ms: number; subrequests: number | null }[] = [];
  let at = Date.now();
  let left = await active();
  for (let n = 1; n <= MAX_TICKS && left > 0; n += 1) {
    const ms = await tick(at);
    const now = await active();
    const report = lastTickReport();
    rows.push({ lifted: left - now, ms, subrequests: report?.subrequests ?? null });
    console.log(
      `tick ${n}: ${left - now} expirations handled in ${(ms / 1000).toFixed(2)} s` +
        ` (${report ? `${report.subrequests} subrequests, tick's own clock ${report.elapsedMs} ms` : 'no report'}), ${now} left`,
    );
    left = now;
    at += 60_000;
  }
  const handled = rows.reduce((sum, r) => sum + r.lifted, 0);
  const seconds = rows.reduce((sum, r) => sum + r.ms, 0) / 1000;
  const full = rows.filter((r) => r !== rows.at(-1));
  console.log(
    `summary: ${handled}/${BANS} handled in ${rows.length} ticks; ` +
      `${full.length > 0 ? `${Math.round(full.reduce((s, r) => s + r.lifted, 0) / full.length)} per full tick, ` : ''}` +
      `${(seconds / rows.length).toFixed(2)} s per tick on average, ${(handled / seconds).toFixed(1)} expirations/s; ` +
      `max ${Math.max(...rows.map((r) => r.subrequests ?? 0))} subrequests in a tick`,
  );
  if (left > 0) console.log(`${left} still due after ${MAX_TICKS} ticks`);
} finally {
  process.stdout.write = write;
  await worker?.dispose();
  await db.$client.end();
  await stack.close();
}
