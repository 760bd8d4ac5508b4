// `npm run dev`: the whole bot on this machine in one terminal, with nothing to sign up for.
// - Postgres: DATABASE_URL, or an embedded one (PGlite, data in .dev/pglite), migrated at start.
// - Redis: REDIS_URL, or the one on 127.0.0.1:6379, or a private redis-server if one is installed.
// - The Neon HTTP and Upstash REST stand-ins over those, for the Worker.
// - The Discord stand-in with the sandbox page (unless DISCORD_API_BASE points elsewhere), seeded
//   with a fake server; commands typed there are signed with the local key and sent to the Worker.
// - The Worker under `wrangler dev --test-scheduled` (interactions at :8787/interactions), its cron
//   run every minute as Cloudflare would, and the mod-log relay (`worker/main.ts`).
// Every child's output is prefixed with its name; Ctrl-C stops everything this started.
// startDev is a list of named steps below, each pushing how to undo what it started onto one
// CleanupStack that unwinds newest first on stop(), on Ctrl-C, or when a later step fails.
// The end-to-end tests start the same stack through startDev() on free ports.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { answersOk, ChildProcesses, waitUntil } from '../dev/children.ts';
import { CleanupStack } from '../dev/cleanup-stack.ts';
import type { PageHandler } from '../dev/discord/server.ts';
import { startEmbeddedPostgres } from '../dev/embedded-postgres/server.ts';
import { type LocalBindings, type LocalStack, startLocalStack } from '../dev/local-stack.ts';
import { freePort } from '../dev/net.ts';
import { startPrivateRedis } from '../dev/private-redis.ts';
import { type SandboxGuild, sandboxGuild, sandboxGuildSeed, sandboxOutsiders } from '../dev/sandbox/seed.ts';
import { createSandboxPages } from '../dev/sandbox/server.ts';
import { hasCommand, isPortOpen } from '../dev/services.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export const DEFAULT_PORTS = { worker: 8787, discord: 8790, neon: 8791, upstash: 8792, relay: 8793 };
const DEFAULT_APPLICATION_ID = '1100000000000000001';
const MODLOG_WEBHOOK_NAME = 'Lockdown mod-log';
/** Optional Worker settings passed through from the environment when set (see functions/env.ts). */
const PASSED_THROUGH = ['INLINE_REPLY_BUDGET_MS', 'SCHEDULER_SUBREQUEST_BUDGET', 'SCHEDULER_GUILD_IDS'];

export interface DevOptions {
  /** The environment: DATABASE_URL, REDIS_URL and DISCORD_* are read here, and children inherit it (default process.env). */
  env?: Record<string, string | undefined>;
  /** 0 picks a free port. Defaults: DEFAULT_PORTS; the inspector's is wrangler's choice. */
  ports?: Partial<typeof DEFAULT_PORTS> & { inspector?: number };
  /** The embedded Postgres' folder (default .dev/pglite); 'memory://' for a throwaway database. */
  pgliteDir?: string;
  /** Without REDIS_URL: 'auto' (6379, else a private redis-server) or 'private' (always a private one). */
  redis?: 'auto' | 'private';
  /** wrangler's --persist-to (default: wrangler's own, .wrangler/state). */
  wranglerPersistTo?: string;
  /** Run the Worker's cron every minute, as Cloudflare does (default true). */
  cronEveryMinute?: boolean;
  /** Extra environment for the relay (RELAY_* tunables). */
  relayEnv?: Record<string, string>;
  /** One line of a child's (or this runner's) output. Default: printed with a coloured prefix. */
  log?: (source: string, line: string) => void;
  /** A child exited on its own (not stopped by us). Default: log it. */
  onUnexpectedExit?: (name: string, code: number | null, signal: string | null) => void;
}

export interface DevStack {
  workerUrl: string;
  interactionsUrl: string;
  /** The sandbox page, when the Discord stand-in runs. */
  sandboxUrl: string | null;
  discordApiBase: string;
  /** The stand-in's control API (/__sandbox), when it runs. */
  discordControlUrl: string | null;
  relayUrl: string;
  databaseUrl: string;
  /** 'embedded' (PGlite) or 'external' (DATABASE_URL). */
  database: 'embedded' | 'external';
  redisUrl: string;
  redis: 'external' | 'local' | 'private';
  /** The seeded sandbox guild, when the stand-in runs. */
  guild: SandboxGuild | null;
  applicationId: string;
  /** PKCS#8, base64: signs interactions for the Worker's DISCORD_PUBLIC_KEY (null with a real key). */
  signingKeyPkcs8: string | null;
  /** Runs the Worker's scheduled handler now, or as at `time`; returns wrangler's outcome. */
  runCron(time?: Date): Promise<{ status: number; outcome: string }>;
  startRelay(): Promise<void>;
  /** Stops the relay gracefully (SIGTERM: in-flight sends finish and are acknowledged). */
  stopRelay(): Promise<void>;
  stop(): Promise<void>;
}

