// What every scheduled job of one tick shares: clients that count their requests, the tick's time,
// its budget and Discord pacing, the guild scope, and the events recorded so far (published
// together at the end). Also the breaker each job uses to stop when Discord or the database is down.
import type { LockdownEvent } from '../../shared/events.ts';
import type { RequestCounter, Services } from '../services.ts';
import { type Budget, type Clock, type DiscordPacer, RequestMeter } from './budget.ts';

/** Builds the clients for one piece of a tick's work, each request they send told to `count`. */
export type ServicesFactory = (count: RequestCounter) => Services;

export interface TickContext {
  openServices: ServicesFactory;
  /** The tick's scheduled time: what "due" is measured against, and the time written to records. */
  now: Date;
  /** This step's share of the tick's subrequests and time. */
  budget: Budget;
  pacer: DiscordPacer;
  clock: Clock;
  concurrency: number;
  /** Development and tests only: restrict the tick to these guilds; null for all. */
  guildIds: readonly string[] | null;
  /** Events of cases and reports recorded this tick, published in batches at its end. */
  events: LockdownEvent[];
}

/**
 * Runs one piece of work whose `reserved` requests were already taken from `budget`, with clients
 * of its own that count what it really sends; afterwards the budget keeps exactly that count.
 */
export async function metered<T>(
  tick: Pick<TickContext, 'openServices'>,
  budget: Budget,
  reserved: number,
  work: (services: Services) => Promise<T>,
): Promise<T> {
  const meter = new RequestMeter();
  try {
    return await work(tick.openServices(meter.add));
  } finally {
    budget.settle(reserved, meter.count);
  }
}

/** Consecutive passing failures after which a job stops for this tick (Discord or the database is down). */
export const BREAKER_THRESHOLD = 5;

/** Counts consecutive passing failures; open means "stop starting work". */
export class Breaker {
  #consecutive = 0;

  success(): void {
    this.#consecutive = 0;
  }

  failure(): void {
    this.#consecutive += 1;
  }

  get open(): boolean {
    return this.#consecutive >= BREAKER_THRESHOLD;
  }
}
