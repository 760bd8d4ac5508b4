// The relay: reads `lockdown:events` through a consumer group and hands each guild's events to its
// lane (delivery.ts), which posts them to the guild's mod-log webhook.
//
// Delivery is at-least-once with dedupe: an entry is XACKed only after Discord answered 2xx and the
// event's modlog_deliveries row is written (or after it went to the dead-letter store); a redelivered
// entry whose event already has a row is acked without posting. At start a relay re-reads its own
// pending entries, and it XAUTOCLAIMs entries other relays left idle (a dead relay's); it keeps the
// entries it holds fresh (XCLAIM JUSTID) so a live relay's slow entries are never claimed.
//
// Order across relays: entries of one guild may be delivered to different relays. Before a lane
// sends, it looks in the group's pending list for entries of its guild held by other consumers: if
// one is older than the lane's next entry it waits for it to be acked (or claimed from a dead relay);
// otherwise the oldest of them fences the batch (nothing at or past it goes in). Stream ids are
// handed out in order, so an older entry that is not pending anywhere was already handled.
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { NodeDatabase } from '../db/node.ts';
import { decodeEvent, EVENT_STREAM_KEY, eventTypes, RELAY_CONSUMER_GROUP } from '../shared/events.ts';
import { addDeadLetter, countWaitingDeadLetters } from './dead-letters.ts';
import { GuildLane, Killed, type LaneContext, type WorkItem } from './delivery.ts';
import { type Logger, silentLogger } from './log.ts';
import { createRelayMetrics, gauge, type RelayMetrics, renderPrometheus } from './metrics.ts';
import { ModlogCache } from './modlog-cache.ts';
import { retryDelay } from './rate-limits.ts';
import { RelayStore } from './store.ts';
import { compareStreamIds, decodeEntry, parseEntries, parseReadReply, type RawEntry } from './stream.ts';
import { sleep } from './time.ts';
import type { AttemptInfo, RetryPolicy, WebhookClient } from './webhook-client.ts';

export interface RelayHooks {
  /** Runs before entries are XACKed (tests use it to kill a relay between send and ack). */
  beforeAck?(entryIds: string[]): void | Promise<void>;
}

export interface RelayOptions {
  /** Command connection (XACK, XPENDING, XAUTOCLAIM…); the relay duplicates it for its blocking reads. */
  redis: Redis;
  db: NodeDatabase;
  discord: WebhookClient;
  streamKey?: string;
  group?: string;
  /** Unique per running relay; a restarted relay with the same name re-reads its pending entries. */
  consumer?: string;
  /** XREADGROUP BLOCK milliseconds. */
  blockMs?: number;
  /** Entries idle this long at another consumer are claimed (that relay is presumed dead). */
  claimIdleMs?: number;
  /** First retry delay for 5xx and network errors (doubles, with jitter, up to retryMaxMs). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Attempts before an event goes to the dead-letter store as retries_exhausted. */
  maxAttempts?: number;
  /** Entries per XREADGROUP. */
  readCount?: number;
  /** Entries held in memory (read, not yet acked) before reading pauses. */
  maxInFlight?: number;
  /** Pack queued events into messages of up to 10 embeds (false: one event per message). */
  batching?: boolean;
  /** How long a guild's webhook stays cached without a mod-log event refreshing it. */
  configTtlMs?: number;
  /** How long stop() lets in-flight sends finish. */
  shutdownTimeoutMs?: number;
  /** First wait when an older entry of the guild is held by another relay. */
  orderPollMs?: number;
  /** Interval of the keep-alive PING on the command connection (hosted Redis drops idle clients). */
  keepAliveMs?: number;
  logger?: Logger;
  hooks?: RelayHooks;
}

