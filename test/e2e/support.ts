// What the end-to-end tests share: the whole stack started by the code `npm run dev` runs
// (scripts/dev.ts) on free ports, with a throwaway embedded Postgres, a private redis-server and a
// private wrangler state folder, so it collides with neither a running `npm run dev` nor the other
// test projects; signed interactions sent straight to the Worker's /interactions as Discord sends
// them; readers for the Discord stand-in; and polling with deadlines.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  APIApplicationCommandInteractionDataBasicOption,
  APIApplicationCommandInteractionDataOption,
  APIEmbed,
} from 'discord-api-types/v10';
import { Redis } from 'ioredis';
import type { GuildSnapshot, RecordedRequest, SandboxMessage } from '../../dev/discord/server.ts';
import { buildCommandInteraction, importSigningKey, signatureHeaders } from '../../dev/interactions.ts';
import type { SandboxGuild } from '../../dev/sandbox/seed.ts';
import { type DevStack, startDev } from '../../scripts/dev.ts';
import { eventTypes } from '../../shared/events.ts';

export interface E2eStack {
  dev: DevStack;
  guild: SandboxGuild;
  /** Everything the stack printed, prefixed by source; shown when a test fails. */
  logs: string[];
  stop(): Promise<void>;
}

/** The variables `npm run dev` reads: left out, so the embedded defaults are used. */
const REAL_VARIABLES = [
  'DATABASE_URL',
  'REDIS_URL',
  'DISCORD_API_BASE',
  'DISCORD_PUBLIC_KEY',
  'DISCORD_APPLICATION_ID',
  'DISCORD_BOT_TOKEN',
];

