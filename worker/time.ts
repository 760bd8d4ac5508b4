// Waiting that a shutdown can cut short, and periodic tasks.

/** Resolves true after `ms`, or false as soon as `signal` aborts (at once if it already has). */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Periodic tasks that never overlap themselves and stop together. */
export class Periodic {
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  every(ms: number, task: () => Promise<unknown>, options: { runNow?: boolean } = {}): void {
    let running = false;
    const run = () => {
      if (running) return;
      running = true;
      task()
        .catch(this.#onError)
        .finally(() => {
          running = false;
        });
    };
    const timer = setInterval(run, ms);
    timer.unref();
    this.#timers.push(timer);
    if (options.runNow) run();
  }

  clear(): void {
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
  }
}