export interface RelayStats {
  stream: string;
  group: string;
  consumer: string;
  /** Subscribers per pub/sub channel (PUBSUB NUMSUB). */
  subscribers: Record<string, number>;
  streamLength: number;
  /** Entries delivered to the group's consumers and not acked yet. */
  pending: number;
  /** Entries not yet delivered to any consumer of the group (null if Redis cannot tell). */
  lag: number | null;
  consumers: number;
  /** Events posted by this relay. */
  delivered: number;
  /** Discord attempts that failed (5xx, network, timeout, 4xx other than 429). */
  failed: number;
  /** Dead letters waiting (not replayed), all guilds. */
  deadLetters: number;
  /** Events this relay dead-lettered, by reason. */
  deadLettered: Record<string, number>;
  events: Record<string, number>;
  messages: number;
  rateLimited: number;
  inFlight: number;
  lanes: number;
  uptimeSeconds: number;
}

export interface RelayHealth {
  ok: boolean;
  redis: boolean;
  loop: boolean;
}

/** The pub/sub channel of `audit:logged` events (event types double as channel names). */
const MODLOG_CHANGES_CHANNEL = 'audit:logged';

interface Held {
  guildId: string | null;
}

export class Relay {
  readonly streamKey: string;
  readonly group: string;
  readonly consumer: string;
  readonly metrics: RelayMetrics;
  readonly #redis: Redis;
  readonly #db: NodeDatabase;
  readonly #discord: WebhookClient;
  readonly #logger: Logger;
  readonly #hooks: RelayHooks;
  readonly #blockMs: number;
  readonly #claimIdleMs: number;
  readonly #readCount: number;
  readonly #maxInFlight: number;
  readonly #shutdownTimeoutMs: number;
  readonly #orderPollMs: number;
  readonly #keepAliveMs: number;
  readonly #ctx: LaneContext;
  readonly #stop = new AbortController();
  readonly #kill = new AbortController();
  readonly #held = new Map<string, Held>();
  readonly #lanes = new Map<string, GuildLane>();
  /** Guild of entries other consumers hold (entry ids never change meaning). */
  readonly #foreignGuilds = new Map<string, string | null>();
  readonly #side = new Set<Promise<unknown>>();
  readonly #timers: NodeJS.Timeout[] = [];
  #blocking: Redis | null = null;
  #subscriber: Redis | null = null;
  #readLoop: Promise<void> | null = null;
  #claiming: Promise<void> | null = null;
  #roomWaiters: (() => void)[] = [];
  #lastLoopAt = 0;
  /** The newest entry this relay has been handed. */
  #lastReadId = '0-0';
  #startedAt = 0;
  #state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';

  constructor(options: RelayOptions) {
    this.#redis = options.redis;
    this.#db = options.db;
    this.#discord = options.discord;
    this.streamKey = options.streamKey ?? EVENT_STREAM_KEY;
    this.group = options.group ?? RELAY_CONSUMER_GROUP;
    this.consumer = options.consumer ?? `${hostname()}-${process.pid}`;
    this.#blockMs = options.blockMs ?? 5_000;
    this.#claimIdleMs = options.claimIdleMs ?? 60_000;
    this.#readCount = options.readCount ?? 100;
    this.#maxInFlight = options.maxInFlight ?? 2_000;
    this.#shutdownTimeoutMs = options.shutdownTimeoutMs ?? 25_000;
    this.#orderPollMs = options.orderPollMs ?? 50;
    this.#keepAliveMs = options.keepAliveMs ?? 30_000;
    this.#logger = options.logger ?? silentLogger;
    this.#hooks = options.hooks ?? {};
    this.metrics = createRelayMetrics();
    const store = new RelayStore(this.#db);
    const retry: RetryPolicy = {
      baseMs: options.retryBaseMs ?? 1_000,
      maxMs: options.retryMaxMs ?? 60_000,
      maxAttempts: options.maxAttempts ?? 8,
    };
    this.#ctx = {
      db: this.#db,
      store,
      discord: this.#discord,
      cache: new ModlogCache({
        load: (guildId) => store.modlogTarget(guildId),
        ttlMs: options.configTtlMs ?? 60_000,
      }),
      metrics: this.metrics,
      logger: this.#logger,
      retry,
      batching: options.batching ?? true,
      stopSignal: this.#stop.signal,
      killSignal: this.#kill.signal,
      waitTurn: (guildId, entryId) => this.#waitTurn(guildId, entryId),
      ack: (ids) => this.#ack(ids),
      onAttempt: (info: AttemptInfo) => {
        this.metrics.requests.inc({ route: info.route, status: String(info.status) });
        if (info.status === 429) this.metrics.rateLimited.inc({ route: info.route });
        else if (typeof info.status !== 'number' || info.status >= 400)
          this.metrics.failures.inc({ route: info.route });
      },
      onWait: (reason) => this.metrics.waits.inc({ reason }),
    };
  }

