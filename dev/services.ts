// Makes sure the PostgreSQL and Redis the project uses are up on 127.0.0.1 (5432, 6379): starts them
// with the machine's own tools when they are installed but stopped, and otherwise says exactly how
// to get them.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';

export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitForPort(port: number, seconds: number): Promise<boolean> {
  for (let i = 0; i < seconds * 4; i += 1) {
    if (await isPortOpen(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/** Whether a command is on the PATH. */
export function hasCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Null when PostgreSQL is up on 5432 (started here if needed); otherwise what to do about it. */
export async function ensurePostgres(): Promise<string | null> {
  if (await isPortOpen(5432)) return null;
  const versions = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql') : [];
  if (versions.length > 0 && hasCommand('pg_ctlcluster')) {
    console.log(`starting PostgreSQL ${versions[0]}…`);
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', versions[0] as string, 'main', 'start'], {
      stdio: 'inherit',
    });
    if (await waitForPort(5432, 30)) return null;
  }
  return 'PostgreSQL is not running on 127.0.0.1:5432. Install it (Debian: apt-get install -y postgresql) with trust auth for local connections, or set DATABASE_URL.';
}

/** Null when Redis is up on 6379 (started here if needed); otherwise what to do about it. */
export async function ensureRedis(): Promise<string | null> {
  if (await isPortOpen(6379)) return null;
  if (hasCommand('redis-server')) {
    console.log('starting redis-server…');
    execFileSync(
      'redis-server',
      ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no'],
      { stdio: 'inherit' },
    );
    if (await waitForPort(6379, 15)) return null;
  }
  return 'Redis is not running on 127.0.0.1:6379. Install it (Debian: apt-get install -y redis-server) or set REDIS_URL.';
}
