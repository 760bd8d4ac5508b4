// One stack of "undo" steps for a setup made of many: each step that starts something pushes how to
// stop it, and unwinding runs them newest first, so a failure half-way (or Ctrl-C) stops exactly
// what was started, in reverse. A failing cleanup does not keep the others from running.
export type Cleanup = () => unknown;

export class CleanupStack {
  readonly #steps: Cleanup[] = [];

  push(step: Cleanup): void {
    this.#steps.push(step);
  }

  /** Runs every step pushed so far, newest first, once; later calls run only what was pushed since. */
  async unwind(): Promise<void> {
    for (const step of this.#steps.splice(0).reverse()) {
      await Promise.resolve()
        .then(step)
        .catch(() => {});
    }
  }
}
