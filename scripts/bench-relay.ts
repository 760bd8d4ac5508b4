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
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { eq, sql } from 'drizzle-orm';
import { migrateDatabase } from '../db/migrate.ts';
import { createNodeDatabase } from '../db/node.ts';
import { guilds, modlogDeliveries, outbox } from '../db/schema.ts';
import { type DiscordStandIn, type RecordedRequest, startDiscordStandIn } from '../dev/discord/server.ts';
import { eventEmbed } from '../shared/embeds.ts';
import { EVENT_STREAM_FIELD, encodeEvent, type LockdownEvent } from '../shared/events.ts';
import { createRedis } from '../worker/clients.ts';
import { RateLimiter } from '../worker/discord/rate-limits.ts';
import { WebhookClient } from '../worker/discord/webhook-client.ts';
import { Relay } from '../worker/relay.ts';

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
  webhook: { id: string; token: string };
}

async function makeGuilds(discord: DiscordStandIn, count: number): Promise<Guild[]> {
  const made: Guild[] = [];
  for (let i = 0; i < count; i++) {
    const guildId = snowflake();
    const channelId = snowflake();
    const moderatorId = snowflake();
    const seed = {
      ownerId: moderatorId,
      // The bot reads the channel (View Channel, Read Message History) to find earlier posts.
      roles: [
        {
          id: guildId,
          position: 0,
          permissions: String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory),
        },
      ],
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
    made.push({ guildId, channelId, moderatorId, webhook: { id: webhook.id, token: webhook.token } });
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
  let count = await delivered();
  while (count < options.events.length && Date.now() < deadline) {
    samples.push([Date.now(), count]);
    await sleep(5);
    count = await delivered();
  }
  const elapsedMs = Date.now() - started;
  // The delivery rate over the last minute (one full window of the per-channel limit).
  const end = Date.now();
  const minuteAgo = samples.find(([at]) => at >= end - 60_000) ?? [started, 0];
  const result: RunResult = {
    delivered: count,
    lastMinuteRate: (count - minuteAgo[1]) / Math.max(0.001, (end - minuteAgo[0]) / 1000),
    elapsedMs,
    messages: await relay.metrics.messages.value(),
    latencies: [],
    finished: count >= options.events.length,
  };
  await relay.stop();
  await redis.del(streamKey);
  result.latencies = await latencies(options.discord, caseToEntry);
  return result;
}

/** XADD → request-at-the-stand-in latencies of every posted embed, sorted (from the stand-in's log). */
async function latencies(discord: DiscordStandIn, caseToEntry: Map<string, string>): Promise<number[]> {
  const webhookRequests = (await (
    await fetch(`${discord.controlUrl}/requests?contains=${encodeURIComponent('/webhooks/')}&method=POST`)
  ).json()) as RecordedRequest[];
  const out: number[] = [];
  for (const request of webhookRequests) {
    if (request.status !== 200) continue;
    const embeds = (request.body as { embeds?: { footer?: { text?: string } }[] } | null)?.embeds ?? [];
    for (const embed of embeds) {
      // The footer reads `Case <caseId> · ref <eventId>`.
      const caseId = embed.footer?.text?.match(/^Case ([0-9a-f-]{36})/)?.[1];
      const entryId = caseId ? caseToEntry.get(caseId) : undefined;
      if (entryId) out.push(request.at - Number(entryId.split('-')[0]));
    }
  }
  return out.sort((a, b) => a - b);
}

/**
 * The yardstick: XREAD (no group) and post every event as its own webhook message the moment it is
 * read, all concurrently; no order, dedupe, record or ack. Returns when all are posted.
 */
async function naiveRun(discord: DiscordStandIn, guild: Guild, events: LockdownEvent[]) {
  const streamKey = `bench:naive:${randomUUID()}`;
  const reader = redis.duplicate({ connectionName: 'lockdown-bench-naive' });
  const url = `${discord.apiBase}/webhooks/${guild.webhook.id}/${guild.webhook.token}?wait=true`;
  let posted = 0;
  let failed = 0;
  const sends: Promise<void>[] = [];
  const started = Date.now();
  const reading = (async () => {
    let last = '0-0';
    while (sends.length < events.length) {
      const reply = await reader.xread('COUNT', 1000, 'BLOCK', 1000, 'STREAMS', streamKey, last);
      for (const [, entries] of reply ?? []) {
        for (const [id, fields] of entries) {
          last = id;
          const event = JSON.parse(fields[1] as string) as LockdownEvent;
          const body = JSON.stringify({ embeds: [eventEmbed(event)], allowed_mentions: { parse: [] } });
          sends.push(
            fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
              async (r) => {
                await r.arrayBuffer();
                if (r.ok) posted++;
                else failed++;
              },
              () => {
                failed++;
              },
            ),
          );
        }
      }
    }
  })();
  for (let i = 0; i < events.length; i += 1000) {
    const pipeline = redis.pipeline();
    for (const event of events.slice(i, i + 1000))
      pipeline.xadd(streamKey, '*', EVENT_STREAM_FIELD, encodeEvent(event));
    await pipeline.exec();
  }
  await reading;
  await Promise.all(sends);
  const elapsedMs = Date.now() - started;
  reader.disconnect();
  await redis.del(streamKey);
  return { posted, failed, elapsedMs };
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
].filter((mode) => mode.batching || !opts['skip-unbatched']);
const eventsPerSecond = (n: number, ms: number) => fmt(n / (ms / 1000));

