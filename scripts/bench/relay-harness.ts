// What every part of `npm run bench:relay` shares, so that each section measures the same way: guilds
// seeded at the Discord stand-in and in Postgres, warning events, a relay run timed off the
// delivered counter with latencies read from the stand-in's own request log, and the naive poster
// that serves as the yardstick. The sections get their clients through a BenchContext, not globals.
import { randomUUID } from 'node:crypto';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { Redis } from 'ioredis';
import type { NodeDatabase } from '../../db/node.ts';
import { guilds } from '../../db/schema.ts';
import { type DiscordStandIn, type RecordedRequest, startDiscordStandIn } from '../../dev/discord/server.ts';
import { EVENT_STREAM_FIELD, encodeEvent, type LockdownEvent } from '../../shared/events.ts';
import { RateLimiter } from '../../worker/discord/rate-limits.ts';
import { WebhookClient } from '../../worker/discord/webhook-client.ts';
import { Relay, type RelayOptions } from '../../worker/relay.ts';
import { percentile } from './measure.ts';

export const RUN_TIMEOUT_MS = 10 * 60_000;

export interface BenchOptions {
  steady: number;
  rate: number;
  burst: number;
  drain: number;
  baselineCapMs: number;
  guilds: number;
  oneGuild: number;
  skipLimits: boolean;
}

export interface BenchMode {
  name: string;
  batching: boolean;
}

export interface BenchContext {
  db: NodeDatabase;
  redis: Redis;
  databaseUrl: string;
  redisUrl: string;
  /** The stand-in's bot: what it accepts, and what a spawned relay process presents. */
  standIn: { botToken: string; applicationId: string };
  options: BenchOptions;
  /** Batching on, and (unless --skip-unbatched) off. */
  modes: BenchMode[];
}

/** A fresh Discord stand-in for one section, with Discord's webhook limits or none. */
export const startStandIn = (ctx: BenchContext, rateLimits: boolean) =>
  startDiscordStandIn({ ...ctx.standIn, rateLimits });

let sequence = 0n;
export const snowflake = () => {
  sequence = (sequence + 1n) & 0xfffn;
  const time = BigInt(Date.now()) - 1_420_070_400_000n;
  return ((time << 22n) | (BigInt(Math.floor(Math.random() * 1024)) << 12n) | sequence).toString();
};
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Guild {
  guildId: string;
  channelId: string;
  moderatorId: string;
  webhook: { id: string; token: string };
}

export async function makeGuilds(
  ctx: BenchContext,
  discord: DiscordStandIn,
  count: number,
): Promise<Guild[]> {
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
    await ctx.db.insert(guilds).values({
      guildId,
      modlogChannelId: channelId,
      modlogWebhookId: webhook.id,
      modlogWebhookToken: webhook.token,
    });
    made.push({ guildId, channelId, moderatorId, webhook: { id: webhook.id, token: webhook.token } });
  }
  return made;
}

export function warning(guild: Guild, n: number): LockdownEvent {
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

/** XADDs `events` to `streamKey` in one pipeline. */
export async function xaddAll(ctx: BenchContext, streamKey: string, events: LockdownEvent[]) {
  const pipeline = ctx.redis.pipeline();
  for (const event of events) pipeline.xadd(streamKey, '*', EVENT_STREAM_FIELD, encodeEvent(event));
  return (await pipeline.exec()) ?? [];
}

/** A relay with the production defaults (batching on, digests, bot token set) and no 50 req/s pacer. */
export const defaultRelay = (
  ctx: BenchContext,
  discord: DiscordStandIn,
  streamKey: string,
  consumer: string,
  overrides: Partial<RelayOptions> = {},
) =>
  new Relay({
    redis: ctx.redis,
    db: ctx.db,
    discord: new WebhookClient({
      apiBase: discord.apiBase,
      botToken: ctx.standIn.botToken,
      limiter: new RateLimiter({ globalPerSecond: Number.POSITIVE_INFINITY, marginMs: 20 }),
    }),
    streamKey,
    consumer,
    blockMs: 1_000,
    maxInFlight: 20_000,
    readCount: 500,
    ...overrides,
  });

/** The embed titles posted to a channel, oldest first (from the stand-in's message store). */
export async function postedTitles(discord: DiscordStandIn, channelId: string): Promise<string[]> {
  const list = (await (await fetch(`${discord.controlUrl}/channels/${channelId}/messages`)).json()) as {
    embeds: { title?: string }[];
  }[];
  return list.flatMap((m) => m.embeds.map((e) => e.title ?? ''));
}

export interface RunResult {
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
export async function run(
  ctx: BenchContext,
  options: {
    discord: DiscordStandIn;
    events: LockdownEvent[];
    batching: boolean;
    rate?: number;
    capMs?: number;
  },
): Promise<RunResult> {
  const streamKey = `bench:relay:${randomUUID()}`;
  const relay = new Relay({
    redis: ctx.redis,
    db: ctx.db,
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
    const ids = await xaddAll(ctx, streamKey, chunk);
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
  await ctx.redis.del(streamKey);
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

export const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
export const latencyLine = (r: RunResult) =>
  `p50 ${fmt(percentile(r.latencies, 50))} ms, p99 ${fmt(percentile(r.latencies, 99))} ms, max ${fmt(r.latencies.at(-1) ?? Number.NaN)} ms`;
export const eventsPerSecond = (n: number, ms: number) => fmt(n / (ms / 1000));
