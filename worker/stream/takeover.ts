// Fast takeover of a dead relay's entries. Each relay keeps a heartbeat key with a short TTL
// (`lockdown:relay:<group>:heartbeat:<consumer>`, refreshed every heartbeatMs, expiring after
// heartbeatTtlMs) and is listed in `lockdown:relay:<group>:beating` (the consumers that keep one).
// Every sweepMs a relay looks at the group's consumers (XINFO CONSUMERS): one that is listed but whose
// heartbeat is gone is dead; under a short per-consumer lock (`…:takeover:<consumer>`, SET NX) its
// pending entries are XCLAIMed and handed to this relay, and once it holds nothing it is removed
// from the group (XGROUP DELCONSUMER) and the list. A live relay, however slow, keeps its heartbeat,
// so its entries are never taken this way. Consumers that never kept a heartbeat (older relays) are
// left to the consumer's long-idle XAUTOCLAIM.
import type { Redis } from 'ioredis';
import type { Logger } from '../observability/log.ts';
import type { RelayMetrics } from '../observability/metrics.ts';
import { flatToObject, parseEntries, type RawEntry } from './entries.ts';

export interface TakeoverOptions {
  redis: Redis;
  streamKey: string;
  group: string;
  consumer: string;
  heartbeatTtlMs: number;
  /** Entries claimed per XCLAIM. */
  readCount: number;
  metrics: RelayMetrics;
  logger: Logger;
}

/** The Redis keys of a group's heartbeats. */
export function heartbeatKeys(group: string) {
  const prefix = `lockdown:relay:${group}`;
  return {
    beating: `${prefix}:beating`,
    heartbeat: (consumer: string) => `${prefix}:heartbeat:${consumer}`,
    takeover: (consumer: string) => `${prefix}:takeover:${consumer}`,
  };
}

export class Takeover {
  readonly #o: TakeoverOptions;
  readonly #keys: ReturnType<typeof heartbeatKeys>;
  #lastBeatAt = 0;

  constructor(options: TakeoverOptions) {
    this.#o = options;
    this.#keys = heartbeatKeys(options.group);
  }

  /** Refreshes this relay's heartbeat (and its place in the list of consumers that keep one). */
  async beat(): Promise<void> {
    const { redis, consumer, heartbeatTtlMs } = this.#o;
    await redis
      .multi()
      .set(this.#keys.heartbeat(consumer), String(Date.now()), 'PX', heartbeatTtlMs)
      .sadd(this.#keys.beating, consumer)
      .exec();
    this.#lastBeatAt = Date.now();
  }

  /** When the heartbeat was last refreshed (0: never). */
  get lastBeatAt(): number {
    return this.#lastBeatAt;
  }

  /** Drops the heartbeat at a clean stop, so what this relay leaves pending is taken at once. */
  async leave(): Promise<void> {
    await this.#o.redis.del(this.#keys.heartbeat(this.#o.consumer));
  }

  /** Claims the pending entries of consumers whose heartbeat is gone; returns them (to hand on). */
  async sweep(): Promise<RawEntry[]> {
    const { redis, streamKey, group, consumer } = this.#o;
    const info = (await redis.xinfo('CONSUMERS', streamKey, group).catch(() => [])) as unknown[];
    const consumers = info
      .map(flatToObject)
      .map((c) => ({ name: String(c.name), pending: Number(c.pending) }));
    const others = consumers.filter((c) => c.name !== consumer);
    if (others.length === 0) return [];
    const check = redis.pipeline();
    for (const c of others) check.sismember(this.#keys.beating, c.name).exists(this.#keys.heartbeat(c.name));
    const replies = ((await check.exec()) ?? []).map(([, value]) => Number(value));
    const claimed: RawEntry[] = [];
    for (const [i, c] of others.entries()) {
      const listed = replies[2 * i] === 1;
      const alive = replies[2 * i + 1] === 1;
      if (!listed || alive) continue;
      if (c.pending > 0) claimed.push(...(await this.#takeFrom(c.name)));
      else await this.#forget(c.name);
    }
    return claimed;
  }

  async #takeFrom(dead: string): Promise<RawEntry[]> {
    const { redis, streamKey, group, consumer, readCount, heartbeatTtlMs, metrics, logger } = this.#o;
    // One taker per dead consumer: two sweeping relays must not pull its entries from each other.
    const lock = await redis.set(this.#keys.takeover(dead), consumer, 'PX', heartbeatTtlMs * 2, 'NX');
    if (lock !== 'OK') return [];
    const taken: RawEntry[] = [];
    for (let page = 0; page < 100; page++) {
      const rows = (await redis.xpending(streamKey, group, '-', '+', readCount, dead)) as [
        string,
        ...unknown[],
      ][];
      if (rows.length === 0) break;
      const reply = await redis.xclaim(streamKey, group, consumer, 0, ...rows.map((r) => r[0]));
      const entries = parseEntries(reply);
      // XCLAIM drops (and un-pends) entries trimmed from the stream: count them as the sweep does.
      const gone = rows.length - entries.length;
      if (gone > 0) metrics.errors.inc({ where: 'trimmed_while_pending' }, gone);
      taken.push(...entries);
      if (rows.length < readCount) break;
    }
    if (taken.length) {
      metrics.takeovers.inc();
      logger.warn('took over the entries of a relay whose heartbeat is gone', {
        from: dead,
        count: taken.length,
      });
    }
    await this.#forget(dead);
    return taken;
  }

  /** Removes a dead consumer from the group once it holds nothing (and from the heartbeat list). */
  async #forget(dead: string): Promise<void> {
    const { redis, streamKey, group } = this.#o;
    const left = (await redis.xpending(streamKey, group, '-', '+', 1, dead)) as unknown[];
    if (left.length > 0) return;
    await redis.xgroup('DELCONSUMER', streamKey, group, dead);
    await redis.srem(this.#keys.beating, dead);
  }
}