// 0. One guild, one burst: the durable relay against the naive poster.
{
  const discord = await startDiscordStandIn({ botToken, applicationId, rateLimits: false });
  try {
    console.log(`\n0. stand-in without rate limits, one guild, a ${ONE_GUILD}-event burst`);
    const [warm] = await makeGuilds(discord, 1);
    await run({
      discord,
      batching: true,
      events: Array.from({ length: 300 }, (_, i) => warning(warm as Guild, i)),
    });
    await naiveRun(
      discord,
      warm as Guild,
      Array.from({ length: 300 }, (_, i) => warning(warm as Guild, i)),
    );
    const [guild] = (await makeGuilds(discord, 1)) as [Guild];
    const durable = await run({
      discord,
      batching: true,
      events: Array.from({ length: ONE_GUILD }, (_, i) => warning(guild, i + 1)),
    });
    console.log(
      `   durable relay (ordered, batched, deduplicated, acked): ${eventsPerSecond(durable.delivered, durable.elapsedMs)} events/s (${durable.delivered} in ${fmt(durable.elapsedMs)} ms, ${durable.messages} messages, ${fmt(durable.elapsedMs / Math.max(1, durable.messages), 1)} ms per message)`,
    );
    const [other] = (await makeGuilds(discord, 1)) as [Guild];
    const naive = await naiveRun(
      discord,
      other,
      Array.from({ length: ONE_GUILD }, (_, i) => warning(other, i + 1)),
    );
    console.log(
      `   naive poster (one message per event, all at once, no durability): ${eventsPerSecond(naive.posted, naive.elapsedMs)} events/s (${naive.posted} in ${fmt(naive.elapsedMs)} ms${naive.failed ? `, ${naive.failed} failed` : ''})`,
    );
  } finally {
    await discord.close();
  }
}

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
if (!opts['skip-limits']) {
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

// 3. Takeover after a SIGKILL.
{
  const TAKEOVER = Math.floor(positive('takeover'));
  const discord = await startDiscordStandIn({ botToken, applicationId, rateLimits: false });
  const streamKey = `bench:relay:${randomUUID()}`;
  try {
    console.log(`\n3. takeover: a relay process SIGKILLed mid-burst (${TAKEOVER} events, one guild)`);
    const [guild] = (await makeGuilds(discord, 1)) as [Guild];
    const root = fileURLToPath(new URL('../', import.meta.url));
    const child = spawn(`${root}node_modules/.bin/node`, ['worker/main.ts'], {
      cwd: root,
      stdio: 'ignore',
      env: {
        ...process.env,
        REDIS_URL: redisUrl,
        DATABASE_URL: databaseUrl,
        DISCORD_API_BASE: discord.apiBase,
        DISCORD_BOT_TOKEN: botToken,
        PORT: '0',
        RELAY_STREAM_KEY: streamKey,
        RELAY_CONSUMER: `doomed-${randomUUID().slice(0, 8)}`,
        RELAY_MIGRATE: 'false',
        RELAY_BLOCK_MS: '200',
      },
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const posted = async () => {
      const list = (await (
        await fetch(`${discord.controlUrl}/channels/${guild.channelId}/messages`)
      ).json()) as {
        embeds: { title?: string }[];
      }[];
      return list.flatMap((m) => m.embeds.map((e) => e.title ?? ''));
    };
    const events = Array.from({ length: TAKEOVER }, (_, i) => warning(guild, i + 1));
    const pipeline = redis.pipeline();
    for (const event of events) pipeline.xadd(streamKey, '*', EVENT_STREAM_FIELD, encodeEvent(event));
    await pipeline.exec();
    // Kill it once it is well into the burst.
    const killAt = Math.floor(TAKEOVER / 4);
    const startedAt = Date.now();
    while ((await posted()).length < killAt && Date.now() - startedAt < 60_000) await sleep(5);
    child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    const atKill = (await posted()).length;
    const heir = new Relay({
      redis,
      db,
      discord: new WebhookClient({
        apiBase: discord.apiBase,
        botToken,
        limiter: new RateLimiter({ globalPerSecond: Number.POSITIVE_INFINITY, marginMs: 20 }),
      }),
      streamKey,
      consumer: 'bench-heir',
      blockMs: 1_000,
      maxInFlight: 20_000,
      readCount: 500,
    });
    await heir.start();
    // Done when every event has its delivery row (a cheap count, not a read of the channel).
    const recorded = async () => {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(modlogDeliveries)
        .where(eq(modlogDeliveries.guildId, guild.guildId));
      return row?.n ?? 0;
    };
    while ((await recorded()) < TAKEOVER && Date.now() - killedAt < 120_000) await sleep(10);
    const doneMs = Date.now() - killedAt;
    const titles = await posted();
    const firstByHeir = await heir.metrics.messages.value();
    await heir.stop();
    console.log(
      `   killed after ${atKill} of ${TAKEOVER} posted; the rest delivered by the second relay ${fmt(doneMs / 1000, 1)} s after the kill (goal ≤ 10 s); ${titles.length - new Set(titles).size} duplicates; ${firstByHeir} messages from the second relay, ${await heir.metrics.confirmedPosts.value()} events found already posted`,
    );
  } finally {
    await redis.del(streamKey);
    await discord.close();
  }
}

// 4. A guild's late event, in order.
{
  const discord = await startDiscordStandIn({ botToken, applicationId, rateLimits: false });
  try {
    console.log(`\n4. a guild's late event: 1 in the outbox only (its XADD failed), 2..10 on the stream`);
    const numbered = (guild: Guild, count: number) =>
      Array.from({ length: count }, (_, i) => ({ ...warning(guild, i + 1), sequence: i + 1 }));
    const writeOutbox = (events: LockdownEvent[], published: boolean) =>
      db.insert(outbox).values(
        events.map((event) => ({
          eventId: event.eventId,
          guildId: event.data.guildId,
          eventType: event.eventType,
          payload: event,
          sequence: event.sequence ?? null,
          publishedAt: published ? new Date() : null,
        })),
      );
    const titlesOf = async (channelId: string) => {
      const list = (await (await fetch(`${discord.controlUrl}/channels/${channelId}/messages`)).json()) as {
        embeds: { title?: string }[];
      }[];
      return list.flatMap((m) => m.embeds.map((e) => Number(e.title?.split('#')[1])));
    };
    const streamKey = `bench:relay:${randomUUID()}`;
    const relay = new Relay({
      redis,
      db,
      discord: new WebhookClient({
        apiBase: discord.apiBase,
        botToken,
        limiter: new RateLimiter({ globalPerSecond: Number.POSITIVE_INFINITY, marginMs: 20 }),
      }),
      streamKey,
      consumer: 'bench-order',
      blockMs: 1_000,
      maxInFlight: 20_000,
      readCount: 500,
    });
    await relay.start();
    const add = async (events: LockdownEvent[]) => {
      const pipeline = redis.pipeline();
      for (const event of events) pipeline.xadd(streamKey, '*', EVENT_STREAM_FIELD, encodeEvent(event));
      await pipeline.exec();
    };
    const until = async (channelId: string, n: number) => {
      const deadline = Date.now() + 30_000;
      let titles = await titlesOf(channelId);
      while (titles.length < n && Date.now() < deadline) {
        await sleep(5);
        titles = await titlesOf(channelId);
      }
      return titles;
    };
    const inOrder = (titles: number[], n: number) =>
      titles.length === n && titles.every((t, i) => t === i + 1)
        ? 'in order, each once'
        : `WRONG: ${titles.join(',')}`;
    // a) 1 never reaches the stream in time: the relay waits RELAY_ORDER_WAIT_MS (2 s), then reads it.
    {
      const [guild] = (await makeGuilds(discord, 1)) as [Guild];
      const events = numbered(guild, 10);
      await writeOutbox(events.slice(0, 1), false);
      await writeOutbox(events.slice(1), true);
      const started = Date.now();
      await add(events.slice(1));
      const titles = await until(guild.channelId, 10);
      const ms = Date.now() - started;
      await add(events.slice(0, 1)); // the scheduler's republish, ~30 s later in production
      await sleep(500);
      const after = await titlesOf(guild.channelId);
      console.log(
        `   read from the outbox: all 10 posted ${inOrder(titles, 10)}, ${fmt(ms)} ms after 2..10 were XADDed (wait bound 2,000 ms); the republish of 1 then posted ${after.length - titles.length} more`,
      );
    }
    // b) 1 is republished 300 ms late: taken from the stream as soon as it arrives.
    {
      const [guild] = (await makeGuilds(discord, 1)) as [Guild];
      const events = numbered(guild, 10);
      await writeOutbox(events.slice(0, 1), false);
      await writeOutbox(events.slice(1), true);
      const started = Date.now();
      await add(events.slice(1));
      await sleep(300);
      await add(events.slice(0, 1));
      const titles = await until(guild.channelId, 10);
      console.log(
        `   republished 300 ms late: all 10 posted ${inOrder(titles, 10)}, ${fmt(Date.now() - started)} ms after 2..10 were XADDed`,
      );
    }
    // c) the sequence check's cost: a one-guild burst of numbered events (no gap).
    {
      const [guild] = (await makeGuilds(discord, 1)) as [Guild];
      const events = numbered(guild, ONE_GUILD);
      await writeOutbox(events, true);
      const before = await relay.metrics.events.value({ outcome: 'delivered' });
      const started = Date.now();
      for (let i = 0; i < events.length; i += 1000) await add(events.slice(i, i + 1000));
      while ((await relay.metrics.events.value({ outcome: 'delivered' })) - before < ONE_GUILD)
        await sleep(5);
      const ms = Date.now() - started;
      console.log(
        `   a ${ONE_GUILD}-event burst of numbered events, one guild: ${eventsPerSecond(ONE_GUILD, ms)} events/s`,
      );
    }
    console.log(
      `   (lockdown_relay_sequence_waits_total ${await relay.metrics.sequenceWaits.value()}, _fetched_total ${await relay.metrics.sequenceFetched.value()}, _gaps_total ${await relay.metrics.sequenceGaps.value()})`,
    );
    await relay.stop();
    await redis.del(streamKey);
  } finally {
    await discord.close();
  }
}

redis.disconnect();
await db.$client.end();
