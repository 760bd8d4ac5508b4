// The stream consumer: reads `lockdown:events` through the consumer group and hands decoded entries
// to the lanes. It creates the group when missing (also after Redis lost its data), re-reads its
// own pending entries at start and after a dropped connection, keeps its heartbeat and takes a dead
// relay's entries within seconds (takeover.ts), XAUTOCLAIMs entries left idle for claimIdleMs (the
// fallback for relays without a heartbeat), and refreshes the idle time of the entries it holds
// (XCLAIM … JUSTID) so a live relay's slow entries are never claimed. That refresh first asks which
// entries it still owns (XPENDING for itself): one missing twice in a row while still held was taken
// by another relay (this one's heartbeat lapsed, in a Redis blip say) and is forfeited, so no lane
// sends it from here. A lapse this relay can see itself (a heartbeat refreshed later than its TTL:
// the process was paused, or Redis unreachable) makes it check, right after the next beat, which held
// entries it still owns, and until then every send first asks about its own entries (`lostAmong`):
// a paused relay that wakes up does not post what another relay took meanwhile. Acking is the Acker's job.
import type { Redis } from 'ioredis';
import type { RelayConfig } from '../config.ts';
import { retryDelay } from '../discord/rate-limits.ts';
import type { Logger } from '../observability/log.ts';
import type { RelayMetrics } from '../observability/metrics.ts';
import { Periodic, sleep } from '../time.ts';
import { type DecodedEntry, decodeEntry, parseEntries, parseReadReply, type RawEntry } from './entries.ts';
import type { InFlight } from './in-flight.ts';
import { Takeover } from './takeover.ts';

/** Where the consumer hands the entries it was given (each entry once while this relay holds it). */
/** What a send asks before it goes out, or before it repeats one whose outcome is unknown. */
export interface Ownership {
  /** This relay's heartbeat may have lapsed (another relay may have taken its entries). */
  mayHaveLapsed(): boolean;
  /** Which of these held entries another relay took (they are forfeited here). */
  lostAmong(entryIds: readonly string[]): Promise<string[]>;
}

export interface EntrySink {
  /** `redelivered`: the entries were handed to a consumer before (they may have been posted). */
  accept(entries: DecodedEntry[], redelivered: boolean): void;
}

/** The stream, the names and the timings, as configured (worker/config.ts). */
type ConsumerSettings = Pick<
  RelayConfig,
  | 'streamKey'
  | 'group'
  | 'consumer'
  | 'blockMs'
  | 'claimIdleMs'
  | 'heartbeatMs'
  | 'heartbeatTtlMs'
  | 'sweepMs'
>;

export interface StreamConsumerOptions extends ConsumerSettings {
  redis: Redis;
  readCount: number;
  inFlight: InFlight;
  sink: EntrySink;
  metrics: RelayMetrics;
  logger: Logger;
  stopSignal: AbortSignal;
}

export class StreamConsumer implements Ownership {
  readonly #o: StreamConsumerOptions;
  readonly #periodic: Periodic;
  readonly #takeover: Takeover;
  /** Held entries missing from this relay's pending list at the last refresh. */
  #missing = new Set<string>();
  #blocking: Redis | null = null;
  #loop: Promise<void> | null = null;
  #claiming: Promise<void> | null = null;
  #lastLoopAt = 0;
  /** A lapse of this relay's heartbeat was seen and the held entries not checked since. */
  #lapsed = false;

