// `npm run dev`: the whole bot on this machine in one terminal. Starts the Neon and Upstash
// stand-ins over the local Postgres and Redis, the Discord stand-in (unless DISCORD_API_BASE points
// elsewhere), the Worker under `wrangler dev` with scheduled testing on, and the mod-log relay.
// Every child's output is prefixed with its name; Ctrl-C stops them all.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { startLocalStack } from '../dev/local-stack.ts';
import { ensurePostgres, ensureRedis } from '../dev/services.ts';

const WORKER_PORT = 8787;
const PORTS = { discord: 8790, neon: 8791, upstash: 8792, relay: 8793 };

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lockdown';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const problems = [
  process.env.DATABASE_URL ? null : await ensurePostgres(),
  process.env.REDIS_URL ? null : await ensureRedis(),
].filter((p): p is string => p !== null);
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}

const stack = await startLocalStack({
  databaseUrl,
  redisUrl,
  applicationId: process.env.DISCORD_APPLICATION_ID ?? '1100000000000000001',
  botToken: process.env.DISCORD_BOT_TOKEN ?? 'local-bot-token',
  upstashToken: 'local-upstash-token',
  publicKey: process.env.DISCORD_PUBLIC_KEY,
  discordApiBase: process.env.DISCORD_API_BASE,
  ports: PORTS,
});

const colours = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m'];
const children: ChildProcess[] = [];

function run(name: string, command: string, args: string[], env: Record<string, string>) {
  const colour = colours[children.length % colours.length];
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => console.log(`${colour}[${name}]\x1b[0m ${line}`));
  }
  child.on('exit', (code, signal) => {
    console.log(`${colour}[${name}]\x1b[0m exited (${signal ?? code})`);
    if (!stopping) void stop(1);
  });
  children.push(child);
}

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(
    children.map((child) => (child.exitCode === null ? new Promise((r) => child.once('exit', r)) : null)),
  );
  await stack.close();
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

const vars = Object.entries(stack.bindings).flatMap(([name, value]) => ['--var', `${name}:${value}`]);
run(
  'worker',
  'npx',
  [
    'wrangler',
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(WORKER_PORT),
    '--test-scheduled',
    '--show-interactive-dev-session=false',
    ...vars,
  ],
  { CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
);
if (existsSync(new URL('../worker/main.ts', import.meta.url))) {
  run('relay', process.execPath, ['worker/main.ts'], {
    REDIS_URL: redisUrl,
    DATABASE_URL: databaseUrl,
    DISCORD_API_BASE: stack.bindings.DISCORD_API_BASE,
    PORT: String(PORTS.relay),
  });
}

console.log(`
Lockdown is starting:
  interactions   http://127.0.0.1:${WORKER_PORT}/interactions   (health: /health, cron: /__scheduled?cron=*+*+*+*+*)
  Discord API    ${stack.bindings.DISCORD_API_BASE}${stack.discord ? `   (stand-in; control: ${stack.discord.controlUrl})` : ''}
  relay          http://127.0.0.1:${PORTS.relay}/healthz
  database       ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}
`);
