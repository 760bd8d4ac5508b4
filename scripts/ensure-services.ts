// Makes sure the PostgreSQL and Redis the tests use are up on 127.0.0.1 (5432, 6379): starts them
// with the machine's own tools when they are installed but stopped, and otherwise says exactly how
// to get them. Runs before `npm test` and `npm run dev`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';

function reachable(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitFor(port: number, seconds: number): Promise<boolean> {
  for (let i = 0; i < seconds * 4; i += 1) {
    if (await reachable(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

function has(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function ensurePostgres(): Promise<string | null> {
  if (await reachable(5432)) return null;
  const versions = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql') : [];
  if (versions.length > 0 && has('pg_ctlcluster')) {
    console.log(`starting PostgreSQL ${versions[0]}…`);
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', versions[0] as string, 'main', 'start'], { stdio: 'inherit' });
    if (await waitFor(5432, 30)) return null;
  }
  return 'PostgreSQL is not running on 127.0.0.1:5432. Install it (Debian: apt-get install -y postgresql) with trust auth for local connections, or set TEST_DATABASE_URL / DATABASE_URL.';
}

async function ensureRedis(): Promise<string | null> {
  if (await reachable(6379)) return null;
  if (has('redis-server')) {
    console.log('starting redis-server…');
    execFileSync(
      'redis-server',
      ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no'],
      { stdio: 'inherit' },
    );
    if (await waitFor(6379, 15)) return null;
  }
  return 'Redis is not running on 127.0.0.1:6379. Install it (Debian: apt-get install -y redis-server) or set REDIS_URL.';
}

const problems = (await Promise.all([ensurePostgres(), ensureRedis()])).filter((p): p is string => p !== null);
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
