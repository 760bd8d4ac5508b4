// "Persist until stopped": a write that must not be lost (Discord already answered, or the entry is
// already handled) is retried with growing delays until it lands or the relay is killed. Used for
// every Postgres write after a send and for every XACK.

import { retryDelay } from './discord/rate-limits.ts';
import type { Logger } from './observability/log.ts';
import type { RelayMetrics } from './observability/metrics.ts';
import { sleep } from './time.ts';

/** Thrown once the relay is killed (or out of shutdown time): nothing more is written or acked. */
export class Killed extends Error {
  constructor() {
    super('relay killed');
  }
}

export type PersistTarget = 'postgres' | 'redis';

const firstDelayMs: Record<PersistTarget, number> = { postgres: 200, redis: 100 };

export class Persister {
  readonly #killSignal: AbortSignal;
  readonly #logger: Logger;
  readonly #metrics: RelayMetrics;

  constructor(options: { killSignal: AbortSignal; logger: Logger; metrics: RelayMetrics }) {
    this.#killSignal = options.killSignal;
    this.#logger = options.logger;
    this.#metrics = options.metrics;
  }

  get killed(): boolean {
    return this.#killSignal.aborted;
  }

  /** Runs `write` until it resolves; throws {@link Killed} once the relay is killed. */
  async write<T>(target: PersistTarget, what: string, write: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (this.#killSignal.aborted) throw new Killed();
      try {
        return await write();
      } catch (error) {
        this.#metrics.errors.inc({ where: target });
        this.#logger.error(`${what} failed, retrying`, { error, attempt });
        await sleep(retryDelay(attempt, firstDelayMs[target], 5_000), this.#killSignal);
      }
    }
  }
}
