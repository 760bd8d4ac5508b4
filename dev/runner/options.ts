// What `npm run dev` (scripts/dev.ts, startDev) takes and gives back: its options, the running
// stack's addresses and controls, its fixed ports, and the one error it explains to a person
// rather than reports (DevSetupError: a port in use, no Redis to be had).
import type { SandboxGuild } from '../sandbox/seed.ts';

export const DEFAULT_PORTS = { worker: 8787, discord: 8790, neon: 8791, upstash: 8792, relay: 8793 };
export const DEFAULT_APPLICATION_ID = '1100000000000000001';
export const MODLOG_WEBHOOK_NAME = 'Lockdown mod-log';
/** Optional Worker settings passed through from the environment when set (see functions/env.ts). */
export const PASSED_THROUGH = [
  'INLINE_REPLY_BUDGET_MS',
  'SCHEDULER_SUBREQUEST_BUDGET',
  'SCHEDULER_GUILD_IDS',
];

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

export const REDIS_MISSING = `Redis is needed and none was found: nothing listens on 127.0.0.1:6379 and redis-server is not installed.
Either install it (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis) and run npm run dev again,
or point REDIS_URL at one you have (REDIS_URL=redis://host:6379, or an Upstash rediss:// URL).`;

export class DevSetupError extends Error {}