  /** Creates the group if needed, re-reads this consumer's pending entries and starts consuming. */
  async start(): Promise<void> {
    if (this.#state !== 'new') throw new Error('a relay starts once');
    // Both throw while Redis is unreachable; start() may then be called again.
    await this.#ensureGroup();
    await this.#listenForModlogChanges();
    this.#state = 'running';
    this.#startedAt = Date.now();
    this.#blocking = this.#redis.duplicate({
      // A blocking read must outlive the command timeout; ioredis guards it with blockingTimeout instead.
      commandTimeout: undefined,
      blockingTimeout: this.#blockMs + 5_000,
      blockingTimeoutGrace: 5_000,
      connectionName: `lockdown-relay:${this.consumer}:reader`,
    });
    this.#blocking.on('error', () => {}); // reconnects on its own; the read loop reports failures
    this.#lastLoopAt = Date.now();
    this.#readLoop = this.#consume();
    this.#every(Math.max(100, Math.min(this.#claimIdleMs / 2, 30_000)), () => this.#claimSweep(), true);
    this.#every(Math.max(100, this.#claimIdleMs / 3), () => this.#refreshHeld());
    this.#every(this.#keepAliveMs, () => this.#redis.ping());
    this.#every(60_000, async () => this.#discord.limiter.prune());
    this.#logger.info('relay started', {
      stream: this.streamKey,
      group: this.group,
      consumer: this.consumer,
    });
  }

  /**
   * Stops reading, lets in-flight sends finish and ack (up to shutdownTimeoutMs), and returns. Entries
   * read but not yet sent stay pending for the next relay. The clients passed in are left open.
   */
  async stop(): Promise<void> {
    if (this.#state !== 'running') return;
    this.#state = 'stopping';
    this.#stop.abort();
    for (const timer of this.#timers) clearInterval(timer);
    this.#blocking?.disconnect();
    this.#subscriber?.disconnect();
    for (const wake of this.#roomWaiters.splice(0)) wake();
    const drained = Promise.all([...[...this.#lanes.values()].map((l) => l.whenIdle()), ...this.#side]);
    const finished = await Promise.race([
      drained.then(() => true),
      sleep(this.#shutdownTimeoutMs).then(() => false),
    ]);
    if (!finished) this.#logger.warn('shutdown timeout: abandoning in-flight work (it stays pending)', {});
    this.#kill.abort();
    await this.#readLoop?.catch(() => {});
    this.#held.clear();
    this.#state = 'stopped';
    this.#logger.info('relay stopped', { consumer: this.consumer });
  }

  /** Stops at once, as if the process died: nothing more is sent, written or acked. For tests. */
  kill(): void {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    this.#stop.abort();
    this.#kill.abort();
    for (const timer of this.#timers) clearInterval(timer);
    for (const wake of this.#roomWaiters.splice(0)) wake();
    this.#blocking?.disconnect();
    this.#subscriber?.disconnect();
  }

  /** Redis answers and the consumer loop is alive. */
  async health(): Promise<RelayHealth> {
    const redis = await withTimeout(this.#redis.ping(), 1_000).then(
      (reply) => reply === 'PONG',
      () => false,
    );
    const loop = this.#state === 'running' && Date.now() - this.#lastLoopAt < this.#blockMs + 15_000;
    return { ok: redis && loop, redis, loop };
  }

  async stats(): Promise<RelayStats> {
    const redis = this.#redis;
    const [numsub, length, groups, deadLetters] = await Promise.all([
      redis.call('PUBSUB', 'NUMSUB', ...eventTypes) as Promise<(string | number)[]>,
      redis.xlen(this.streamKey),
      redis.xinfo('GROUPS', this.streamKey).catch(() => []) as Promise<unknown[]>,
      countWaitingDeadLetters(this.#db),
    ]);
    const subscribers: Record<string, number> = {};
    for (let i = 0; i + 1 < numsub.length; i += 2) subscribers[String(numsub[i])] = Number(numsub[i + 1]);
    const group = groups.map(flatToObject).find((g) => g.name === this.group) ?? {};
    const lag = group.lag;
    return {
      stream: this.streamKey,
      group: this.group,
      consumer: this.consumer,
      subscribers,
      streamLength: length,
      pending: Number(group.pending ?? 0),
      lag: lag === null || lag === undefined ? null : Number(lag),
      consumers: Number(group.consumers ?? 0),
      delivered: this.metrics.events.value({ outcome: 'delivered' }),
      failed: this.metrics.failures.value(),
      deadLetters,
      deadLettered: this.metrics.deadLettered.byLabel('reason'),
      events: this.metrics.events.byLabel('outcome'),
      messages: this.metrics.messages.value(),
      rateLimited: this.metrics.rateLimited.value(),
      inFlight: this.#held.size,
      lanes: this.#lanes.size,
      uptimeSeconds: Math.round((Date.now() - this.#startedAt) / 1000),
    };
  }

  /** The Prometheus text for `/metrics`. */
  async metricsText(): Promise<string> {
    const s = await this.stats();
    const m = this.metrics;
    return renderPrometheus([
      m.events.family(),
      m.deadLettered.family(),
      m.messages.family(),
      m.requests.family(),
      m.failures.family(),
      m.rateLimited.family(),
      m.waits.family(),
      m.edits.family(),
      m.orderWaits.family(),
      m.errors.family(),
      m.latency.family(),
      gauge('lockdown_relay_stream_length', 'Entries in the event stream (XLEN).', [
        { value: s.streamLength },
      ]),
      gauge('lockdown_relay_stream_pending', "Entries delivered to the group's consumers and not acked.", [
        { value: s.pending },
      ]),
      gauge('lockdown_relay_stream_lag', 'Entries not yet delivered to any consumer of the group.', [
        { value: s.lag ?? Number.NaN },
      ]),
      gauge('lockdown_relay_dead_letters', 'Dead letters waiting to be replayed (all guilds).', [
        { value: s.deadLetters },
      ]),
      gauge(
        'lockdown_relay_pubsub_subscribers',
        'Subscribers per pub/sub channel (PUBSUB NUMSUB).',
        Object.entries(s.subscribers).map(([channel, value]) => ({ labels: { channel }, value })),
      ),
      gauge('lockdown_relay_in_flight', 'Entries read and not yet acked by this relay.', [
        { value: s.inFlight },
      ]),
      gauge('lockdown_relay_lanes', 'Guilds with events in progress.', [{ value: s.lanes }]),
    ]);
  }

  /**
   * A `/modlog set` or `/modlog off` reaches one relay through the stream; the others hear it on the
   * `audit:logged` pub/sub channel (the edge PUBLISHes every event) and drop their cached webhook.
   */
  async #listenForModlogChanges(): Promise<void> {
    const subscriber = this.#redis.duplicate({ connectionName: `lockdown-relay:${this.consumer}:modlog` });
    subscriber.on('error', () => {}); // ioredis reconnects and resubscribes; the cache's TTL covers the gap
    subscriber.on('message', (_channel: string, message: string) => {
      const decoded = decodeEvent(message);
      if (!decoded.ok || decoded.event.eventType !== 'audit:logged') return;
      const { action, guildId } = decoded.event.data;
      if (action === 'modlog.set' || action === 'modlog.removed') this.#ctx.cache.invalidate(guildId);
    });
    try {
      await subscriber.subscribe(MODLOG_CHANGES_CHANNEL);
    } catch (error) {
      subscriber.disconnect();
      throw error;
    }
    this.#subscriber = subscriber;
  }

  // ---- consuming ----------------------------------------------------------------------------

  async #ensureGroup(): Promise<void> {
    try {
      await this.#redis.xgroup('CREATE', this.streamKey, this.group, '0', 'MKSTREAM');
      this.#logger.info('consumer group created', { stream: this.streamKey, group: this.group });
    } catch (error) {
      if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
    }
  }

  async #consume(): Promise<void> {
    let rereadPending = true;
    let failures = 0;
    while (this.#state === 'running') {
      try {
        if (rereadPending) {
          await this.#readOwnPending();
          rereadPending = false;
        }
        await this.#waitForRoom();
        if (this.#state !== 'running') break;
        const reply = await (this.#blocking as Redis).xreadgroup(
          'GROUP',
          this.group,
          this.consumer,
          'COUNT',
          this.#readCount,
          'BLOCK',
          this.#blockMs,
          'STREAMS',
          this.streamKey,
          '>',
        );
        this.#lastLoopAt = Date.now();
        failures = 0;
        this.#dispatch(parseReadReply(reply));
      } catch (error) {
        if (this.#state !== 'running') break;
        failures++;
        const message = (error as Error).message ?? '';
        if (message.includes('NOGROUP')) {
          this.#logger.warn('consumer group missing (Redis lost its data?): recreating it', {});
          await this.#ensureGroup().catch(() => {});
        } else {
          this.metrics.errors.inc({ where: 'redis' });
          this.#logger.error('stream read failed, retrying', { error, failures });
        }
        // After a dropped connection a read may have been served without us seeing the reply:
        // those entries are pending for this consumer, so read them again.
        rereadPending = true;
        await sleep(retryDelay(failures, 100, 5_000), this.#stop.signal);
      }
    }
  }

  /** This consumer's pending entries (after a restart or a dropped connection). */
  async #readOwnPending(): Promise<void> {
    let after = '0';
    for (;;) {
      const reply = await this.#redis.xreadgroup(
        'GROUP',
        this.group,
        this.consumer,
        'COUNT',
        this.#readCount,
        'STREAMS',
        this.streamKey,
        after,
      );
      const entries = parseReadReply(reply);
      if (entries.length === 0) return;
      this.#dispatch(entries);
      after = (entries[entries.length - 1] as RawEntry).id;
      this.#lastLoopAt = Date.now();
    }
  }

  async #waitForRoom(): Promise<void> {
    while (this.#held.size >= this.#maxInFlight && this.#state === 'running') {
      this.#lastLoopAt = Date.now(); // alive, just waiting for the lanes
      await Promise.race([new Promise<void>((resolve) => this.#roomWaiters.push(resolve)), sleep(1_000)]);
    }
  }

  #dispatch(entries: RawEntry[]): void {
    for (const entry of entries) {
      if (compareStreamIds(entry.id, this.#lastReadId) > 0) this.#lastReadId = entry.id;
      if (this.#held.has(entry.id)) continue;
      const decoded = decodeEntry(entry);
      if (!decoded.ok) {
        this.#held.set(entry.id, { guildId: decoded.guildId });
        this.#track(this.#undecodable(decoded));
        continue;
      }
      const guildId = decoded.event.data.guildId;
      this.#held.set(entry.id, { guildId });
      const item: WorkItem = { entryId: entry.id, raw: decoded.raw, event: decoded.event };
      let lane = this.#lanes.get(guildId);
      if (!lane) {
        lane = new GuildLane(guildId, this.#ctx, (idle) => {
          if (idle.queue.length === 0 && this.#lanes.get(guildId) === idle) this.#lanes.delete(guildId);
        });
        this.#lanes.set(guildId, lane);
      }
      lane.push(item);
    }
  }

  async #undecodable(entry: Extract<ReturnType<typeof decodeEntry>, { ok: false }>): Promise<void> {
    this.#logger.warn('undecodable stream entry: dead-lettered', { entryId: entry.id, error: entry.error });
    for (let attempt = 1; ; attempt++) {
      if (this.#kill.signal.aborted) return;
      try {
        const stored = await addDeadLetter(this.#db, {
          eventId: entry.eventId,
          guildId: entry.guildId,
          streamEntryId: entry.id,
          raw: entry.raw,
          reason: 'undecodable',
          detail: entry.error,
        });
        if (stored) this.metrics.deadLettered.inc({ reason: 'undecodable' });
        break;
      } catch (error) {
        this.metrics.errors.inc({ where: 'postgres' });
        this.#logger.error('could not store a dead letter, retrying', { error, attempt });
        await sleep(retryDelay(attempt, 200, 5_000), this.#kill.signal);
      }
    }
    this.metrics.events.inc({ outcome: 'dead_lettered' });
    await this.#ack([entry.id]).catch(() => {});
  }

  #track(promise: Promise<unknown>): void {
    const tracked = promise.catch((error) => {
      if (!(error instanceof Killed)) this.#logger.error('background task failed', { error });
    });
    this.#side.add(tracked);
    void tracked.finally(() => this.#side.delete(tracked));
  }

  /** XACKs entries (retrying through Redis hiccups) and forgets them. */
  async #ack(entryIds: string[]): Promise<void> {
    if (entryIds.length === 0) return;
    await this.#hooks.beforeAck?.(entryIds);
    for (let attempt = 1; ; attempt++) {
      if (this.#kill.signal.aborted) throw new Killed();
      try {
        await this.#redis.xack(this.streamKey, this.group, ...entryIds);
        break;
      } catch (error) {
        this.metrics.errors.inc({ where: 'redis' });
        this.#logger.error('XACK failed, retrying', { error, attempt });
        await sleep(retryDelay(attempt, 100, 5_000), this.#kill.signal);
      }
    }
    for (const id of entryIds) this.#held.delete(id);
    if (this.#held.size < this.#maxInFlight) for (const wake of this.#roomWaiters.splice(0)) wake();
  }

  // ---- claiming and keeping entries ----------------------------------------------------------

  #every(ms: number, task: () => Promise<unknown>, runNow = false): void {
    let running = false;
    const run = () => {
      if (running || this.#state !== 'running') return;
      running = true;
      task()
        .catch((error) => {
          this.metrics.errors.inc({ where: 'redis' });
          this.#logger.warn('periodic task failed', { error });
        })
        .finally(() => {
          running = false;
        });
    };
    const timer = setInterval(run, ms);
    timer.unref();
    this.#timers.push(timer);
    if (runNow) run();
  }

  /** Takes over entries idle at other consumers for claimIdleMs (their relay is presumed dead). */
  #claimSweep(): Promise<void> {
    if (this.#claiming) return this.#claiming;
    this.#claiming = (async () => {
      let cursor = '0-0';
      for (let page = 0; page < 20 && this.#state === 'running'; page++) {
        const reply = (await this.#redis.xautoclaim(
          this.streamKey,
          this.group,
          this.consumer,
          this.#claimIdleMs,
          cursor,
          'COUNT',
          this.#readCount,
        )) as [string, unknown, unknown?];
        const trimmed = Array.isArray(reply[2]) ? reply[2].length : 0;
        if (trimmed) {
          // Pending entries the stream's trimming removed before anyone delivered them.
          this.metrics.errors.inc({ where: 'trimmed_while_pending' }, trimmed);
          this.#logger.error('pending entries were trimmed from the stream before delivery', {
            count: trimmed,
          });
        }
        const entries = parseEntries(reply[1]).filter((e) => !this.#held.has(e.id));
        if (entries.length) {
          this.#logger.info('claimed idle entries', { count: entries.length });
          this.#dispatch(entries);
        }
        cursor = reply[0];
        if (cursor === '0-0') break;
      }
    })().finally(() => {
      this.#claiming = null;
    });
    return this.#claiming;
  }

  /** Resets the idle time of every entry this relay holds, so no other relay claims them. */
  async #refreshHeld(): Promise<void> {
    const ids = [...this.#held.keys()];
    for (let i = 0; i < ids.length; i += 500) {
      await this.#redis.xclaim(
        this.streamKey,
        this.group,
        this.consumer,
        0,
        ...ids.slice(i, i + 500),
        'JUSTID',
      );
    }
  }

  // ---- order across relays -------------------------------------------------------------------

  async #waitTurn(
    guildId: string,
    entryId: string,
  ): Promise<{ fence: string | null; horizon: string } | null> {
    let delay = this.#orderPollMs;
    for (;;) {
      if (this.#stop.signal.aborted) return null;
      if (this.#claiming) await this.#claiming.catch(() => {});
      // Everything up to `horizon` was handed out (to some consumer) before the check below, so it
      // is either pending there or done; entries read later may have gaps the check did not see.
      const horizon = this.#lastReadId;
      const oldest = await this.#oldestElsewhere(guildId);
      this.#logger.debug('order check', { guildId, entryId, oldestElsewhere: oldest, horizon });
      if (oldest === null || compareStreamIds(oldest, entryId) > 0) return { fence: oldest, horizon };
      this.metrics.orderWaits.inc();
      if (!(await sleep(delay, this.#stop.signal))) return null;
      delay = Math.min(delay * 2, 1_000);
    }
  }

  /**
   * The oldest pending entry of this guild held by another consumer, or null. One XPENDING summary
   * when this relay is the only one with pending entries (the usual case); otherwise the other
   * consumers' pending lists, with each entry's guild read once (XRANGE) and remembered.
   */
  async #oldestElsewhere(guildId: string): Promise<string | null> {
    const summary = (await this.#redis.xpending(this.streamKey, this.group)) as [
      number,
      string | null,
      string | null,
      [string, string][] | null,
    ];
    const others = (summary[3] ?? []).filter(([name, n]) => name !== this.consumer && Number(n) > 0);
    if (!summary[0] || others.length === 0) return null;
    let oldest: string | null = null;
    for (const [name, n] of others) {
      const rows = (await this.#redis.xpending(
        this.streamKey,
        this.group,
        '-',
        '+',
        Math.min(Number(n), 10_000),
        name,
      )) as [string, ...unknown[]][];
      const ids = rows.map((r) => r[0]);
      const unknown = ids.filter((id) => !this.#foreignGuilds.has(id));
      if (unknown.length) {
        const pipeline = this.#redis.pipeline();
        for (const id of unknown) pipeline.xrange(this.streamKey, id, id);
        const results = (await pipeline.exec()) ?? [];
        unknown.forEach((id, i) => {
          const [entry] = parseEntries(results[i]?.[1]);
          const decoded = entry ? decodeEntry(entry) : null;
          this.#foreignGuilds.set(
            id,
            decoded ? (decoded.ok ? decoded.event.data.guildId : decoded.guildId) : null,
          );
        });
        if (this.#foreignGuilds.size > 50_000) {
          for (const key of [...this.#foreignGuilds.keys()].slice(0, 10_000)) this.#foreignGuilds.delete(key);
        }
      }
      for (const id of ids) {
        if (this.#foreignGuilds.get(id) === guildId && (oldest === null || compareStreamIds(id, oldest) < 0))
          oldest = id;
      }
    }
    return oldest;
  }
}

function flatToObject(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(value)) return out;
  for (let i = 0; i + 1 < value.length; i += 2) out[String(value[i])] = value[i + 1];
  return out;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
