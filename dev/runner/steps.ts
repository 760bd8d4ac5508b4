// The steps startDev (scripts/dev.ts) runs, in order, each a function of its own that pushes how to
// undo what it started onto the one CleanupStack in Setup: check the fixed ports, Redis, Postgres,
// choose ports, the stand-ins (migrating the database), seed the sandbox, supervise the children,
// the Worker, the relay, the cron.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { PageHandler } from '../discord/server.ts';
import { startEmbeddedPostgres } from '../embedded-postgres/server.ts';
import { type LocalBindings, type LocalStack, startLocalStack } from '../local-stack.ts';
import { freePort } from '../net.ts';
import { startPrivateRedis } from '../private-redis.ts';
import { type SandboxGuild, sandboxGuild, sandboxGuildSeed, sandboxOutsiders } from '../sandbox/seed.ts';
import { createSandboxPages } from '../sandbox/server.ts';
import { hasCommand, isPortOpen } from '../services.ts';
import { answersOk, ChildProcesses, waitUntil } from './children.ts';
import type { CleanupStack } from './cleanup-stack.ts';
import {
  DEFAULT_PORTS,
  type DevOptions,
  DevSetupError,
  type DevStack,
  MODLOG_WEBHOOK_NAME,
  PASSED_THROUGH,
  REDIS_MISSING,
} from './options.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The mod-log webhook an earlier run stored for the sandbox guild, to re-create it in the fresh stand-in. */
async function storedModlogWebhook(databaseUrl: string, guild: SandboxGuild) {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ id: string | null; token: string | null; channel: string | null }>(
      'select modlog_webhook_id as id, modlog_webhook_token as token, modlog_channel_id as channel from guilds where guild_id = $1',
      [guild.guildId],
    );
    const row = rows[0];
    const channels = Object.values(guild.channels);
    if (!row?.id || !row.token || !row.channel || !channels.includes(row.channel)) return [];
    return [{ id: row.id, token: row.token, channel_id: row.channel, name: MODLOG_WEBHOOK_NAME }];
  } catch {
    return [];
  } finally {
    await client.end().catch(() => {});
  }
}

/** What every step reads: the options, the environment, the logger and the one cleanup stack. */
export interface Setup {
  options: DevOptions;
  env: Record<string, string | undefined>;
  log: (source: string, line: string) => void;
  say: (line: string) => void;
  cleanups: CleanupStack;
}

type Ports = typeof DEFAULT_PORTS;

const PORT_OWNERS: Record<keyof Ports, string> = {
  worker: 'the Worker',
  discord: 'the Discord stand-in and sandbox',
  neon: 'the Neon stand-in',
  upstash: 'the Upstash stand-in',
  relay: 'the relay',
};

const wantedPort = (setup: Setup, name: keyof Ports) => setup.options.ports?.[name] ?? DEFAULT_PORTS[name];

/** The fixed ports first: a second `npm run dev` should say so, not fail half-way. */
export async function checkPortsFree(setup: Setup): Promise<void> {
  for (const [name, what] of Object.entries(PORT_OWNERS) as [keyof Ports, string][]) {
    const wanted = wantedPort(setup, name);
    if (name === 'discord' && setup.env.DISCORD_API_BASE?.trim()) continue;
    if (wanted !== 0 && (await isPortOpen(wanted))) {
      throw new DevSetupError(
        `Port ${wanted} (${what}) is already in use. Is another \`npm run dev\` running? Stop it first.`,
      );
    }
  }
}

/** Redis first, the one prerequisite that can be missing: REDIS_URL, else 6379, else a private redis-server. */
export async function startRedis(setup: Setup): Promise<{ url: string; kind: DevStack['redis'] }> {
  const configured = setup.env.REDIS_URL?.trim();
  if (configured) return { url: configured, kind: 'external' };
  const mode = setup.options.redis ?? 'auto';
  if (mode === 'auto' && (await isPortOpen(6379))) return { url: 'redis://127.0.0.1:6379', kind: 'local' };
  if (!hasCommand('redis-server')) throw new DevSetupError(REDIS_MISSING);
  const redis = await startPrivateRedis();
  setup.cleanups.push(() => redis.close());
  setup.say(
    `${mode === 'auto' ? 'no REDIS_URL and nothing on 6379: ' : ''}started a private redis-server on ${redis.url}`,
  );
  return { url: redis.url, kind: 'private' };
}

