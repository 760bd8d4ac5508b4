// `npm run bench:relay`: what the relay sustains, against the local Discord stand-in, this machine's
// Redis and Postgres (database lockdown_bench), loopback only, bounded in count and time.
//
// 1. No rate limits at the stand-in (and the relay's own 50 req/s pacer off), 50 guilds:
//    - steady load: events XADDed at a fixed rate; latency from XADD (the stream entry id's clock)
//      to the webhook request arriving at the stand-in, p50 / p99;
//    - burst: events XADDed at once; throughput (events/s until the last is posted) and latency.
// 2. Discord's webhook limits at the stand-in (5 per 2 s per webhook, 30 per minute per channel):
//    the time to drain a 1,000-event burst for one guild.
// Every figure is measured twice in the same run: batching on (the relay's default) and batching
// off (one event per message), the baseline. Unbatched, the drain under Discord's limits takes
// over half an hour, so that run stops after --baseline-cap seconds and projects the rest.
//
// Options: --steady N (default 1000) --rate R (events/s, default 250) --burst N (default 5000)
//          --drain N (default 1000) --baseline-cap S (default 75) --guilds G (default 50)
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { migrateDatabase } from '../db/migrate.ts';
import { createNodeDatabase } from '../db/node.ts';
import { guilds } from '../db/schema.ts';
import { type DiscordStandIn, type RecordedRequest, startDiscordStandIn } from '../dev/discord/server.ts';
import { EVENT_STREAM_FIELD, encodeEvent, type LockdownEvent } from '../shared/events.ts';
import { createRedis } from '../worker/clients.ts';
import { RateLimiter } from '../worker/rate-limits.ts';
import { Relay } from '../worker/relay.ts';
import { WebhookClient } from '../worker/webhook-client.ts';

const { values: opts } = parseArgs({
  options: {
    steady: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '250' },
    burst: { type: 'string', default: '5000' },
    drain: { type: 'string', default: '1000' },
    'baseline-cap': { type: 'string', default: '75' },
    guilds: { type: 'string', default: '50' },
  },
});
const positive = (name: keyof typeof opts) => {
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
const RUN_TIMEOUT_MS = 10 * 60_000;

const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lockdown_bench';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
await migrateDatabase(databaseUrl);
const db = createNodeDatabase(databaseUrl, 20);
const redis = createRedis(redisUrl, 'lockdown-bench-relay');
const botToken = 'bench-bot-token';
const applicationId = '1100000000000000001';

let sequence = 0n;
const snowflake = () => {
  sequence = (sequence + 1n) & 0xfffn;
  const time = BigInt(Date.now()) - 1_420_070_400_000n;
  return ((time << 22n) | (BigInt(Math.floor(Math.random() * 1024)) << 12n) | sequence).toString();
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) =>
  sorted.length
    ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number)
    : Number.NaN;

interface Guild {
  guildId: string;
  channelId: string;
  moderatorId: string;
  webhookId: string;
}

async function makeGuilds(discord: DiscordStandIn, count: number): Promise<Guild[]> {
  const made: Guild[] = [];
  for (let i = 0; i < count; i++) {
    const guildId = snowflake();
    const channelId = snowflake();
    const moderatorId = snowflake();
    const seed = {
      ownerId: moderatorId,
      roles: [{ id: guildId, position: 0, permissions: '0' }],
      members: [{ user: { id: moderatorId, username: 'mod' }, roles: [] }],
      channels: [{ id: channelId, name: 'mod-logs' }],
    };
    await fetch(`${discord.controlUrl}/guilds/${guildId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(seed),
    });
    const webhook = (await (
      await fetch(`${discord.controlUrl}/channels/${channelId}/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Lockdown' }),
      })
    ).json()) as { id: string; token: string };
    await db.insert(guilds).values({
      guildId,
      modlogChannelId: channelId,
      modlogWebhookId: webhook.id,
      modlogWebhookToken: webhook.token,
    });
    made.push({ guildId, channelId, moderatorId, webhookId: webhook.id });
  }
  return made;
}

