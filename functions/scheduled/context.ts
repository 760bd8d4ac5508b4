// What every scheduled job of one tick shares: the services, the tick's time, its budget and Discord
// pacing, the guild scope, and the events recorded so far (published together at the end).
import type { LockdownEvent } from '../../shared/events.ts';
import type { Services } from '../services.ts';
import type { Budget, Clock, DiscordPacer } from './budget.ts';

export interface TickContext {
  services: Services;
  /** The tick's scheduled time: what "due" is measured against, and the time written to records. */
  now: Date;
  budget: Budget;
  pacer: DiscordPacer;
  clock: Clock;
  concurrency: number;
  /** Development and tests only: restrict the tick to these guilds; null for all. */
  guildIds: readonly string[] | null;
  /** Events of cases and reports recorded this tick, published in batches at its end. */
  events: LockdownEvent[];
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