/** DATABASE_URL, else the embedded Postgres (PGlite) with its data in .dev/pglite. */
export async function startDatabase(setup: Setup): Promise<{ url: string; kind: DevStack['database'] }> {
  const configured = setup.env.DATABASE_URL?.trim();
  if (configured) return { url: configured, kind: 'external' };
  const dataDir = setup.options.pgliteDir ?? join(root, '.dev', 'pglite');
  setup.say(`no DATABASE_URL: starting the embedded Postgres (PGlite, data in ${dataDir})…`);
  const embedded = await startEmbeddedPostgres({ dataDir, log: setup.say });
  setup.cleanups.push(() => embedded.close());
  return { url: embedded.url, kind: 'embedded' };
}

/** Every port this run listens on: the fixed ones, or free ones where 0 was asked for. */
export async function choosePorts(setup: Setup): Promise<Ports> {
  const ports = { ...DEFAULT_PORTS };
  for (const name of Object.keys(ports) as (keyof Ports)[]) {
    const wanted = wantedPort(setup, name);
    ports[name] = wanted === 0 ? await freePort() : wanted;
  }
  return ports;
}

/**
 * Migrates the database and starts the Neon and Upstash stand-ins and (unless DISCORD_API_BASE
 * points elsewhere) the Discord stand-in, whose extra pages are mounted later by seedSandbox.
 */
export async function startStandIns(
  setup: Setup,
  input: { databaseUrl: string; redisUrl: string; applicationId: string; ports: Ports },
): Promise<{ stack: LocalStack; mountPages(pages: PageHandler): void }> {
  const { env } = setup;
  const discordApiBase = env.DISCORD_API_BASE?.trim() || undefined;
  if (!discordApiBase && (env.DISCORD_BOT_TOKEN?.trim() || env.DISCORD_PUBLIC_KEY?.trim())) {
    setup.say(
      'DISCORD_BOT_TOKEN or DISCORD_PUBLIC_KEY is set but DISCORD_API_BASE is not: the bot talks to the local Discord stand-in. For the real Discord, set DISCORD_API_BASE=https://discord.com/api/v10.',
    );
  }
  let pages: PageHandler | null = null;
  setup.say('migrating the database and starting the local stand-ins…');
  const stack = await startLocalStack({
    databaseUrl: input.databaseUrl,
    redisUrl: input.redisUrl,
    applicationId: input.applicationId,
    botToken: env.DISCORD_BOT_TOKEN?.trim() || 'local-bot-token',
    upstashToken: 'local-upstash-token',
    publicKey: env.DISCORD_PUBLIC_KEY?.trim() || undefined,
    discordApiBase,
    ports: { discord: input.ports.discord, neon: input.ports.neon, upstash: input.ports.upstash },
    // The dashboard's OAuth callback on the Worker's actual port (a free one in the e2e tests).
    workerPort: input.ports.worker,
    discordPages: (req, res, url) => (pages ? pages(req, res, url) : false),
  });
  setup.cleanups.push(() => stack.close());
  return {
    stack,
    mountPages: (handler) => {
      pages = handler;
    },
  };
}

/** miniflare's trigger route: unlike wrangler's /__scheduled it takes a `time`, and answers the outcome. */
export function cronTrigger(workerUrl: string): DevStack['runCron'] {
  return async (time = new Date()) => {
    const response = await fetch(
      `${workerUrl}/cdn-cgi/local/scheduled?cron=${encodeURIComponent('* * * * *')}&time=${time.getTime()}&format=json`,
    );
    const text = await response.text();
    let outcome = text;
    try {
      outcome = (JSON.parse(text) as { outcome: string }).outcome;
    } catch {}
    return { status: response.status, outcome };
  };
}

