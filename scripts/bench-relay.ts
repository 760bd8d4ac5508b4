// `npm run bench:relay`: what the relay sustains, against the local Discord stand-in, this machine's
// Redis and Postgres (database lockdown_bench), loopback only, bounded in count and time.
//
// 0. The burst users feel, no rate limits at the stand-in: 2,000 events for ONE guild, drained by
//    the durable relay (ordered, batched, deduplicated, acked) and, in the same run, by a naive
//    poster (XREAD, every event posted as its own message at once: no order, dedupe or durability),
//    the yardstick for what the stand-in and this machine allow.
// 1. No rate limits at the stand-in (and the relay's own 50 req/s pacer off), 50 guilds:
//    - steady load: events XADDed at a fixed rate; latency from XADD (the stream entry id's clock)
//      to the webhook request arriving at the stand-in, p50 / p99;
//    - burst: events XADDed at once; throughput (events/s until the last is posted) and latency.
// 2. Discord's webhook limits at the stand-in (5 per 2 s per webhook, 30 per minute per channel):
//    the time to drain a 1,000-event burst for one guild.
// 3. Takeover: a real relay process (`node worker/main.ts`) SIGKILLed in the middle of a one-guild
//    burst, and the time from the kill until a second relay (heartbeat sweep, defaults: 1 s beat,
//    5 s TTL, 2 s sweep; the idle claim alone would wait 60 s) has delivered the rest, with the
//    duplicates posted (the goal: within 10 s, none).
// 4. A guild's late event: event 1 only in the outbox (its XADD failed), 2..10 on the stream; the
//    time until all 10 are posted in order (1 read from the outbox after the 2 s wait bound, or taken
//    from the stream when republished 300 ms late), and a numbered one-guild burst (the check's cost).
// Every figure is measured twice in the same run: batching on (the relay's default) and batching
// off (one event per message), the baseline. Unbatched, the drain under Discord's limits takes
// over half an hour, so that run stops after --baseline-cap seconds and projects the rest.
//
// Options: --one-guild N (default 2000) --steady N (default 1000) --rate R (events/s, default 250)
//          --burst N (default 5000) --drain N (default 1000) --baseline-cap S (default 75)
//          --guilds G (default 50) --takeover N (default 2000) --skip-unbatched --skip-limits
//          (leave out the slow parts)
//
// The parts: scripts/bench/relay-harness.ts (what every section shares), relay-throughput.ts (0, 1),
// relay-limits.ts (2), relay-takeover.ts (3), relay-order.ts (4); this file reads the options, opens
// the clients, runs the sections in order and closes the clients.
import { parseArgs } from 'node:util';
import { migrateDatabase } from '../db/migrate.ts';
import { createNodeDatabase } from '../db/node.ts';
import { createRedis } from '../worker/clients.ts';
import type { BenchContext } from './bench/relay-harness.ts';
import { webhookLimits } from './bench/relay-limits.ts';
import { lateEventOrder } from './bench/relay-order.ts';
import { takeover } from './bench/relay-takeover.ts';
import { manyGuilds, oneGuildBurst } from './bench/relay-throughput.ts';

const { values: opts } = parseArgs({
  options: {
    steady: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '250' },
    burst: { type: 'string', default: '5000' },
    drain: { type: 'string', default: '1000' },
    'baseline-cap': { type: 'string', default: '75' },
    guilds: { type: 'string', default: '50' },
    'one-guild': { type: 'string', default: '2000' },
    takeover: { type: 'string', default: '2000' },
    'skip-unbatched': { type: 'boolean', default: false },
    'skip-limits': { type: 'boolean', default: false },
  },
});
const positive = (name: Exclude<keyof typeof opts, 'skip-unbatched' | 'skip-limits'>) => {
  const n = Number(opts[name]);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`bench:relay: --${name} must be a positive number`);
    process.exit(2);
  }
  return n;
};
const STEADY = Math.floor(positive('steady'));
const RATE = positive('rate');
const BURST = Math.floor(positive('burst'));
const DRAIN = Math.floor(positive('drain'));
const BASELINE_CAP_MS = positive('baseline-cap') * 1000;
const GUILDS = Math.floor(positive('guilds'));
const ONE_GUILD = Math.floor(positive('one-guild'));

const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lockdown_bench';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
await migrateDatabase(databaseUrl);
const db = createNodeDatabase(databaseUrl, 20);
const redis = createRedis(redisUrl, 'lockdown-bench-relay');

const ctx: BenchContext = {
  db,
  redis,
  databaseUrl,
  redisUrl,
  standIn: { botToken: 'bench-bot-token', applicationId: '1100000000000000001' },
  options: {
    steady: STEADY,
    rate: RATE,
    burst: BURST,
    drain: DRAIN,
    baselineCapMs: BASELINE_CAP_MS,
    guilds: GUILDS,
    oneGuild: ONE_GUILD,
    skipLimits: opts['skip-limits'],
  },
  modes: [
    { name: 'batched (default)', batching: true },
    { name: 'unbatched (baseline)', batching: false },
  ].filter((mode) => mode.batching || !opts['skip-unbatched']),
};

console.log(
  `bench:relay — Node ${process.version}, Redis ${redisUrl}, Postgres ${new URL(databaseUrl).pathname.slice(1)}`,
);
await oneGuildBurst(ctx);
await manyGuilds(ctx);
if (!ctx.options.skipLimits) await webhookLimits(ctx);
// --takeover is read here, as section 3 starts (as it always was).
await takeover(ctx, Math.floor(positive('takeover')));
await lateEventOrder(ctx);

redis.disconnect();
await db.$client.end();
