// The entries this relay was handed and has not acked yet: their ids (kept fresh so no other relay
// claims them), their count (reading pauses at maxInFlight), and the newest id handed to this
// relay (the order gate's horizon: every older entry was handed to some consumer already), and the
// entries it lost: taken by another relay while this one's heartbeat had lapsed (a Redis blip), which
// its lanes must drop unsent.

import { forgetOldest } from '../forget-oldest.ts';
import { compareStreamIds } from './entries.ts';

export class InFlight {
  readonly #max: number;
  readonly #ids = new Set<string>();
  readonly #lost = new Set<string>();
  #roomWaiters: (() => void)[] = [];
  #newest = '0-0';

  constructor(maxInFlight: number) {
    this.#max = maxInFlight;
  }

  /** Notes an entry handed to this relay; false if it already holds it. */
  take(id: string): boolean {
    if (compareStreamIds(id, this.#newest) > 0) this.#newest = id;
    this.#lost.delete(id); // handed back (claimed again after the other relay died, say)
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    return true;
  }

  /** Entries another relay took from this one: no longer held, never to be sent from here. */
  forfeit(ids: readonly string[]): void {
    for (const id of ids) {
      this.#ids.delete(id);
      this.#lost.add(id);
    }
    forgetOldest(this.#lost, 10_000, 5_000);
    this.wakeAll();
  }

  isLost(id: string): boolean {
    return this.#lost.has(id);
  }

  get lostCount(): number {
    return this.#lost.size;
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  release(ids: readonly string[]): void {
    for (const id of ids) this.#ids.delete(id);
    if (this.#ids.size < this.#max) this.wakeAll();
  }

  /** The newest entry id this relay has been handed. */
  get newest(): string {
    return this.#newest;
  }

  get size(): number {
    return this.#ids.size;
  }

  get full(): boolean {
    return this.#ids.size >= this.#max;
  }

  ids(): string[] {
    return [...this.#ids];
  }

  /** Resolves when there is room again, or after `ms` (so the caller can look at its state). */
  room(ms: number): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#roomWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  wakeAll(): void {
    for (const wake of this.#roomWaiters.splice(0)) wake();
  }

  clear(): void {
    this.#ids.clear();
  }
}
