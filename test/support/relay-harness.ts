// What the relay's integration tests share: one Discord stand-in, Postgres and Redis per test file;
// per test, its own snowflakes, guild, webhook and private stream key, so test files run in parallel
// against the same Redis and database without seeing each other.
import { randomUUID } from 'node:crypto';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { Redis } from 'ioredis';
import { migrateDatabase } from '../../db/migrate.ts';
import { createNodeDatabase, type NodeDatabase } from '../../db/node.ts';
import { cases, guilds } from '../../db/schema.ts';
import {
  type DiscordStandIn,
  type RecordedRequest,
  type SandboxMessage,
  startDiscordStandIn,
} from '../../dev/discord/server.ts';
import { writeOutboxRows } from '../../dev/outbox-rows.ts';
import { eventActions } from '../../shared/actions.ts';
import {
  type AuditEventData,
  type CaseEventData,
  type CaseEventType,
  EVENT_STREAM_FIELD,
  encodeEvent,
  type LockdownEvent,
} from '../../shared/events.ts';
import { createRedis } from '../../worker/clients.ts';
import { RateLimiter } from '../../worker/discord/rate-limits.ts';
import { WebhookClient } from '../../worker/discord/webhook-client.ts';
import type { LogFields, Logger, LogLevel } from '../../worker/observability/log.ts';
import { Relay, type RelayOptions } from '../../worker/relay.ts';
import { TEST_APPLICATION_ID, TEST_BOT_TOKEN, TEST_DATABASE_URL, TEST_REDIS_URL } from './services.ts';

let sequence = 0n;
/** A snowflake no other test (or test file) uses. */
export function snowflake(): string {
  const time = BigInt(Date.now()) - 1_420_070_400_000n;
  sequence = (sequence + 1n) & 0xfffn;
  return ((time << 22n) | (BigInt(Math.floor(Math.random() * 1024)) << 12n) | sequence).toString();
}

/** Polls `check` until it returns a truthy value, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  { timeoutMs = 15_000, intervalMs = 25, what = 'condition' } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface RelayWorld {
  discord: DiscordStandIn;
  db: NodeDatabase;
  redis: Redis;
  relays: Relay[];
  close(): Promise<void>;
}

/** Per test file: the stand-in (rate limits on unless told), Postgres (migrated) and a Redis client. */
export async function startRelayWorld(options: { rateLimits?: boolean } = {}): Promise<RelayWorld> {
  await migrateDatabase(TEST_DATABASE_URL);
  const discord = await startDiscordStandIn({
    botToken: TEST_BOT_TOKEN,
    applicationId: TEST_APPLICATION_ID,
    rateLimits: options.rateLimits ?? true,
  });
  const db = createNodeDatabase(TEST_DATABASE_URL, 10);
  const redis = createRedis(TEST_REDIS_URL, 'relay-tests');
  const relays: Relay[] = [];
  return {
    discord,
    db,
    redis,
    relays,
    async close() {
      for (const relay of relays) relay.kill();
      await discord.close();
      redis.disconnect();
      await db.$client.end();
    },
  };
}

/** One guild with a #mod-logs channel and a webhook in it, registered as the guild's mod-log. */
export interface TestGuild {
  guildId: string;
  channelId: string;
  moderatorId: string;
  webhook: { id: string; token: string };
  streamKey: string;
  /** The bot's role (its channel overwrites decide what the relay may read in #mod-logs). */
  botRoleId: string;
}