/** Seeds the stand-in with the sandbox guild (keeping a mod-log webhook an earlier run stored) and mounts the sandbox page. */
export async function seedSandbox(
  stack: LocalStack,
  mountPages: (pages: PageHandler) => void,
  input: {
    databaseUrl: string;
    applicationId: string;
    workerUrl: string;
    relayUrl: string;
    runCron: DevStack['runCron'];
  },
): Promise<{ guild: SandboxGuild | null; sandboxUrl: string | null }> {
  if (!stack.discord) return { guild: null, sandboxUrl: null };
  const guild = sandboxGuild;
  const webhooks = await storedModlogWebhook(input.databaseUrl, guild);
  const seeded = await fetch(`${stack.discord.controlUrl}/guilds/${guild.guildId}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(sandboxGuildSeed(guild, webhooks)),
  });
  if (!seeded.ok)
    throw new Error(`seeding the sandbox guild failed: ${seeded.status} ${await seeded.text()}`);
  mountPages(
    createSandboxPages({
      controlUrl: stack.discord.controlUrl,
      workerUrl: input.workerUrl,
      applicationId: input.applicationId,
      signingKeyPkcs8: stack.signingKeyPkcs8,
      guild,
      outsiders: sandboxOutsiders(guild),
      relayUrl: input.relayUrl,
      runCron: input.runCron,
      databaseUrl: input.databaseUrl,
    }),
  );
  return { guild, sandboxUrl: `http://127.0.0.1:${stack.discord.port}/sandbox/` };
}

/** The supervisor of the Worker and the relay; unwinding stops the relay first, then the Worker. */
export function superviseChildren(setup: Setup): ChildProcesses {
  const children = new ChildProcesses({
    cwd: root,
    env: setup.env,
    log: setup.log,
    onUnexpectedExit: setup.options.onUnexpectedExit,
  });
  const stopKillingOnExit = children.killOnExit();
  setup.cleanups.push(async () => {
    await children.stopAll(['relay', 'worker']);
    stopKillingOnExit();
  });
  return children;
}

/**
 * The Worker's configuration in a private env file (mode 0600, removed on stop) rather than on the
 * command line, where a real bot token would show in the process list.
 */
function writeWorkerVars(setup: Setup, bindings: LocalBindings): string {
  const varsDir = mkdtempSync(join(tmpdir(), 'lockdown-dev-'));
  const removeVars = () => rmSync(varsDir, { recursive: true, force: true });
  process.once('exit', removeVars);
  setup.cleanups.push(() => {
    process.off('exit', removeVars);
    removeVars();
  });
  const vars: Record<string, string> = { ...bindings };
  for (const name of PASSED_THROUGH) {
    const value = setup.env[name]?.trim();
    if (value) vars[name] = value;
  }
  const varsFile = join(varsDir, '.env');
  const lines = Object.entries(vars).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  writeFileSync(varsFile, lines.join('\n'), { mode: 0o600 });
  chmodSync(varsFile, 0o600);
  return varsFile;
}

/** The Worker under `wrangler dev --test-scheduled`, ready once /health answers. */
export async function startWorker(
  setup: Setup,
  children: ChildProcesses,
  input: { bindings: LocalBindings; port: number; url: string },
): Promise<void> {
  const { options } = setup;
  const args = [
    join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js'),
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(input.port),
    '--test-scheduled',
    '--show-interactive-dev-session=false',
    '--env-file',
    writeWorkerVars(setup, input.bindings),
  ];
  if (options.ports?.inspector !== undefined) {
    args.push('--inspector-port', String(options.ports.inspector || (await freePort())));
  }
  if (options.wranglerPersistTo) args.push('--persist-to', options.wranglerPersistTo);
  const worker = children.start('worker', args, {
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    WRANGLER_SEND_METRICS: 'false',
  });
  setup.say('starting the Worker (wrangler dev)…');
  await waitUntil(
    'the Worker',
    () => answersOk(`${input.url}/health`),
    120_000,
    () => (worker.exitCode !== null ? `wrangler exited (${worker.exitCode})` : null),
  );
}

/** Starts the relay (`worker/main.ts`) unless it runs, ready once /healthz answers; migrations are done, so it skips them. */
export function relayStarter(
  setup: Setup,
  children: ChildProcesses,
  input: { redisUrl: string; databaseUrl: string; discordApiBase: string; port: number; url: string },
): () => Promise<void> {
  return async () => {
    if (children.isRunning('relay')) return;
    const relay = children.start('relay', [join(root, 'worker', 'main.ts')], {
      REDIS_URL: input.redisUrl,
      DATABASE_URL: input.databaseUrl,
      DISCORD_API_BASE: input.discordApiBase,
      PORT: String(input.port),
      RELAY_MIGRATE: 'false',
      ...setup.options.relayEnv,
    });
    await waitUntil(
      'the relay',
      () => answersOk(`${input.url}/healthz`),
      60_000,
      () => (relay.exitCode !== null ? `it exited (${relay.exitCode})` : null),
    );
  };
}

/** Cloudflare runs the cron every minute; wrangler dev only on request. Do it here, on the minute. */
export function startCron(setup: Setup, runCron: DevStack['runCron']): void {
  if (!(setup.options.cronEveryMinute ?? true)) return;
  let timer: NodeJS.Timeout;
  const schedule = () => {
    timer = setTimeout(
      async () => {
        const result = await runCron().catch((error: Error) => ({ status: 0, outcome: error.message }));
        if (result.outcome !== 'ok') setup.log('cron', `scheduled run: ${result.outcome} (${result.status})`);
        schedule();
      },
      60_000 - (Date.now() % 60_000) + 500,
    );
    timer.unref();
  };
  schedule();
  setup.cleanups.push(() => clearTimeout(timer));
}