const colours = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m', '\x1b[34m', '\x1b[31m'];
const sourceColours = new Map<string, string>();
function printLine(source: string, line: string) {
  let colour = sourceColours.get(source);
  if (!colour) {
    colour = colours[sourceColours.size % colours.length] as string;
    sourceColours.set(source, colour);
  }
  const prefix = process.stdout.isTTY ? `${colour}[${source}]\x1b[0m` : `[${source}]`;
  console.log(`${prefix} ${line}`);
}

export const REDIS_MISSING = `Redis is needed and none was found: nothing listens on 127.0.0.1:6379 and redis-server is not installed.
Either install it (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis) and run npm run dev again,
or point REDIS_URL at one you have (REDIS_URL=redis://host:6379, or an Upstash rediss:// URL).`;

export class DevSetupError extends Error {}

const redact = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

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

// ---- the steps ----

/** What every step reads: the options, the environment, the logger and the one cleanup stack. */
interface Setup {
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
async function checkPortsFree(setup: Setup): Promise<void> {
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
async function startRedis(setup: Setup): Promise<{ url: string; kind: DevStack['redis'] }> {
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
async function startDatabase(setup: Setup): Promise<{ url: string; kind: DevStack['database'] }> {
  const configured = setup.env.DATABASE_URL?.trim();
  if (configured) return { url: configured, kind: 'external' };
  const dataDir = setup.options.pgliteDir ?? join(root, '.dev', 'pglite');
  setup.say(`no DATABASE_URL: starting the embedded Postgres (PGlite, data in ${dataDir})…`);
  const embedded = await startEmbeddedPostgres({ dataDir, log: setup.say });
  setup.cleanups.push(() => embedded.close());
  return { url: embedded.url, kind: 'embedded' };
}

/** Every port this run listens on: the fixed ones, or free ones where 0 was asked for. */
async function choosePorts(setup: Setup): Promise<Ports> {
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
async function startStandIns(
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
function cronTrigger(workerUrl: string): DevStack['runCron'] {
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
async function seedSandbox(
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
    }),
  );
  return { guild, sandboxUrl: `http://127.0.0.1:${stack.discord.port}/sandbox/` };
}

/** The supervisor of the Worker and the relay; unwinding stops the relay first, then the Worker. */
function superviseChildren(setup: Setup): ChildProcesses {
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
async function startWorker(
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
function relayStarter(
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
function startCron(setup: Setup, runCron: DevStack['runCron']): void {
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

export async function startDev(options: DevOptions = {}): Promise<DevStack> {
  const log = options.log ?? printLine;
  const setup: Setup = {
    options,
    env: options.env ?? process.env,
    log,
    say: (line) => log('dev', line),
    cleanups: new CleanupStack(),
  };
  try {
    await checkPortsFree(setup);
    const redis = await startRedis(setup);
    const database = await startDatabase(setup);
    const ports = await choosePorts(setup);
    const applicationId = setup.env.DISCORD_APPLICATION_ID?.trim() || DEFAULT_APPLICATION_ID;
    const workerUrl = `http://127.0.0.1:${ports.worker}`;
    const relayUrl = `http://127.0.0.1:${ports.relay}`;
    const runCron = cronTrigger(workerUrl);

    const { stack, mountPages } = await startStandIns(setup, {
      databaseUrl: database.url,
      redisUrl: redis.url,
      applicationId,
      ports,
    });
    const sandbox = await seedSandbox(stack, mountPages, {
      databaseUrl: database.url,
      applicationId,
      workerUrl,
      relayUrl,
      runCron,
    });
    const children = superviseChildren(setup);
    await startWorker(setup, children, { bindings: stack.bindings, port: ports.worker, url: workerUrl });
    const startRelay = relayStarter(setup, children, {
      redisUrl: redis.url,
      databaseUrl: database.url,
      discordApiBase: stack.bindings.DISCORD_API_BASE,
      port: ports.relay,
      url: relayUrl,
    });
    await startRelay();
    startCron(setup, runCron);

    return {
      workerUrl,
      interactionsUrl: `${workerUrl}/interactions`,
      sandboxUrl: sandbox.sandboxUrl,
      discordApiBase: stack.bindings.DISCORD_API_BASE,
      discordControlUrl: stack.discord?.controlUrl ?? null,
      relayUrl,
      databaseUrl: database.url,
      database: database.kind,
      redisUrl: redis.url,
      redis: redis.kind,
      guild: sandbox.guild,
      applicationId,
      signingKeyPkcs8: stack.signingKeyPkcs8,
      runCron,
      startRelay,
      stopRelay: () => children.stop('relay'),
      stop: () => setup.cleanups.unwind(),
    };
  } catch (error) {
    await setup.cleanups.unwind();
    throw error;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let stack: DevStack | null = null;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    printLine('dev', 'stopping…');
    await stack?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  try {
    stack = await startDev({
      onUnexpectedExit: (name) => {
        printLine('dev', `${name} stopped unexpectedly; stopping everything`);
        void stop(1);
      },
    });
  } catch (error) {
    console.error(
      error instanceof DevSetupError ? error.message : `npm run dev failed: ${(error as Error).message}`,
    );
    process.exit(1);
  }
  const s = stack;
  console.log(`
Lockdown is running.
  sandbox        ${s.sandboxUrl ?? `(none: DISCORD_API_BASE is ${s.discordApiBase})`}
  interactions   ${s.interactionsUrl}   (health: ${s.workerUrl}/health, cron: ${s.workerUrl}/__scheduled?cron=*+*+*+*+*)
  Discord API    ${s.discordApiBase}${s.discordControlUrl ? `   (stand-in; control: ${s.discordControlUrl})` : ''}
  relay          ${s.relayUrl}/healthz
  database       ${redact(s.databaseUrl)}${s.database === 'embedded' ? '   (embedded PGlite; data in .dev/pglite)' : ''}
  redis          ${redact(s.redisUrl)}${s.redis === 'private' ? '   (private redis-server, stopped with this)' : ''}
${s.sandboxUrl ? `\nOpen ${s.sandboxUrl} to run slash commands in the fake server and watch #mod-logs.\n` : ''}Ctrl-C stops everything.`);
}