export async function control(
  world: RelayWorld,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${world.discord.controlUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

export async function createWebhook(
  world: RelayWorld,
  channelId: string,
): Promise<{ id: string; token: string }> {
  const webhook = (await control(world, 'POST', `/channels/${channelId}/webhooks`, { name: 'Lockdown' })) as {
    id: string;
    token: string;
  };
  return { id: webhook.id, token: webhook.token };
}

export async function setupGuild(
  world: RelayWorld,
  options: {
    modlog?: boolean;
    /** Permissions denied to the bot's role in #mod-logs (a channel overwrite). */
    botChannelDeny?: bigint;
  } = {},
): Promise<TestGuild> {
  const guildId = snowflake();
  const ownerId = snowflake();
  const moderatorId = snowflake();
  const channelId = snowflake();
  const botRoleId = snowflake();
  await control(world, 'PUT', `/guilds/${guildId}`, {
    ownerId,
    // The relay reads the mod-log channel (View Channel, Read Message History) to find earlier posts.
    roles: [
      { id: guildId, position: 0, permissions: '0' },
      {
        id: botRoleId,
        position: 1,
        permissions: String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory),
      },
    ],
    botRoleIds: [botRoleId],
    members: [
      { user: { id: ownerId, username: 'owner' }, roles: [] },
      { user: { id: moderatorId, username: 'mod' }, roles: [] },
    ],
    channels: [
      {
        id: channelId,
        name: 'mod-logs',
        permission_overwrites: options.botChannelDeny
          ? [{ id: botRoleId, type: 0, allow: '0', deny: String(options.botChannelDeny) }]
          : [],
      },
    ],
  });
  const webhook = await createWebhook(world, channelId);
  const guild: TestGuild = {
    guildId,
    channelId,
    moderatorId,
    webhook,
    streamKey: `test:relay:${randomUUID()}`,
    botRoleId,
  };
  if (options.modlog ?? true) await setModlogRow(world, guild, webhook);
  else await world.db.insert(guilds).values({ guildId }).onConflictDoNothing();
  return guild;
}

/** What `/modlog set` writes (without the audit event; see {@link modlogSetEvent}). */
export async function setModlogRow(
  world: RelayWorld,
  guild: TestGuild,
  webhook: { id: string; token: string },
) {
  await world.db
    .insert(guilds)
    .values({
      guildId: guild.guildId,
      modlogChannelId: guild.channelId,
      modlogWebhookId: webhook.id,
      modlogWebhookToken: webhook.token,
    })
    .onConflictDoUpdate({
      target: guilds.guildId,
      set: {
        modlogChannelId: guild.channelId,
        modlogWebhookId: webhook.id,
        modlogWebhookToken: webhook.token,
        modlogBrokenAt: null,
        modlogBrokenReason: null,
        updatedAt: new Date(),
      },
    });
  guild.webhook = webhook;
}

export function caseEvent(
  guild: TestGuild,
  eventType: CaseEventType,
  data: Partial<CaseEventData> = {},
): Extract<LockdownEvent, { data: CaseEventData }> {
  return {
    eventId: randomUUID(),
    eventType,
    timestamp: new Date().toISOString(),
    data: {
      id: randomUUID(),
      caseNumber: 1,
      guildId: guild.guildId,
      userId: snowflake(),
      moderatorId: guild.moderatorId,
      reason: 'breaking rule 1',
      expiresAt: null,
      ...data,
    },
  };
}

export function auditEvent(
  guild: TestGuild,
  data: Partial<AuditEventData> & Pick<AuditEventData, 'action'>,
): LockdownEvent {
  return {
    eventId: randomUUID(),
    eventType: 'audit:logged',
    timestamp: new Date().toISOString(),
    data: {
      id: null,
      caseNumber: null,
      guildId: guild.guildId,
      userId: null,
      moderatorId: guild.moderatorId,
      reason: null,
      expiresAt: null,
      ...data,
    },
  };
}

/** XADD + PUBLISH in one MULTI, as the edge does; returns the entry id. */
export async function publish(
  world: RelayWorld,
  streamKey: string,
  event: LockdownEvent | string,
): Promise<string> {
  const json = typeof event === 'string' ? event : encodeEvent(event);
  const result = await world.redis
    .multi()
    .xadd(streamKey, '*', EVENT_STREAM_FIELD, json)
    .publish(typeof event === 'string' ? 'test:garbage' : event.eventType, json)
    .exec();
  return result?.[0]?.[1] as string;
}

/** Many events at once (one pipeline), in order. */
export async function publishAll(
  world: RelayWorld,
  streamKey: string,
  events: LockdownEvent[],
): Promise<string[]> {
  const pipeline = world.redis.pipeline();
  for (const event of events) pipeline.xadd(streamKey, '*', EVENT_STREAM_FIELD, encodeEvent(event));
  const results = (await pipeline.exec()) ?? [];
  return results.map((r) => r[1] as string);
}

/** A relay on the guild's private stream, with test-friendly timings; killed when the world closes. */
export function startRelay(
  world: RelayWorld,
  streamKey: string,
  options: Partial<RelayOptions> & { apiBase?: string } = {},
): Relay {
  const discord =
    options.discord ??
    new WebhookClient({
      apiBase: options.apiBase ?? world.discord.apiBase,
      botToken: TEST_BOT_TOKEN,
      timeoutMs: 5_000,
      limiter: new RateLimiter({ marginMs: 5 }),
    });
  const relay = new Relay({
    redis: world.redis,
    db: world.db,
    streamKey,
    group: 'relay',
    consumer: `test-${randomUUID().slice(0, 8)}`,
    blockMs: 200,
    claimIdleMs: 2_000,
    retryBaseMs: 20,
    retryMaxMs: 200,
    maxAttempts: 4,
    shutdownTimeoutMs: 10_000,
    ...options,
    discord,
  });
  world.relays.push(relay);
  return relay;
}

export async function messages(world: RelayWorld, channelId: string): Promise<SandboxMessage[]> {
  return (await control(world, 'GET', `/channels/${channelId}/messages`)) as SandboxMessage[];
}

/** All embeds posted in the channel, in order. */
export async function postedEmbeds(world: RelayWorld, channelId: string) {
  return (await messages(world, channelId)).flatMap((m) => m.embeds);
}

export async function requests(world: RelayWorld, contains: string): Promise<RecordedRequest[]> {
  return (await control(
    world,
    'GET',
    `/requests?contains=${encodeURIComponent(contains)}`,
  )) as RecordedRequest[];
}

export async function pendingCount(world: RelayWorld, streamKey: string, group = 'relay'): Promise<number> {
  const summary = (await world.redis.xpending(streamKey, group)) as [number, ...unknown[]];
  return Number(summary[0]);
}

export async function insertCase(world: RelayWorld, event: Extract<LockdownEvent, { data: CaseEventData }>) {
  await world.db.insert(cases).values({
    id: event.data.id,
    guildId: event.data.guildId,
    caseNumber: event.data.caseNumber,
    action: eventActions[event.eventType],
    userId: event.data.userId,
    moderatorId: event.data.moderatorId,
    reason: event.data.reason,
    createdAt: new Date(event.timestamp),
    expiresAt: event.data.expiresAt ? new Date(event.data.expiresAt) : null,
  });
}

export async function deleteStream(world: RelayWorld, streamKey: string) {
  await world.redis.del(streamKey);
}

/** A guild's warnings numbered `from`, `from + 1`…, as the edge numbers them (envelope `sequence`). */
export function numberedWarnings(guild: TestGuild, from: number, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    // Each its own reason: identical warnings in a row would fold into one digest line each.
    ...caseEvent(guild, 'warning:added', { caseNumber: from + i, reason: `warning ${from + i}` }),
    sequence: from + i,
  }));
}

/** Writes events' outbox rows as the edge does (`published`: whether their XADD went through). */
export function writeOutbox(world: RelayWorld, events: LockdownEvent[], published: boolean) {
  return writeOutboxRows(world.db, events, published);
}

/** A logger that keeps every line (level, message, fields), for tests that assert what was logged. */
export function recordingLogger(): Logger & { lines: { level: LogLevel; msg: string; fields: LogFields }[] } {
  const lines: { level: LogLevel; msg: string; fields: LogFields }[] = [];
  const at =
    (level: LogLevel) =>
    (msg: string, fields: LogFields = {}) => {
      lines.push({ level, msg, fields });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
