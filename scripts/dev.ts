// `npm run dev`: the whole bot on this machine in one terminal, with nothing to sign up for.
// - Postgres: DATABASE_URL, or an embedded one (PGlite, data in .dev/pglite), migrated at start.
// - Redis: REDIS_URL, or the one on 127.0.0.1:6379, or a private redis-server if one is installed.
// - The Neon HTTP and Upstash REST stand-ins over those, for the Worker.
// - The Discord stand-in with the sandbox page (unless DISCORD_API_BASE points elsewhere), seeded
//   with a fake server; commands typed there are signed with the local key and sent to the Worker.
// - The Worker under `wrangler dev --test-scheduled` (interactions at :8787/interactions), its cron
//   run every minute as Cloudflare would, and the mod-log relay (`worker/main.ts`).
// Every child's output is prefixed with its name; Ctrl-C stops everything this started.
// startDev runs a list of named steps (dev/runner/steps.ts), each pushing how to undo what it
// started onto one CleanupStack that unwinds newest first on stop(), on Ctrl-C, or when a later
// step fails.
// The end-to-end tests start the same stack through startDev() on free ports.
import { fileURLToPath } from 'node:url';
import { CleanupStack } from '../dev/runner/cleanup-stack.ts';
import {
  DEFAULT_APPLICATION_ID,
  type DevOptions,
  DevSetupError,
  type DevStack,
} from '../dev/runner/options.ts';
import {
  checkPortsFree,
  choosePorts,
  cronTrigger,
  relayStarter,
  type Setup,
  seedSandbox,
  startCron,
  startDatabase,
  startRedis,
  startStandIns,
  startWorker,
  superviseChildren,
} from '../dev/runner/steps.ts';

export {
  DEFAULT_PORTS,
  type DevOptions,
  DevSetupError,
  type DevStack,
  REDIS_MISSING,
} from '../dev/runner/options.ts';

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

const redact = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

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
