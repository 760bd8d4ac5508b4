// The turn lock of the embedded Postgres: one backend, one connection talking to it at a time.
// A connection asks for the turn before each message and gives it back when the backend is idle
// again; the others queue in arrival order.

export interface Turn {
  id: number;
}

export class TurnLock {
  #owner: Turn | null = null;
  readonly #waiting: { turn: Turn; grant: () => void }[] = [];

  holds(turn: Turn): boolean {
    return this.#owner === turn;
  }

  /** Resolves when `turn` owns the backend (at once if it already does or nobody does). */
  acquire(turn: Turn): Promise<void> {
    if (this.#owner === turn) return Promise.resolve();
    if (this.#owner === null) {
      this.#owner = turn;
      return Promise.resolve();
    }
    return new Promise<void>((grant) => this.#waiting.push({ turn, grant }));
  }

  /** Hands the backend to the next in line; a no-op for a turn that does not own it. */
  release(turn: Turn): void {
    if (this.#owner !== turn) return;
    const next = this.#waiting.shift();
    this.#owner = next?.turn ?? null;
    next?.grant();
  }

  /** Leaves the queue without ever taking the turn (the connection closed while waiting). */
  withdraw(turn: Turn): void {
    const index = this.#waiting.findIndex((waiting) => waiting.turn === turn);
    if (index >= 0) this.#waiting.splice(index, 1);
  }
}
