// `npm run dev`: the whole bot on this machine in one terminal, with nothing to sign up for.
// - Postgres: DATABASE_URL, or an embedded one (PGlite, data in .dev/pglite), migrated at start.
// - Redis: REDIS_URL, or the one on 127.0.0.1:6379, or a private redis-server if one is installed.
// - The Neon HTTP and Upstash REST stand-ins over those, for the Worker.
// - The Discord stand-in with the sandbox page (unless DISCORD_API_BASE points elsewhere), seeded
//   with a fake server; commands typed there are signed with the local key and sent to the Worker.
// - The Worker under `wrangler dev --test-scheduled` (interactions at :8787/interactions), its cron
//   run every minute as Cloudflare would, and the mod-log relay (`worker/main.ts`).
// Every child's output is prefixed with its name; Ctrl-C stops everything this started.
// The end-to-end tests start the same stack through startDev() on free ports.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { PageHandler } from '../dev/discord/server.ts';
import {
  type EmbeddedPostgres,
  freePort,
  type LocalStack,
  type PrivateRedis,
  startEmbeddedPostgres,
  startLocalStack,
  startPrivateRedis,
} from '../dev/local-stack.ts';
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

async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  failed: () => string | null,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = failed();
    if (failure) throw new Error(`${what}: ${failure}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

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

export async function startDev(options: DevOptions = {}): Promise<DevStack> {
  const env = options.env ?? process.env;
  const log = options.log ?? printLine;
  const say = (line: string) => log('dev', line);
  const port = async (name: keyof typeof DEFAULT_PORTS) => {
    const wanted = options.ports?.[name] ?? DEFAULT_PORTS[name];
    return wanted === 0 ? freePort() : wanted;
  };
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch(() => {});
  };

  try {
    // The fixed ports first: a second `npm run dev` should say so, not fail half-way.
    const names: Record<keyof typeof DEFAULT_PORTS, string> = {
      worker: 'the Worker',
      discord: 'the Discord stand-in and sandbox',
      neon: 'the Neon stand-in',
      upstash: 'the Upstash stand-in',
      relay: 'the relay',
    };
    for (const [name, what] of Object.entries(names) as [keyof typeof DEFAULT_PORTS, string][]) {
      const wanted = options.ports?.[name] ?? DEFAULT_PORTS[name];
      if (name === 'discord' && env.DISCORD_API_BASE?.trim()) continue;
      if (wanted !== 0 && (await isPortOpen(wanted))) {
        throw new DevSetupError(
          `Port ${wanted} (${what}) is already in use. Is another \`npm run dev\` running? Stop it first.`,
        );
      }
    }

    // ---- Redis (first: the one prerequisite that can be missing) ----
    let redisUrl = env.REDIS_URL?.trim() || '';
    let redisKind: DevStack['redis'] = 'external';
    if (!redisUrl) {
      const mode = options.redis ?? 'auto';
      if (mode === 'auto' && (await isPortOpen(6379))) {
        redisUrl = 'redis://127.0.0.1:6379';
        redisKind = 'local';
      } else if (hasCommand('redis-server')) {
        const redis: PrivateRedis = await startPrivateRedis();
        cleanups.push(() => redis.close());
        redisUrl = redis.url;
        redisKind = 'private';
        say(
          `${mode === 'auto' ? 'no REDIS_URL and nothing on 6379: ' : ''}started a private redis-server on ${redis.url}`,
        );
      } else {
        throw new DevSetupError(REDIS_MISSING);
      }
    }

    // ---- Postgres ----
    let embedded: EmbeddedPostgres | null = null;
    let databaseUrl = env.DATABASE_URL?.trim() || '';
    if (!databaseUrl) {
      const dataDir = options.pgliteDir ?? join(root, '.dev', 'pglite');
      say(`no DATABASE_URL: starting the embedded Postgres (PGlite, data in ${dataDir})…`);
      embedded = await startEmbeddedPostgres({ dataDir, log: say });
      cleanups.push(() => embedded?.close());
      databaseUrl = embedded.url;
    }

    // ---- the hosted services' stand-ins, and Discord's ----
    const discordApiBase = env.DISCORD_API_BASE?.trim() || undefined;
    if (!discordApiBase && (env.DISCORD_BOT_TOKEN?.trim() || env.DISCORD_PUBLIC_KEY?.trim())) {
      say(
        'DISCORD_BOT_TOKEN or DISCORD_PUBLIC_KEY is set but DISCORD_API_BASE is not: the bot talks to the local Discord stand-in. For the real Discord, set DISCORD_API_BASE=https://discord.com/api/v10.',
      );
    }
    const applicationId = env.DISCORD_APPLICATION_ID?.trim() || DEFAULT_APPLICATION_ID;
    const workerPort = await port('worker');
    const workerUrl = `http://127.0.0.1:${workerPort}`;
    const relayPort = await port('relay');
    const relayUrl = `http://127.0.0.1:${relayPort}`;
    /** miniflare's trigger route: unlike wrangler's /__scheduled it takes a `time`, and answers the outcome. */
    const runCron = async (time: Date = new Date()) => {
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
    let pages: PageHandler | null = null;
    say('migrating the database and starting the local stand-ins…');
    const stack: LocalStack = await startLocalStack({
      databaseUrl,
      redisUrl,
      applicationId,
      botToken: env.DISCORD_BOT_TOKEN?.trim() || 'local-bot-token',
      upstashToken: 'local-upstash-token',
      publicKey: env.DISCORD_PUBLIC_KEY?.trim() || undefined,
      discordApiBase,
      ports: { discord: await port('discord'), neon: await port('neon'), upstash: await port('upstash') },
      discordPages: (req, res, url) => (pages ? pages(req, res, url) : false),
    });
    cleanups.push(() => stack.close());

    let guild: SandboxGuild | null = null;
    let sandboxUrl: string | null = null;
    if (stack.discord) {
      guild = sandboxGuild;
      const webhooks = await storedModlogWebhook(databaseUrl, guild);
      const seeded = await fetch(`${stack.discord.controlUrl}/guilds/${guild.guildId}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(sandboxGuildSeed(guild, webhooks)),
      });
      if (!seeded.ok)
        throw new Error(`seeding the sandbox guild failed: ${seeded.status} ${await seeded.text()}`);
      pages = createSandboxPages({
        controlUrl: stack.discord.controlUrl,
        workerUrl,
        applicationId,
        signingKeyPkcs8: stack.signingKeyPkcs8,
        guild,
        outsiders: sandboxOutsiders(guild),
        relayUrl,
        runCron,
      });
      sandboxUrl = `http://127.0.0.1:${stack.discord.port}/sandbox/`;
    }

    // ---- child processes ----
    const children = new Map<string, ChildProcess>();
    const expectedExits = new Set<ChildProcess>();
    let stopping = false;
    const startChild = (name: string, args: string[], childEnv: Record<string, string>) => {
      const child = spawn(process.execPath, args, {
        cwd: root,
        env: { ...env, ...childEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so stopping it also stops what it started (workerd under wrangler).
        detached: true,
      });
      for (const stream of [child.stdout, child.stderr]) {
        if (stream) createInterface({ input: stream }).on('line', (line) => log(name, line));
      }
      child.on('exit', (code, signal) => {
        if (expectedExits.has(child) || stopping) return;
        log(name, `exited (${signal ?? code})`);
        options.onUnexpectedExit?.(name, code, signal);
      });
      children.set(name, child);
      return child;
    };
    const stopChild = async (name: string, timeoutMs = 15_000) => {
      const child = children.get(name);
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      expectedExits.add(child);
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const signalGroup = (signal: NodeJS.Signals) => {
        try {
          process.kill(-(child.pid as number), signal);
        } catch {
          child.kill(signal);
        }
      };
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    };
    const killAllNow = () => {
      for (const child of children.values()) {
        if (child.exitCode === null && child.signalCode === null && child.pid) {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {}
        }
      }
    };
    // The children run in process groups of their own, so a signal to this process alone (a plain
    // `kill`, `timeout`) does not reach them: unless the host handles the signal (the CLI below stops
    // everything gracefully), take them down before going.
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const onSignal = (signal: NodeJS.Signals) => {
      if (process.listenerCount(signal) > 1) return;
      killAllNow();
      process.exit(signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143);
    };
    process.once('exit', killAllNow);
    for (const signal of signals) process.on(signal, onSignal);
    cleanups.push(async () => {
      stopping = true;
      await stopChild('relay');
      await stopChild('worker');
      process.off('exit', killAllNow);
      for (const signal of signals) process.off(signal, onSignal);
    });

    // The Worker. Its configuration goes in a private env file rather than on the command line,
    // where a real bot token would show in the process list.
    const varsDir = mkdtempSync(join(tmpdir(), 'lockdown-dev-'));
    const removeVars = () => rmSync(varsDir, { recursive: true, force: true });
    process.once('exit', removeVars);
    cleanups.push(() => {
      process.off('exit', removeVars);
      removeVars();
    });
    const varsFile = join(varsDir, '.env');
    const vars: Record<string, string> = { ...stack.bindings };
    for (const name of PASSED_THROUGH) {
      const value = env[name]?.trim();
      if (value) vars[name] = value;
    }
    writeFileSync(
      varsFile,
      Object.entries(vars)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join('\n'),
      {
        mode: 0o600,
      },
    );
    chmodSync(varsFile, 0o600);
    const wranglerArgs = [
      join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js'),
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(workerPort),
      '--test-scheduled',
      '--show-interactive-dev-session=false',
      '--env-file',
      varsFile,
    ];
    if (options.ports?.inspector !== undefined) {
      wranglerArgs.push('--inspector-port', String(options.ports.inspector || (await freePort())));
    }
    if (options.wranglerPersistTo) wranglerArgs.push('--persist-to', options.wranglerPersistTo);
    const worker = startChild('worker', wranglerArgs, {
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      WRANGLER_SEND_METRICS: 'false',
    });
    say('starting the Worker (wrangler dev)…');
    await waitUntil(
      'the Worker',
      async () => (await fetch(`${workerUrl}/health`, { signal: AbortSignal.timeout(5_000) })).status === 200,
      120_000,
      () => (worker.exitCode !== null ? `wrangler exited (${worker.exitCode})` : null),
    );

    // The relay: migrations are done, so it does not run them again.
    const startRelay = async () => {
      const existing = children.get('relay');
      if (existing && existing.exitCode === null && existing.signalCode === null) return;
      const relay = startChild('relay', [join(root, 'worker', 'main.ts')], {
        REDIS_URL: redisUrl,
        DATABASE_URL: databaseUrl,
        DISCORD_API_BASE: stack.bindings.DISCORD_API_BASE,
        PORT: String(relayPort),
        RELAY_MIGRATE: 'false',
        ...options.relayEnv,
      });
      await waitUntil(
        'the relay',
        async () =>
          (await fetch(`${relayUrl}/healthz`, { signal: AbortSignal.timeout(5_000) })).status === 200,
        60_000,
        () => (relay.exitCode !== null ? `it exited (${relay.exitCode})` : null),
      );
    };
    await startRelay();

    // Cloudflare runs the cron every minute; wrangler dev only on request. Do it here, on the minute.
    if (options.cronEveryMinute ?? true) {
      let timer: NodeJS.Timeout;
      const schedule = () => {
        timer = setTimeout(
          async () => {
            const result = await runCron().catch((error: Error) => ({ status: 0, outcome: error.message }));
            if (result.outcome !== 'ok') log('cron', `scheduled run: ${result.outcome} (${result.status})`);
            schedule();
          },
          60_000 - (Date.now() % 60_000) + 500,
        );
        timer.unref();
      };
      schedule();
      cleanups.push(() => clearTimeout(timer));
    }

    return {
      workerUrl,
      interactionsUrl: `${workerUrl}/interactions`,
      sandboxUrl,
      discordApiBase: stack.bindings.DISCORD_API_BASE,
      discordControlUrl: stack.discord?.controlUrl ?? null,
      relayUrl,
      databaseUrl,
      database: embedded ? 'embedded' : 'external',
      redisUrl,
      redis: redisKind,
      guild,
      applicationId,
      signingKeyPkcs8: stack.signingKeyPkcs8,
      runCron,
      startRelay,
      stopRelay: () => stopChild('relay'),
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp();
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