function warning(guild: Guild, n: number): LockdownEvent {
  return {
    eventId: randomUUID(),
    eventType: 'warning:added',
    timestamp: new Date().toISOString(),
    data: {
      id: randomUUID(),
      caseNumber: n,
      guildId: guild.guildId,
      userId: snowflake(),
      moderatorId: guild.moderatorId,
      reason: `Repeated spam in #general after two verbal warnings (bench event ${n})`,
      expiresAt: null,
    },
  };
}

interface RunResult {
  delivered: number;
  /** Events per second over the last minute of the run. */
  lastMinuteRate: number;
  elapsedMs: number;
  messages: number;
  latencies: number[];
  finished: boolean;
}

/**
 * Starts a relay on a fresh stream, feeds it `events` (all at once, or `rate` per second), waits until
 * every one is posted (or `capMs` passes), and reads the latencies off the stand-in's request log.
 */
async function run(options: {
  discord: DiscordStandIn;
  events: LockdownEvent[];
  batching: boolean;
  rate?: number;
  capMs?: number;
}): Promise<RunResult> {
  const streamKey = `bench:relay:${randomUUID()}`;
  const relay = new Relay({
    redis,
    db,
    discord: new WebhookClient({
      apiBase: options.discord.apiBase,
      timeoutMs: 10_000,
      // The stand-in plays Discord's limits (or none); the relay's own 50 req/s pacer is left out so
      // the no-limit figures show what the relay itself sustains.
      limiter: new RateLimiter({ globalPerSecond: Number.POSITIVE_INFINITY, marginMs: 20 }),
    }),
    streamKey,
    consumer: 'bench',
    blockMs: 1_000,
    batching: options.batching,
    maxInFlight: 20_000,
    readCount: 500,
  });
  await relay.start();
  const caseToEntry = new Map<string, string>();
  const started = Date.now();
  const add = async (chunk: LockdownEvent[]) => {
    const pipeline = redis.pipeline();
    for (const event of chunk) pipeline.xadd(streamKey, '*', EVENT_STREAM_FIELD, encodeEvent(event));
    const ids = (await pipeline.exec()) ?? [];
    for (const [j, event] of chunk.entries()) caseToEntry.set(event.data.id as string, ids[j]?.[1] as string);
  };
  if (options.rate) {
    // Paced: a few events every ~10 ms, on a schedule that does not drift.
    const perTick = Math.max(1, Math.round(options.rate / 100));
    for (let i = 0; i < options.events.length; i += perTick) {
      await add(options.events.slice(i, i + perTick));
      await sleep(Math.max(0, started + ((i + perTick) / options.rate) * 1000 - Date.now()));
    }
  } else {
    for (let i = 0; i < options.events.length; i += 1000) await add(options.events.slice(i, i + 1000));
  }
  const deadline = started + (options.capMs ?? RUN_TIMEOUT_MS);
  const delivered = () => relay.metrics.events.value({ outcome: 'delivered' });
  const samples: [at: number, delivered: number][] = [];
  while (delivered() < options.events.length && Date.now() < deadline) {
    samples.push([Date.now(), delivered()]);
    await sleep(20);
  }
  const elapsedMs = Date.now() - started;
  // The delivery rate over the last minute (one full window of the per-channel limit).
  const end = Date.now();
  const minuteAgo = samples.find(([at]) => at >= end - 60_000) ?? [started, 0];
  const result: RunResult = {
    delivered: delivered(),
    lastMinuteRate: (delivered() - minuteAgo[1]) / Math.max(0.001, (end - minuteAgo[0]) / 1000),
    elapsedMs,
    messages: relay.metrics.messages.value(),
    latencies: [],
    finished: delivered() >= options.events.length,
  };
  await relay.stop();
  await redis.del(streamKey);

  const webhookRequests = (await (
    await fetch(
      `${options.discord.controlUrl}/requests?contains=${encodeURIComponent('/webhooks/')}&method=POST`,
    )
  ).json()) as RecordedRequest[];
  for (const request of webhookRequests) {
    if (request.status !== 200) continue;
    const embeds = (request.body as { embeds?: { footer?: { text?: string } }[] } | null)?.embeds ?? [];
    for (const embed of embeds) {
      const caseId = embed.footer?.text?.replace(/^Case /, '');
      const entryId = caseId ? caseToEntry.get(caseId) : undefined;
      if (entryId) result.latencies.push(request.at - Number(entryId.split('-')[0]));
    }
  }
  result.latencies.sort((a, b) => a - b);
  return result;
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const latencyLine = (r: RunResult) =>
  `p50 ${fmt(percentile(r.latencies, 50))} ms, p99 ${fmt(percentile(r.latencies, 99))} ms, max ${fmt(r.latencies.at(-1) ?? Number.NaN)} ms`;

console.log(
  `bench:relay — Node ${process.version}, Redis ${redisUrl}, Postgres ${new URL(databaseUrl).pathname.slice(1)}`,
);
const modes = [
  { name: 'batched (default)', batching: true },
  { name: 'unbatched (baseline)', batching: false },
];

// 1. No rate limits.
{
  const discord = await startDiscordStandIn({ botToken, applicationId, rateLimits: false });
  try {
    console.log(`\n1. stand-in without rate limits, ${GUILDS} guilds`);
    // Warm-up (not reported): JIT, connection pools, the stand-in.
    for (const mode of modes) {
      const warm = await makeGuilds(discord, 10);
      await run({
        discord,
        batching: mode.batching,
        events: Array.from({ length: 500 }, (_, i) => warning(warm[i % 10] as Guild, i + 1)),
      });
    }
    for (const mode of modes) {
      const steadyGuilds = await makeGuilds(discord, GUILDS);
      const steady = await run({
        discord,
        batching: mode.batching,
        rate: RATE,
        events: Array.from({ length: STEADY }, (_, i) => warning(steadyGuilds[i % GUILDS] as Guild, i + 1)),
      });
      const burstGuilds = await makeGuilds(discord, GUILDS);
      const burst = await run({
        discord,
        batching: mode.batching,
        events: Array.from({ length: BURST }, (_, i) => warning(burstGuilds[i % GUILDS] as Guild, i + 1)),
      });
      console.log(`   ${mode.name}`);
      console.log(
        `     steady ${STEADY} events at ${RATE}/s: latency XADD→webhook request ${latencyLine(steady)} (${steady.messages} messages)`,
      );
      console.log(
        `     burst ${BURST} events: ${fmt(burst.delivered / (burst.elapsedMs / 1000))} events/s (${burst.delivered} in ${fmt(burst.elapsedMs)} ms, ${burst.messages} messages); latency ${latencyLine(burst)}`,
      );
    }
  } finally {
    await discord.close();
  }
}

// 2. Discord's webhook limits: one guild, one burst.
{
  const discord = await startDiscordStandIn({ botToken, applicationId, rateLimits: true });
  try {
    console.log(
      `\n2. stand-in with Discord's webhook limits (5 per 2 s per webhook, 30 per minute per channel), one guild`,
    );
    for (const mode of modes) {
      const [guild] = await makeGuilds(discord, 1);
      const result = await run({
        discord,
        batching: mode.batching,
        events: Array.from({ length: DRAIN }, (_, i) => warning(guild as Guild, i + 1)),
        capMs: mode.batching ? RUN_TIMEOUT_MS : BASELINE_CAP_MS,
      });
      if (result.finished) {
        console.log(
          `   ${mode.name}: ${DRAIN}-event burst drained in ${fmt(result.elapsedMs / 1000, 1)} s (${result.messages} messages)`,
        );
      } else {
        // The rest at the rate of the last minute, which spans a whole window of the channel limit.
        const projected =
          result.elapsedMs + ((DRAIN - result.delivered) / Math.max(0.001, result.lastMinuteRate)) * 1000;
        console.log(
          `   ${mode.name}: ${result.delivered} of ${DRAIN} posted after ${fmt(result.elapsedMs / 1000, 1)} s (stopped there; ${fmt(result.lastMinuteRate * 60, 0)} per minute over the last minute); projected drain ≈ ${fmt(projected / 60_000, 1)} min`,
        );
      }
    }
  } finally {
    await discord.close();
  }
}

redis.disconnect();
await db.$client.end();