  constructor(options: StreamConsumerOptions) {
    this.#o = options;
    this.#periodic = new Periodic((error) => {
      options.metrics.errors.inc({ where: 'redis' });
      options.logger.warn('periodic task failed', { error });
    });
    this.#takeover = new Takeover(options);
  }

  async ensureGroup(): Promise<void> {
    const { redis, streamKey, group, logger } = this.#o;
    try {
      await redis.xgroup('CREATE', streamKey, group, '0', 'MKSTREAM');
      logger.info('consumer group created', { stream: streamKey, group });
    } catch (error) {
      if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
    }
  }

  /** Starts the read loop, the claim sweep and the refresh of held entries. */
  start(): void {
    const o = this.#o;
    this.#blocking = o.redis.duplicate({
      // A blocking read must outlive the command timeout; ioredis guards it with blockingTimeout instead.
      commandTimeout: undefined,
      blockingTimeout: o.blockMs + 5_000,
      blockingTimeoutGrace: 5_000,
      connectionName: `lockdown-relay:${o.consumer}:reader`,
    });
    this.#blocking.on('error', () => {}); // reconnects on its own; the read loop reports failures
    this.#lastLoopAt = Date.now();
    this.#periodic.every(o.heartbeatMs, () => this.#beat(), { runNow: true });
    this.#loop = this.#consume(this.#blocking);
    const claimEvery = Math.max(100, Math.min(o.claimIdleMs / 2, 30_000));
    this.#periodic.every(claimEvery, () => this.claimIdle(), { runNow: true });
    this.#periodic.every(o.sweepMs, () => this.#sweepDead(), { runNow: true });
    this.#periodic.every(Math.max(100, Math.min(o.claimIdleMs / 3, o.sweepMs)), () => this.#refreshHeld());
  }

  mayHaveLapsed(): boolean {
    const last = this.#takeover.lastBeatAt;
    return this.#lapsed || (last > 0 && Date.now() - last >= this.#o.heartbeatTtlMs);
  }

  async lostAmong(entryIds: readonly string[]): Promise<string[]> {
    if (entryIds.length === 0) return [];
    const known = entryIds.filter((id) => this.#o.inFlight.isLost(id));
    if (known.length) return known;
    const owned = await this.#ownPending();
    // These entries are being sent, so none is being acked here: one look is enough.
    const lost = entryIds.filter((id) => !owned.has(id));
    this.#forfeit(lost.filter((id) => this.#o.inFlight.has(id)));
    return lost;
  }

  /** Refreshes the heartbeat; after a lapse, forfeits at once the held entries this relay lost. */
  async #beat(): Promise<void> {
    if (this.mayHaveLapsed()) this.#lapsed = true;
    await this.#takeover.beat();
    if (!this.#lapsed) return;
    const owned = await this.#ownPending();
    // An entry acked while we looked would read as lost too: it is no longer held by then, or was
    // sent already; forfeiting it only drops it from a queue it has left.
    this.#forfeit(this.#o.inFlight.ids().filter((id) => !owned.has(id)));
    this.#lapsed = false;
  }

  /** Held entries another relay took: no lane sends them from here. */
  #forfeit(lost: string[]): void {
    const o = this.#o;
    if (lost.length === 0) return;
    o.inFlight.forfeit(lost);
    o.metrics.entriesLost.inc(lost.length);
    o.logger.warn('entries were taken over by another relay (our heartbeat lapsed): not sending them', {
      count: lost.length,
    });
  }

  /** At a clean stop: drops the heartbeat, so what stays pending here is taken over at once. */
  leave(): Promise<void> {
    return this.#takeover.leave();
  }

  /** Stops reading (the stop signal has been aborted by the relay). */
  stop(): void {
    this.#periodic.clear();
    this.#blocking?.disconnect();
    this.#o.inFlight.wakeAll();
  }

  /** Resolves when the read loop has ended. */
  finished(): Promise<void> {
    return this.#loop?.catch(() => {}) ?? Promise.resolve();
  }

  /** When the loop last made progress (or waited for room): /healthz reads it. */
  get lastLoopAt(): number {
    return this.#lastLoopAt;
  }

  /** Resolves when a claim sweep in progress (if any) is over. */
  async claimSettled(): Promise<void> {
    if (this.#claiming) await this.#claiming.catch(() => {});
  }

  async #consume(blocking: Redis): Promise<void> {
    const o = this.#o;
    let rereadPending = true;
    let failures = 0;
    while (!o.stopSignal.aborted) {
      try {
        if (rereadPending) {
          await this.#readOwnPending();
          rereadPending = false;
        }
        while (o.inFlight.full && !o.stopSignal.aborted) {
          this.#lastLoopAt = Date.now(); // alive, just waiting for the lanes
          await o.inFlight.room(1_000);
        }
        if (o.stopSignal.aborted) break;
        const reply = await blocking.xreadgroup(
          'GROUP',
          o.group,
          o.consumer,
          'COUNT',
          o.readCount,
          'BLOCK',
          o.blockMs,
          'STREAMS',
          o.streamKey,
          '>',
        );
        this.#lastLoopAt = Date.now();
        failures = 0;
        this.#hand(parseReadReply(reply), false);
      } catch (error) {
        if (o.stopSignal.aborted) break;
        failures++;
        if (String((error as Error).message ?? '').includes('NOGROUP')) {
          o.logger.warn('consumer group missing (Redis lost its data?): recreating it', {});
          await this.ensureGroup().catch(() => {});
        } else {
          o.metrics.errors.inc({ where: 'redis' });
          o.logger.error('stream read failed, retrying', { error, failures });
        }
        // After a dropped connection a read may have been served without us seeing the reply:
        // those entries are pending for this consumer, so read them again.
        rereadPending = true;
        await sleep(retryDelay(failures, 100, 5_000), o.stopSignal);
      }
    }
  }

  /** This consumer's pending entries (after a restart or a dropped connection). */
  async #readOwnPending(): Promise<void> {
    const o = this.#o;
    let after = '0';
    for (;;) {
      const reply = await o.redis.xreadgroup(
        'GROUP',
        o.group,
        o.consumer,
        'COUNT',
        o.readCount,
        'STREAMS',
        o.streamKey,
        after,
      );
      const entries = parseReadReply(reply);
      if (entries.length === 0) return;
      this.#hand(entries, true);
      after = (entries[entries.length - 1] as RawEntry).id;
      this.#lastLoopAt = Date.now();
    }
  }

  #hand(entries: RawEntry[], redelivered: boolean): void {
    const fresh = entries.filter((entry) => this.#o.inFlight.take(entry.id));
    if (fresh.length) this.#o.sink.accept(fresh.map(decodeEntry), redelivered);
  }

  /** Takes over entries idle at other consumers for claimIdleMs (their relay is presumed dead). */
  claimIdle(): Promise<void> {
    if (this.#claiming) return this.#claiming;
    const o = this.#o;
    this.#claiming = (async () => {
      let cursor = '0-0';
      for (let page = 0; page < 20 && !o.stopSignal.aborted; page++) {
        const reply = (await o.redis.xautoclaim(
          o.streamKey,
          o.group,
          o.consumer,
          o.claimIdleMs,
          cursor,
          'COUNT',
          o.readCount,
        )) as [string, unknown, unknown?];
        const trimmed = Array.isArray(reply[2]) ? reply[2].length : 0;
        if (trimmed) {
          // Pending entries the stream's trimming removed before anyone delivered them.
          o.metrics.errors.inc({ where: 'trimmed_while_pending' }, trimmed);
          o.logger.error('pending entries were trimmed from the stream before delivery', { count: trimmed });
        }
        const entries = parseEntries(reply[1]).filter((e) => !o.inFlight.has(e.id));
        if (entries.length) {
          o.logger.info('claimed idle entries', { count: entries.length });
          this.#hand(entries, true);
        }
        cursor = reply[0];
        if (cursor === '0-0') break;
      }
    })().finally(() => {
      this.#claiming = null;
    });
    return this.#claiming;
  }

  /** Takes the entries of relays whose heartbeat is gone. */
  async #sweepDead(): Promise<void> {
    const entries = (await this.#takeover.sweep()).filter((e) => !this.#o.inFlight.has(e.id));
    if (entries.length) this.#hand(entries, true);
  }

  /**
   * Forfeits held entries another relay took, then resets the idle time of the others, so no
   * other relay's XAUTOCLAIM takes them.
   */
  async #refreshHeld(): Promise<void> {
    const o = this.#o;
    const ids = o.inFlight.ids();
    if (ids.length === 0) {
      this.#missing.clear();
      return;
    }
    const owned = await this.#ownPending();
    const missing = ids.filter((id) => !owned.has(id));
    // Missing once may be an entry acked while we looked; missing twice and still held: taken.
    const lost = missing.filter((id) => this.#missing.has(id) && o.inFlight.has(id));
    this.#missing = new Set(missing);
    this.#forfeit(lost);
    const kept = ids.filter((id) => owned.has(id));
    for (let i = 0; i < kept.length; i += 500) {
      await o.redis.xclaim(o.streamKey, o.group, o.consumer, 0, ...kept.slice(i, i + 500), 'JUSTID');
    }
  }

  /** The ids of this consumer's pending entries. */
  async #ownPending(): Promise<Set<string>> {
    const o = this.#o;
    const owned = new Set<string>();
    let start = '-';
    for (;;) {
      const rows = (await o.redis.xpending(o.streamKey, o.group, start, '+', 1_000, o.consumer)) as [
        string,
        ...unknown[],
      ][];
      for (const row of rows) owned.add(row[0]);
      if (rows.length < 1_000) return owned;
      start = `(${(rows[rows.length - 1] as [string])[0]}`;
    }
  }
}
