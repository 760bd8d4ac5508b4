// Order across relays: entries of one guild may be handed to different relays. Before a lane sends,
// it asks the gate, which looks in the group's pending list for entries of its guild held by other
// consumers: if one is older than the lane's next entry it waits for it to be acked (or claimed
// from a dead relay); otherwise the oldest of them fences the batch (nothing at or past it goes in).
// Stream ids are handed out in order, so an older entry that is not pending anywhere was handled.
import type { Redis } from 'ioredis';
import { forgetOldest } from '../forget-oldest.ts';
import type { Logger } from '../observability/log.ts';
import type { RelayMetrics } from '../observability/metrics.ts';
import { compareStreamIds, decodeEntry, entryGuild, parseEntries } from '../stream/entries.ts';
import type { InFlight } from '../stream/in-flight.ts';
import { sleep } from '../time.ts';

/** What a lane may send now: entries before `fence` (if any) and up to `horizon`. */
export interface Turn {
  fence: string | null;
  horizon: string;
  /** The lane had to wait for another relay (what it looked up before may be stale). */
  waited: boolean;
}

/** The claim sweep, which the gate lets finish first (it may hand the lane an older entry). */
export interface ClaimSweep {
  claimSettled(): Promise<void>;
}

type PendingSummary = [number, string | null, string | null, [string, string][] | null];

export interface OrderGateDeps {
  redis: Redis;
  streamKey: string;
  group: string;
  consumer: string;
  inFlight: InFlight;
  claims: ClaimSweep;
  metrics: RelayMetrics;
  logger: Logger;
  pollMs: number;
  stopSignal: AbortSignal;
}

export class OrderGate {
  readonly #d: OrderGateDeps;
  /** Guild of entries other consumers hold (entry ids never change meaning). */
  readonly #foreignGuilds = new Map<string, string | null>();

  constructor(deps: OrderGateDeps) {
    this.#d = deps;
  }

  /**
   * Waits until no other relay holds an entry of this guild older than `entryId`, then says what
   * the lane may send. Null when the relay is stopping.
   */
  async waitTurn(guildId: string, entryId: string): Promise<Turn | null> {
    let delay = this.#d.pollMs;
    for (let waited = false; ; waited = true) {
      if (this.#d.stopSignal.aborted) return null;
      await this.#d.claims.claimSettled();
      // Everything up to `horizon` was handed out (to some consumer) before the check below, so it
      // is either pending there or done; entries read later may have gaps the check did not see.
      const horizon = this.#d.inFlight.newest;
      const oldest = await this.#oldestElsewhere(guildId);
      if (oldest === null || compareStreamIds(oldest, entryId) > 0) return { fence: oldest, horizon, waited };
      this.#d.logger.debug('waiting for an older entry held elsewhere', { guildId, entryId, oldest });
      this.#d.metrics.orderWaits.inc();
      if (!(await sleep(delay, this.#d.stopSignal))) return null;
      delay = Math.min(delay * 2, 1_000);
    }
  }

  /**
   * The oldest pending entry of this guild held by another consumer, or null. One XPENDING summary
   * when this relay is the only one with pending entries (the usual case); otherwise the other
   * consumers' pending lists, with each entry's guild read once (XRANGE) and remembered.
   */
  async #oldestElsewhere(guildId: string): Promise<string | null> {
    const summary = (await this.#d.redis.xpending(this.#d.streamKey, this.#d.group)) as PendingSummary;
    const others = (summary[3] ?? []).filter(([name, n]) => name !== this.#d.consumer && Number(n) > 0);
    if (!summary[0] || others.length === 0) return null;
    let oldest: string | null = null;
    for (const [name, n] of others) {
      const rows = (await this.#d.redis.xpending(
        this.#d.streamKey,
        this.#d.group,
        '-',
        '+',
        Math.min(Number(n), 10_000),
        name,
      )) as [string, ...unknown[]][];
      const ids = rows.map((r) => r[0]);
      await this.#learnGuilds(ids.filter((id) => !this.#foreignGuilds.has(id)));
      for (const id of ids) {
        if (this.#foreignGuilds.get(id) === guildId && (oldest === null || compareStreamIds(id, oldest) < 0))
          oldest = id;
      }
    }
    return oldest;
  }

  async #learnGuilds(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const pipeline = this.#d.redis.pipeline();
    for (const id of ids) pipeline.xrange(this.#d.streamKey, id, id);
    const results = (await pipeline.exec()) ?? [];
    ids.forEach((id, i) => {
      const [entry] = parseEntries(results[i]?.[1]);
      this.#foreignGuilds.set(id, entry ? entryGuild(decodeEntry(entry)) : null);
    });
    forgetOldest(this.#foreignGuilds, 50_000, 10_000);
  }
}
