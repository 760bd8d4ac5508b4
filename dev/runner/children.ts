// The child processes `npm run dev` runs (the Worker under wrangler, the relay): spawned with Node
// in process groups of their own, every output line handed to a logger under the child's name, an
// exit we did not ask for reported, stopped gracefully (SIGTERM to the group, SIGKILL after a grace
// period), and all killed at once when this process goes.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildProcessesOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  log: (source: string, line: string) => void;
  onUnexpectedExit?: ((name: string, code: number | null, signal: string | null) => void) | undefined;
}

const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

export class ChildProcesses {
  readonly #options: ChildProcessesOptions;
  readonly #children = new Map<string, ChildProcess>();
  readonly #expectedExits = new Set<ChildProcess>();
  #stopping = false;

  constructor(options: ChildProcessesOptions) {
    this.#options = options;
  }

  /** Runs `node <args>`; a child of the same name that still runs is the caller's to avoid. */
  start(name: string, args: string[], env: Record<string, string>): ChildProcess {
    const { cwd, log } = this.#options;
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...this.#options.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so stopping it also stops what it started (workerd under wrangler).
      detached: true,
    });
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => log(name, line));
    }
    child.on('exit', (code, signal) => {
      if (this.#expectedExits.has(child) || this.#stopping) return;
      log(name, `exited (${signal ?? code})`);
      this.#options.onUnexpectedExit?.(name, code, signal);
    });
    this.#children.set(name, child);
    return child;
  }

  isRunning(name: string): boolean {
    const child = this.#children.get(name);
    return child !== undefined && isRunning(child);
  }

  /** SIGTERM to the child's group, SIGKILL after `timeoutMs`; resolves when it has exited. */
  async stop(name: string, timeoutMs = 15_000): Promise<void> {
    const child = this.#children.get(name);
    if (!child || !isRunning(child)) return;
    this.#expectedExits.add(child);
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
  }

  /** Stops the named children one after another; exits from here on are expected. */
  async stopAll(order: readonly string[]): Promise<void> {
    this.#stopping = true;
    for (const name of order) await this.stop(name);
  }

  readonly killAllNow = (): void => {
    for (const child of this.#children.values()) {
      if (isRunning(child) && child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }
    }
  };

  /**
   * The children run in process groups of their own, so a signal to this process alone (a plain
   * `kill`, `timeout`) does not reach them: unless the host handles the signal (the CLI stops
   * everything gracefully), take them down before going. Returns the undo.
   */
  killOnExit(): () => void {
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const onSignal = (signal: NodeJS.Signals) => {
      if (process.listenerCount(signal) > 1) return;
      this.killAllNow();
      process.exit(signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143);
    };
    process.once('exit', this.killAllNow);
    for (const signal of signals) process.on(signal, onSignal);
    return () => {
      process.off('exit', this.killAllNow);
      for (const signal of signals) process.off(signal, onSignal);
    };
  }
}

/** Polls `check` every 200 ms until it holds; fails when `failed` names a reason or after `timeoutMs`. */
export async function waitUntil(
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

/** Whether `url` answers 200 within 5 s. */
export async function answersOk(url: string): Promise<boolean> {
  return (await fetch(url, { signal: AbortSignal.timeout(5_000) })).status === 200;
}
