// Helpers for the Worker's tests inside workerd: signed interactions built the way Discord builds
// them, a fresh guild in the Discord stand-in for every test, and readers for what the action left
// in Postgres, the Redis stream, pub/sub and at Discord.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { Redis } from '@upstash/redis/cloudflare';
import {
  type APIApplicationCommandInteractionDataOption,
  type APIAuditLogEntry,
  type APIChatInputApplicationCommandGuildInteraction,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { createEdgeDatabase } from '../../db/edge.ts';
import { cases, outbox, pendingActions } from '../../db/schema.ts';
import type { FaultSpec, GuildSeed, GuildSnapshot, RecordedRequest } from '../../dev/discord/server.ts';
import {
  buildCommandInteraction,
  importSigningKey,
  randomSnowflake,
  signatureHeaders,
} from '../../dev/interactions.ts';
import type { Env } from '../../functions/env.ts';
import worker from '../../functions/index.ts';
import {
  decodeEvent,
  EVENT_STREAM_FIELD,
  EVENT_STREAM_KEY,
  type LockdownEvent,
} from '../../shared/events.ts';
import type { EdgeTestConfig } from './services.ts';

export const testConfig = (): EdgeTestConfig =>
  JSON.parse((env as unknown as { TEST_CONFIG: string }).TEST_CONFIG);
export const workerEnv = (): Env => env as unknown as Env;

/** A unique snowflake-looking id: tests share one stand-in, one database and one stream. */
export const snowflake = randomSnowflake;

export const ALL_MOD_PERMISSIONS =
  PermissionFlagsBits.BanMembers |
  PermissionFlagsBits.KickMembers |
  PermissionFlagsBits.ModerateMembers |
  PermissionFlagsBits.ManageGuild |
  PermissionFlagsBits.ManageWebhooks;

export interface TestGuild {
  guildId: string;
  ownerId: string;
  moderatorId: string;
  targetId: string;
  /** A member whose role is above the moderator's. */
  seniorId: string;
  /** A user Discord knows who is not in the guild. */
  outsiderId: string;
  /** A member whose DMs are closed. */
  closedDmsId: string;
  channelId: string;
  roles: { mod: string; senior: string; member: string; bot: string };
}

/** Seeds a fresh guild in the Discord stand-in: owner, moderator, members of several ranks, the bot. */
/** Fresh ids for a test guild's people, channel and roles (a file's own seed adds what it needs). */
export function testGuildIds(): TestGuild {
  return {
    guildId: snowflake(),
    ownerId: snowflake(),
    moderatorId: snowflake(),
    targetId: snowflake(),
    seniorId: snowflake(),
    outsiderId: snowflake(),
    closedDmsId: snowflake(),
    channelId: snowflake(),
    roles: { mod: snowflake(), senior: snowflake(), member: snowflake(), bot: snowflake() },
  };
}

export async function seedGuild(options: { botPermissions?: bigint } = {}): Promise<TestGuild> {
  const g = testGuildIds();
  await putGuild(g.guildId, testGuildSeed(g, options));
  return g;
}

/** The seed of a test guild (re-put it to change what the bot may do: `botPermissions`). */
export function testGuildSeed(g: TestGuild, options: { botPermissions?: bigint } = {}): GuildSeed {
  // A bot as a server would set it up: the moderation permissions and View Audit Log (without it
  // every tick's audit-log sync reports the missing permission in the mod-log).
  const bot = options.botPermissions ?? ALL_MOD_PERMISSIONS | PermissionFlagsBits.ViewAuditLog;
  return {
    name: 'Test Server',
    ownerId: g.ownerId,
    roles: [
      { id: g.roles.member, name: 'member', position: 1, permissions: '0' },
      { id: g.roles.mod, name: 'mod', position: 5, permissions: String(ALL_MOD_PERMISSIONS) },
      { id: g.roles.senior, name: 'senior', position: 7, permissions: String(ALL_MOD_PERMISSIONS) },
      { id: g.roles.bot, name: 'Lockdown', position: 9, permissions: String(bot) },
    ],
    members: [
      { user: seedUser(g.ownerId, 'owner'), roles: [] },
      { user: seedUser(g.moderatorId, 'moderator'), roles: [g.roles.mod] },
      { user: seedUser(g.targetId, 'target'), roles: [g.roles.member] },
      { user: seedUser(g.seniorId, 'senior'), roles: [g.roles.senior] },
      { user: seedUser(g.closedDmsId, 'private'), roles: [g.roles.member] },
    ],
    users: [seedUser(g.outsiderId, 'outsider')],
    channels: [{ id: g.channelId, name: 'mod-logs', type: 0 }],
    botRoleIds: [g.roles.bot],
    closedDms: [g.closedDmsId],
  };
}

/** A seed's user: a name and no display name. */
export const seedUser = (id: string, username: string) => ({ id, username, global_name: null });

/** Replaces what the Discord stand-in knows about a guild with `seed` (its control API). */
export async function putGuild(guildId: string, seed: GuildSeed): Promise<void> {
  const response = await fetch(`${testConfig().discordControlUrl}/guilds/${guildId}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(seed),
  });
  if (!response.ok)
    throw new Error(`seeding guild ${guildId} failed: ${response.status} ${await response.text()}`);
}

type Option = APIApplicationCommandInteractionDataOption;

export interface CommandSpec {
  guild: TestGuild;
  name: string;
  options?: Option[];
  /** Defaults to the guild's moderator with the mod role. */
  invokerId?: string;
  invokerRoles?: string[];
  permissions?: bigint;
  appPermissions?: bigint;
  /** Users to put in `data.resolved`; `roles: null` for a non-member, omitted for a plain member. */
  resolve?: { id: string; roles?: string[] | null }[];
}

export function commandInteraction(spec: CommandSpec): APIChatInputApplicationCommandGuildInteraction {
  const { guild } = spec;
  return buildCommandInteraction({
    ...moderatorBase(guild, spec),
    name: spec.name,
    options: spec.options,
    resolve: (spec.resolve ?? []).map(({ id, roles }) => ({
      id,
      roles: roles === undefined ? [guild.roles.member] : roles,
    })),
  });
}

/** A request signed as Discord signs it: Ed25519 over timestamp + body. */
export async function signedRequest(
  body: string,
  options: { timestamp?: number; key?: CryptoKey } = {},
): Promise<Request> {
  const key = options.key ?? (await importSigningKey(testConfig().signingKeyPkcs8));
  return new Request('http://lockdown.test/interactions', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(await signatureHeaders(key, body, options.timestamp)),
    },
    body,
  });
}

/** Calls the Worker and waits for everything it handed to waitUntil (publishing, deferred edits). */
export async function callWorker(request: Request, overrides: Partial<Env> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, { ...workerEnv(), ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

export interface CommandResult {
  status: number;
  body: {
    type: number;
    data?: { content?: string; flags?: number; embeds?: unknown[]; allowed_mentions?: unknown };
  };
}

export function runCommand(spec: CommandSpec, overrides: Partial<Env> = {}): Promise<CommandResult> {
  return sendInteraction(commandInteraction(spec), overrides);
}

/** Signs and sends any interaction payload (a context menu, a modal submit, a click, autocomplete). */
export async function sendInteraction(
  interaction: unknown,
  overrides: Partial<Env> = {},
): Promise<CommandResult> {
  const response = await callWorker(await signedRequest(JSON.stringify(interaction)), overrides);
  return { status: response.status, body: await response.json() };
}

/** What every interaction a test guild's moderator sends carries (for the dev/interactions.ts builders). */
export function moderatorBase(
  guild: TestGuild,
  spec: { invokerId?: string; invokerRoles?: string[]; permissions?: bigint; appPermissions?: bigint } = {},
) {
  return {
    applicationId: testConfig().bindings.DISCORD_APPLICATION_ID,
    guildId: guild.guildId,
    channelId: guild.channelId,
    invoker: {
      id: spec.invokerId ?? guild.moderatorId,
      username: 'moderator',
      roles: spec.invokerRoles ?? [guild.roles.mod],
      permissions: spec.permissions ?? ALL_MOD_PERMISSIONS,
    },
    appPermissions: spec.appPermissions ?? ALL_MOD_PERMISSIONS,
  };
}

export async function runTick(scheduledTime: Date, overrides: Partial<Env> = {}): Promise<void> {
  const ctx = createExecutionContext();
  const controller = createScheduledController({ cron: '* * * * *', scheduledTime });
  await worker.scheduled(controller, { ...workerEnv(), ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
}

export function testDatabase() {
  const { DATABASE_URL, NEON_HTTP_ENDPOINT } = testConfig().bindings;
  return createEdgeDatabase(DATABASE_URL, { httpEndpoint: NEON_HTTP_ENDPOINT });
}

export function testRedis() {
  const { UPSTASH_REDIS_REST_URL, UPSTASH_REDIS_REST_TOKEN } = testConfig().bindings;
  return new Redis({
    url: UPSTASH_REDIS_REST_URL,
    token: UPSTASH_REDIS_REST_TOKEN,
    automaticDeserialization: false,
    enableTelemetry: false,
  });
}

export async function intentsOf(guildId: string) {
  return testDatabase().select().from(pendingActions).where(eq(pendingActions.guildId, guildId));
}

/** `/ban` of the guild's outsider (a user who is not a member), with a reason. */
export function banOutsider(guild: TestGuild, reason = 'test'): CommandSpec {
  return {
    guild,
    name: 'ban',
    options: [userOption('user', guild.outsiderId), stringOption('reason', reason)],
    resolve: [{ id: guild.outsiderId, roles: null }],
  };
}

export async function casesOf(guildId: string) {
  return testDatabase().select().from(cases).where(eq(cases.guildId, guildId)).orderBy(cases.caseNumber);
}

export async function outboxOf(guildId: string) {
  return testDatabase().select().from(outbox).where(eq(outbox.guildId, guildId)).orderBy(outbox.createdAt);
}

/** The guild's events in the relay's stream, in stream order. */
export async function streamEventsOf(guildId: string): Promise<LockdownEvent[]> {
  // Raw XRANGE reply (automatic deserialisation is off): [[id, [field, value, …]], …]
  const entries = (await testRedis().xrange(EVENT_STREAM_KEY, '-', '+')) as unknown as [string, string[]][];
  const events: LockdownEvent[] = [];
  for (const [, fields] of entries) {
    const index = fields.indexOf(EVENT_STREAM_FIELD);
    const decoded = decodeEvent(String(fields[index + 1]));
    if (index >= 0 && decoded.ok && decoded.event.data.guildId === guildId) events.push(decoded.event);
  }
  return events;
}

/** What the real pub/sub subscriber heard that mentions `text` (a guild id, say). */
export async function heardOnPubSub(text: string): Promise<{ channel: string; message: string }[]> {
  const response = await fetch(`${testConfig().pubsubUrl}/?contains=${encodeURIComponent(text)}`);
  return response.json();
}

export async function discordRequests(contains: string): Promise<RecordedRequest[]> {
  const response = await fetch(
    `${testConfig().discordControlUrl}/requests?contains=${encodeURIComponent(contains)}`,
  );
  return response.json();
}

export async function discordGuildState(guildId: string): Promise<GuildSnapshot> {
  const response = await fetch(`${testConfig().discordControlUrl}/guilds/${guildId}`);
  return response.json();
}

export async function injectDiscordFault(fault: FaultSpec): Promise<void> {
  const response = await fetch(`${testConfig().discordControlUrl}/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (!response.ok) throw new Error(`could not inject the fault: ${response.status}`);
}

/**
 * What a moderator or AutoMod does in Discord's own UI: entries written into the stand-in's audit
 * log through its control route (one, or several for a bulk action); the entries written.
 */
export async function inDiscordUi(
  guildId: string,
  body: Record<string, unknown>,
): Promise<APIAuditLogEntry[]> {
  const response = await fetch(`${testConfig().discordControlUrl}/guilds/${guildId}/audit-log`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`UI action failed: ${response.status} ${await response.text()}`);
  const written = (await response.json()) as APIAuditLogEntry | { entries: APIAuditLogEntry[] };
  return 'entries' in written ? written.entries : [written];
}

/** Makes the next `count` database requests whose SQL and parameters match `match` fail as an outage. */
export async function injectDatabaseFault(match: string, count = 1): Promise<void> {
  await fetch(testConfig().neonFaultsUrl, { method: 'POST', body: JSON.stringify({ match, count }) });
}

export const appId = () => testConfig().bindings.DISCORD_APPLICATION_ID;

/** Discord REST as the bot (the stand-in), for setting up state a test needs. */
export async function asBot(method: string, path: string, body?: unknown): Promise<Response> {
  const { DISCORD_API_BASE, DISCORD_BOT_TOKEN } = testConfig().bindings;
  return fetch(`${DISCORD_API_BASE}${path}`, {
    method,
    headers: {
      authorization: `Bot ${DISCORD_BOT_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** An address where nothing listens: Redis or the database "down". */
export const UNREACHABLE = 'http://127.0.0.1:9';

export const userOption = (name: string, id: string): Option => ({ name, type: 6, value: id });
export const stringOption = (name: string, value: string): Option => ({ name, type: 3, value });
export const integerOption = (name: string, value: number): Option => ({ name, type: 4, value });
export const booleanOption = (name: string, value: boolean): Option => ({ name, type: 5, value });
export const channelOption = (name: string, id: string): Option => ({ name, type: 7, value: id });
export const subcommand = (name: string, options: Option[] = []): Option =>
  ({ name, type: 1, options }) as Option;

/** Waits until `count` requests matching the method and path have reached the Discord stand-in. */
export async function discordRequestsArrived(method: string, path: string, count: number): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    const seen = (await discordRequests(path)).filter((r) => r.method === method);
    if (seen.length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${count} ${method} ${path} never arrived`);
}
