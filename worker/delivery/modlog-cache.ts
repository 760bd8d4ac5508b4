// Each guild's mod-log webhook, cached in memory. The `audit:logged` events for mod-log changes
// (`modlog.set`, `modlog.removed`) travel in the same stream as the events they concern, so a lane
// drops its guild's entry when it reaches one and what follows uses the new webhook; other relays
// hear the same event on the `audit:logged` pub/sub channel and drop theirs. A time to live catches
// changes made behind the relay's back (a database edit by hand).
import type { ModlogTarget } from '../store/relay-store.ts';

export interface ModlogCacheOptions {
  load(guildId: string): Promise<ModlogTarget | null>;
  ttlMs: number;
  now?: () => number;
  /** Entries kept at most; the oldest go first. */
  maxEntries?: number;
}

export class ModlogCache {
  readonly #load: (guildId: string) => Promise<ModlogTarget | null>;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #max: number;
  readonly #entries = new Map<string, { target: ModlogTarget | null; at: number }>();

  constructor(options: ModlogCacheOptions) {
    this.#load = options.load;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
    this.#max = options.maxEntries ?? 10_000;
  }

  async get(guildId: string): Promise<ModlogTarget | null> {
    const hit = this.#entries.get(guildId);
    if (hit && this.#now() - hit.at < this.#ttlMs) return hit.target;
    const target = await this.#load(guildId);
    this.#entries.delete(guildId);
    this.#entries.set(guildId, { target, at: this.#now() });
    if (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
    return target;
  }

  invalidate(guildId: string): void {
    this.#entries.delete(guildId);
  }

  get size(): number {
    return this.#entries.size;
  }
}
