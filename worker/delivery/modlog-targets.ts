// Each guild's mod-log webhook as the lanes see it: the cache in front of Postgres, and what
// happens when Discord refuses a webhook (the guild's mod-log is marked broken, if it still uses
// that webhook, and the cache is refreshed: a `/modlog set` may have replaced it meanwhile).
import type { Logger } from '../observability/log.ts';
import type { Persister } from '../persist.ts';
import type { ModlogTarget, RelayStore } from '../store/relay-store.ts';
import { ModlogCache } from './modlog-cache.ts';

export class ModlogTargets {
  readonly #cache: ModlogCache;
  readonly #store: RelayStore;
  readonly #persister: Persister;
  readonly #logger: Logger;

  constructor(options: { store: RelayStore; persister: Persister; logger: Logger; ttlMs: number }) {
    this.#store = options.store;
    this.#persister = options.persister;
    this.#logger = options.logger;
    this.#cache = new ModlogCache({
      load: (guildId) => options.store.modlogTarget(guildId),
      ttlMs: options.ttlMs,
    });
  }

  get(guildId: string): Promise<ModlogTarget | null> {
    return this.#cache.get(guildId);
  }

  invalidate(guildId: string): void {
    this.#cache.invalidate(guildId);
  }

  /** Marks the refused webhook broken and returns the guild's mod-log as Postgres has it now. */
  async refused(target: ModlogTarget, detail: string): Promise<ModlogTarget | null> {
    const { guildId } = target;
    const reason = `webhook_invalid: ${detail}`;
    const marked = await this.#persister.write('postgres', 'marking a webhook broken', () =>
      this.#store.markBroken(guildId, target.webhook.id, reason),
    );
    this.#cache.invalidate(guildId);
    const current = await this.#cache.get(guildId);
    this.#logger.warn(
      current?.webhook.id === target.webhook.id
        ? 'mod-log webhook invalid: parking the guild until /modlog set'
        : 'mod-log webhook invalid, but the guild has another mod-log now',
      { guildId, webhookId: target.webhook.id, detail, marked },
    );
    return current;
  }
}
