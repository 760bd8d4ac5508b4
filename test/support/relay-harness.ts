// What the relay's integration tests share: one Discord stand-in, Postgres and Redis per test file
// (relayWorldForFile); per test, its own snowflakes, guild, webhook and private stream key, so test
// files run in parallel against the same Redis and database without seeing each other; and what the
// relay posted. The events fed to it: relay-events.ts.
import { randomUUID } from 'node:crypto';
import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect } from 'vitest';
import { migrateDatabase } from '../../db/migrate.ts';
import { createNodeDatabase, type NodeDatabase } from '../../db/node.ts';
import { cases, guilds } from '../../db/schema.ts';
import {
  type DiscordStandIn,
  type RecordedRequest,
  type SandboxMessage,
  startDiscordStandIn,
} from '../../dev/discord/server.ts';
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

/**
 * The world of one test file: started before its first test, closed after its last. Its fields are
 * read when a test runs (reading one outside a test, before `beforeAll`, throws).
 */
export function relayWorldForFile(options: { rateLimits?: boolean } = {}): RelayWorld {
  let started: RelayWorld | undefined;
  beforeAll(async () => {
    started = await startRelayWorld(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  const world = (): RelayWorld => {
    if (!started) throw new Error('the relay world is started in beforeAll: read it inside a test');
    return started;
  };
  return {
    get discord() {
      return world().discord;
    },
    get db() {
      return world().db;
    },
    get redis() {
      return world().redis;
    },
    get relays() {
      return world().relays;
    },
    close: () => world().close(),
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

/**
 * A guild whose mod-log webhook the bot made, as `/modlog set channel:` does: Create Webhook with the
 * bot token (Manage Webhooks), so Discord (the stand-in) gives it the application's id, and the relay
 * puts the case buttons under its lines.
 */
export async function ownedGuild(world: RelayWorld): Promise<TestGuild> {
  const guild = await setupGuild(world, { modlog: false });
  const permissions =
    PermissionFlagsBits.ViewChannel |
    PermissionFlagsBits.ReadMessageHistory |
    PermissionFlagsBits.ManageWebhooks;
  await control(world, 'PUT', `/guilds/${guild.guildId}`, {
    ownerId: snowflake(),
    roles: [
      { id: guild.guildId, position: 0, permissions: '0' },
      { id: guild.botRoleId, position: 1, permissions: String(permissions) },
    ],
    botRoleIds: [guild.botRoleId],
    members: [{ user: { id: guild.moderatorId, username: 'mod' }, roles: [] }],
    channels: [{ id: guild.channelId, name: 'mod-logs' }],
  });
  const response = await fetch(`${world.discord.apiBase}/channels/${guild.channelId}/webhooks`, {
    method: 'POST',
    headers: { authorization: `Bot ${TEST_BOT_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Lockdown mod-log' }),
  });
  expect(response.status).toBe(200);
  const made = (await response.json()) as { id: string; token: string; application_id: string | null };
  expect(made.application_id).not.toBeNull();
  await setModlogRow(world, guild, { id: made.id, token: made.token });
  await world.db.update(guilds).set({ modlogWebhookOwned: true }).where(eq(guilds.guildId, guild.guildId));
  return guild;
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

/** Waits until the case is recorded as shown in a message; returns that message's id. */
export function caseMessageId(world: RelayWorld, caseId: string): Promise<string> {
  return waitFor(async () => {
    const [row] = await world.db.select().from(cases).where(eq(cases.id, caseId));
    return row?.modlogMessageId ?? null;
  });
}

/** The message, once it was edited. */
export function editedMessage(
  world: RelayWorld,
  guild: TestGuild,
  messageId: string,
): Promise<SandboxMessage> {
  return waitFor(async () => {
    const found = (await messages(world, guild.channelId)).find((m) => m.id === messageId);
    return found?.edited_timestamp ? found : null;
  });
}

/** The value of an embed's field by its name. */
export const embedField = (embed: { fields?: { name: string; value: string }[] } | undefined, name: string) =>
  embed?.fields?.find((f) => f.name === name)?.value;

/** The custom_id of every component in a message's rows, in order (null for one without). */
export const componentCustomIds = (rows: readonly unknown[] | undefined) =>
  ((rows ?? []) as APIActionRowComponent<APIComponentInMessageActionRow>[]).flatMap((row) =>
    row.components.map((c) => ('custom_id' in c ? c.custom_id : null)),
  );

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
