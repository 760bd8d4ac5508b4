// XACK for the relay's handled entries. Acks asked for in the same tick (several lanes finishing
// together) go out as one XACK; each is retried through Redis hiccups until it lands or the relay
// is killed. An acked entry leaves the in-flight set.
import type { Redis } from 'ioredis';
import type { Persister } from '../persist.ts';
import type { InFlight } from './in-flight.ts';

export interface AckHooks {
  /** Runs before entries are XACKed (tests use it to kill a relay between send and ack). */
  beforeAck?(entryIds: string[]): void | Promise<void>;
}

export class Acker {
  readonly #redis: Redis;
  readonly #streamKey: string;
  readonly #group: string;
  readonly #inFlight: InFlight;
  readonly #persister: Persister;
  readonly #hooks: AckHooks;
  #batch: { ids: string[]; done: Promise<void> } | null = null;

  constructor(options: {
    redis: Redis;
    streamKey: string;
    group: string;
    inFlight: InFlight;
    persister: Persister;
    hooks?: AckHooks;
  }) {
    this.#redis = options.redis;
    this.#streamKey = options.streamKey;
    this.#group = options.group;
    this.#inFlight = options.inFlight;
    this.#persister = options.persister;
    this.#hooks = options.hooks ?? {};
  }

  /** XACKs the entries; resolves once Redis confirmed, throws Killed once the relay is killed. */
  async ack(entryIds: string[]): Promise<void> {
    if (entryIds.length === 0) return;
    await this.#hooks.beforeAck?.(entryIds);
    if (this.#batch) {
      this.#batch.ids.push(...entryIds);
      return this.#batch.done;
    }
    const ids = [...entryIds];
    const done = Promise.resolve().then(async () => {
      this.#batch = null; // acks asked for from here on go in the next XACK
      await this.#persister.write('redis', 'XACK', () =>
        this.#redis.xack(this.#streamKey, this.#group, ...ids),
      );
      this.#inFlight.release(ids);
    });
    this.#batch = { ids, done };
    return done;
  }
}