export async function startE2eStack(): Promise<E2eStack> {
  const logs: string[] = [];
  const persistTo = mkdtempSync(join(tmpdir(), 'lockdown-e2e-wrangler-'));
  const env = { ...process.env };
  for (const name of REAL_VARIABLES) delete env[name];
  const dev = await startDev({
    env,
    ports: { worker: 0, discord: 0, neon: 0, upstash: 0, relay: 0, inspector: 0 },
    pgliteDir: 'memory://',
    redis: 'private',
    wranglerPersistTo: persistTo,
    cronEveryMinute: false,
    // Quick to notice new entries; the defaults are tuned for production.
    relayEnv: { RELAY_BLOCK_MS: '250', RELAY_CLAIM_IDLE_MS: '5000', RELAY_RETRY_BASE_MS: '100' },
    log: (source, line) => {
      logs.push(`[${source}] ${line}`);
      if (logs.length > 2_000) logs.splice(0, logs.length - 2_000);
    },
    onUnexpectedExit: (name, code, signal) =>
      logs.push(`[e2e] ${name} exited on its own (${signal ?? code})`),
  }).catch((error: Error) => {
    rmSync(persistTo, { recursive: true, force: true });
    throw new Error(`${error.message}\n--- stack output ---\n${logs.slice(-80).join('\n')}`);
  });
  if (!dev.guild) throw new Error('the Discord stand-in did not start');
  return {
    dev,
    guild: dev.guild,
    logs,
    async stop() {
      await dev.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns something truthy; fails with `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T> | T,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

async function control<T>(stack: E2eStack, path: string): Promise<T> {
  const response = await fetch(`${stack.dev.discordControlUrl}${path}`);
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export const guildState = (stack: E2eStack) =>
  control<GuildSnapshot>(stack, `/guilds/${stack.guild.guildId}`);
export const modlogMessages = (stack: E2eStack) =>
  control<SandboxMessage[]>(stack, `/channels/${stack.guild.channels.modLogs}/messages`);
export const modlogEmbeds = async (stack: E2eStack): Promise<APIEmbed[]> =>
  (await modlogMessages(stack)).flatMap((m) => m.embeds);
export const discordRequests = (stack: E2eStack, contains: string) =>
  control<RecordedRequest[]>(stack, `/requests?contains=${encodeURIComponent(contains)}`);

/** The user ids an embed's fields name (as `<@id>`). */
export const mentionedIn = (embed: APIEmbed) =>
  (embed.fields ?? []).flatMap((f) => [...f.value.matchAll(/<@(\d+)>/g)].map((m) => m[1]));

type Option = APIApplicationCommandInteractionDataOption;
type BasicOption = APIApplicationCommandInteractionDataBasicOption;
export const user = (name: string, id: string): BasicOption => ({ name, type: 6, value: id });
export const text = (name: string, value: string): BasicOption => ({ name, type: 3, value });
export const channel = (name: string, id: string): BasicOption => ({ name, type: 7, value: id });
export const subcommand = (name: string, options: BasicOption[]): Option => ({ name, type: 1, options });

export interface WorkerAnswer {
  status: number;
  body: { type: number; data?: { content?: string; flags?: number } };
  token: string;
}

/**
 * A slash command as Discord sends it: built by dev/interactions.ts from the guild as the stand-in
 * has it (the invoker's roles and permissions, resolved users and members), signed with the local
 * key, POSTed to the Worker's /interactions.
 */
export async function sendCommand(
  stack: E2eStack,
  name: string,
  options: Option[],
  invokerId = stack.guild.users.moderator,
): Promise<WorkerAnswer> {
  const guild = await guildState(stack);
  const rolesOf = (id: string) => guild.members.find((m) => m.user?.id === id)?.roles ?? null;
  const permissionsOf = (id: string) => {
    let bits = BigInt(guild.roles.find((r) => r.id === guild.id)?.permissions ?? '0');
    for (const roleId of rolesOf(id) ?? [])
      bits |= BigInt(guild.roles.find((r) => r.id === roleId)?.permissions ?? '0');
    return bits;
  };
  const userIds = options
    .flatMap((o) => ('options' in o && o.options ? o.options : [o]))
    .filter((o) => o.type === 6)
    .map((o) => String((o as { value: string }).value));
  const invoker = guild.members.find((m) => m.user?.id === invokerId);
  const interaction = buildCommandInteraction({
    applicationId: stack.dev.applicationId,
    guildId: guild.id,
    channelId: stack.guild.channels.general,
    name,
    options,
    invoker: {
      id: invokerId,
      username: invoker?.user?.username ?? 'someone',
      roles: rolesOf(invokerId) ?? [],
      permissions: permissionsOf(invokerId),
    },
    appPermissions: permissionsOf(stack.dev.applicationId),
    resolve: userIds.map((id) => ({
      id,
      username: guild.members.find((m) => m.user?.id === id)?.user?.username,
      roles: rolesOf(id),
    })),
  });
  const body = JSON.stringify(interaction);
  const key = await importSigningKey(stack.dev.signingKeyPkcs8 as string);
  const response = await fetch(stack.dev.interactionsUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await signatureHeaders(key, body)) },
    body,
  });
  return { status: response.status, body: await response.json(), token: interaction.token };
}

/** A real Redis subscriber on every event channel, as `redis-cli SUBSCRIBE ban:created` would be. */
export async function subscribeToEvents(redisUrl: string) {
  const subscriber = new Redis(redisUrl, { lazyConnect: true });
  subscriber.on('error', () => {});
  const heard: { channel: string; event: { eventType: string; data: Record<string, unknown> } }[] = [];
  subscriber.on('message', (channelName: string, message: string) => {
    try {
      heard.push({ channel: channelName, event: JSON.parse(message) });
    } catch {}
  });
  await subscriber.connect();
  await subscriber.subscribe(...eventTypes);
  return {
    heard,
    close: () => subscriber.quit().catch(() => subscriber.disconnect()),
  };
}

/** The relay's own view: nothing read but unacknowledged, nothing unread, nothing in flight. */
export async function relayIdle(stack: E2eStack): Promise<boolean> {
  const response = await fetch(`${stack.dev.relayUrl}/stats`);
  if (!response.ok) return false;
  const stats = (await response.json()) as { pending: number; lag: number | null; inFlight: number };
  return stats.pending === 0 && (stats.lag ?? 0) === 0 && stats.inFlight === 0;
}
