// The relay: reads `lockdown:events` through a consumer group and posts each guild's events to its
// mod-log webhook. This module only composes the parts and runs their lifecycle (start, stop, kill,
// health, stats); see docs/ARCHITECTURE.md for the design. The parts, each handed what it needs:
//   stream/   the consumer (read, re-read own pending, claim, refresh held), the in-flight set, the acker
//   lanes/    one lane per guild, the set of lanes, the order gate across relays
//   delivery/ planning, sending, recording and settling a message; reason edits; mod-log targets
//   store/    every Postgres read and write;  observability/  metrics, stats, logs
//
// Delivery is at-least-once with dedupe: an entry is XACKed only after Discord answered 2xx and the
// event's modlog_deliveries row is written (or after it went to the dead-letter store); a redelivered
// entry whose event already has a row is acked without posting, and one without a row (its relay
// died between Discord's 2xx and the record) or a retry after a timeout / 5xx is first looked for in
// the channel by its footer reference (delivery/posted-check.ts). A guild's numbered events go in
// number order: a late one (its publish failed) is waited for, then read from the outbox
// (lanes/sequence-check.ts).
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { decodeEvent, EVENT_STREAM_KEY, RELAY_CONSUMER_GROUP } from '../shared/events.ts';
import { CaseEditor } from './delivery/case-editor.ts';
import { DIGEST_MIN_RUN } from './delivery/digest.ts';
import { MessageDelivery } from './delivery/message-delivery.ts';
import { ModlogTargets } from './delivery/modlog-targets.ts';
import { Outcomes } from './delivery/outcomes.ts';
import { PostedCheck } from './delivery/posted-check.ts';
import { isModlogChange } from './delivery/work-item.ts';
import type { AttemptInfo, CallOptions, WebhookClient } from './discord/webhook-client.ts';
import { LaneSet } from './lanes/lane-set.ts';
import { OrderGate } from './lanes/order-gate.ts';
import { SequenceCheck } from './lanes/sequence-check.ts';
import { type Logger, silentLogger } from './observability/log.ts';
import { createRelayMetrics, type RelayMetrics } from './observability/metrics.ts';
import { type RelayStats, readCounts, readStreamFigures, setGauges } from './observability/relay-stats.ts';
import { StatsSnapshot } from './observability/stats-snapshot.ts';
import { Persister } from './persist.ts';
import { RelayStore } from './store/relay-store.ts';
import { Acker } from './stream/acker.ts';
import { StreamConsumer } from './stream/consumer.ts';
import { InFlight } from './stream/in-flight.ts';
import { Periodic, sleep } from './time.ts';

export type { RelayStats } from './observability/relay-stats.ts';

import type { RelayOptions } from './relay-options.ts';

export type { RelayHooks, RelayOptions } from './relay-options.ts';

export interface RelayHealth {
  ok: boolean;
  redis: boolean;
  loop: boolean;
}

/** The pub/sub channel of `audit:logged` events (event types double as channel names). */
const MODLOG_CHANGES_CHANNEL = 'audit:logged';

export class Relay {
  readonly streamKey: string;
  readonly group: string;
  readonly consumer: string;
  readonly metrics: RelayMetrics;
  readonly #redis: Redis;
  readonly #discord: WebhookClient;
  readonly #logger: Logger;
  readonly #blockMs: number;
  readonly #shutdownTimeoutMs: number;
  readonly #keepAliveMs: number;
  readonly #stop = new AbortController();
  readonly #kill = new AbortController();
  readonly #inFlight: InFlight;
  readonly #targets: ModlogTargets;
  readonly #lanes: LaneSet;
  readonly #consumer: StreamConsumer;
  readonly #periodic: Periodic;
  readonly #snapshot: StatsSnapshot;
  readonly #statsRefreshMs: number;
  #subscriber: Redis | null = null;
  #startedAt = 0;
  #state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';

  constructor(options: RelayOptions) {
    this.#redis = options.redis;
    this.#discord = options.discord;
    this.streamKey = options.streamKey ?? EVENT_STREAM_KEY;
    this.group = options.group ?? RELAY_CONSUMER_GROUP;
    this.consumer = options.consumer ?? `${hostname()}-${process.pid}`;
    this.#blockMs = options.blockMs ?? 5_000;
    this.#shutdownTimeoutMs = options.shutdownTimeoutMs ?? 25_000;
    this.#keepAliveMs = options.keepAliveMs ?? 30_000;
    const logger = options.logger ?? silentLogger;
    this.#logger = logger;
    const metrics = createRelayMetrics();
    this.metrics = metrics;
    const store = new RelayStore(options.db);
    const stopSignal = this.#stop.signal;
    const killSignal = this.#kill.signal;
    const stream = { redis: this.#redis, streamKey: this.streamKey, group: this.group };
    const persister = new Persister({ killSignal, logger, metrics });
    this.#inFlight = new InFlight(options.maxInFlight ?? 2_000);
    const acker = new Acker({ ...stream, inFlight: this.#inFlight, persister, hooks: options.hooks });
    const outcomes = new Outcomes({ store, acker, persister, metrics, logger });
    this.#targets = new ModlogTargets({ store, persister, logger, ttlMs: options.configTtlMs ?? 60_000 });
    const call = discordCallOptions(metrics, stopSignal, {
      baseMs: options.retryBaseMs ?? 1_000,
      maxMs: options.retryMaxMs ?? 60_000,
      maxAttempts: options.maxAttempts ?? 8,
    });
    const common = {
      store,
      discord: this.#discord,
      call,
      targets: this.#targets,
      persister,
      metrics,
      logger,
    };
    const postedCheck = new PostedCheck({
      discord: this.#discord,
      store,
      metrics,
      logger,
      signal: stopSignal,
    });
    const delivery = new MessageDelivery({
      ...common,
      outcomes,
      postedCheck,
      // The consumer is built below (it needs the lanes); a send asks it only once running.
      ownership: {
        mayHaveLapsed: () => this.#consumer.mayHaveLapsed(),
        lostAmong: (ids) => this.#consumer.lostAmong(ids),
      },
      caseEditor: new CaseEditor(common),
    });
    // The consumer needs the lanes (its sink) and the gate needs the consumer (its claim sweep).
    const claims = { claimSettled: () => this.#consumer.claimSettled() };
    const gate = new OrderGate({
      ...stream,
      consumer: this.consumer,
      inFlight: this.#inFlight,
      claims,
      metrics,
      logger,
      pollMs: options.orderPollMs ?? 50,
      stopSignal,
    });
    const sequences = new SequenceCheck({
      store,
      metrics,
      logger,
      waitMs: options.orderWaitMs ?? 2_000,
      stopSignal,
    });
    this.#lanes = new LaneSet({
      gate,
      sequences,
      inFlight: this.#inFlight,
      delivery,
      targets: this.#targets,
      outcomes,
      store,
      metrics,
      logger,
      batching: options.batching ?? true,
      digestMinRun: options.digestMinRun ?? DIGEST_MIN_RUN,
      stopSignal,
      killSignal,
    });
    this.#consumer = new StreamConsumer({
      ...stream,
      consumer: this.consumer,
      blockMs: this.#blockMs,
      claimIdleMs: options.claimIdleMs ?? 60_000,
      heartbeatMs: options.heartbeatMs ?? 1_000,
      heartbeatTtlMs: options.heartbeatTtlMs ?? 5_000,
      sweepMs: options.sweepMs ?? 2_000,
      readCount: options.readCount ?? 100,
      inFlight: this.#inFlight,
      sink: this.#lanes,
      metrics,
      logger,
      stopSignal,
    });
    this.#statsRefreshMs = options.statsRefreshMs ?? 5_000;
    this.#snapshot = new StatsSnapshot(() =>
      readStreamFigures({ redis: this.#redis, store, metrics, ...this.#names() }),
    );
    this.#periodic = new Periodic((error) => {
      metrics.errors.inc({ where: 'redis' });
      logger.warn('periodic task failed', { error });
    });
  }

  /** Creates the group if needed, re-reads this consumer's pending entries and starts consuming. */
  async start(): Promise<void> {
    if (this.#state !== 'new') throw new Error('a relay starts once');
    // Both throw while Redis is unreachable; start() may then be called again.
    await this.#consumer.ensureGroup();
    await this.#listenForModlogChanges();
    this.#state = 'running';
    this.#startedAt = Date.now();
    this.#consumer.start();
    this.#periodic.every(this.#keepAliveMs, () => this.#redis.ping());
    this.#periodic.every(60_000, async () => this.#discord.limiter.prune());
    this.#periodic.every(this.#statsRefreshMs, () => this.#snapshot.refresh(), { runNow: true });
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
    this.#halt();
    const finished = await Promise.race([
      this.#lanes.whenIdle().then(() => true),
      sleep(this.#shutdownTimeoutMs).then(() => false),
    ]);
    if (!finished) this.#logger.warn('shutdown timeout: abandoning in-flight work (it stays pending)', {});
    this.#kill.abort();
    await this.#consumer.finished();
    await this.#consumer.leave().catch(() => {}); // else the heartbeat simply expires
    this.#inFlight.clear();
    this.#state = 'stopped';
    this.#logger.info('relay stopped', { consumer: this.consumer });
  }

  /** Stops at once, as if the process died: nothing more is sent, written or acked. For tests. */
  kill(): void {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    this.#kill.abort();
    this.#halt();
  }

  #halt(): void {
    this.#stop.abort();
    this.#periodic.clear();
    this.#consumer.stop();
    this.#subscriber?.disconnect();
  }

  /** Redis answers and the consumer loop is alive. */
  async health(): Promise<RelayHealth> {
    const redis = await withTimeout(this.#redis.ping(), 1_000).then(
      (reply) => reply === 'PONG',
      () => false,
    );
    const loop = this.#state === 'running' && Date.now() - this.#consumer.lastLoopAt < this.#blockMs + 15_000;
    return { ok: redis && loop, redis, loop };
  }

  /** The stream figures as of the last refresh (every statsRefreshMs), and this relay's live counts. */
  async stats(): Promise<RelayStats> {
    const [figures, counts] = await Promise.all([
      this.#snapshot.figures(),
      readCounts(this.metrics, {
        inFlight: this.#inFlight.size,
        lanes: this.#lanes.size,
        startedAt: this.#startedAt,
      }),
    ]);
    return { ...figures, ...counts };
  }

  /** The Prometheus text for `/metrics`. */
  async metricsText(): Promise<string> {
    setGauges(this.metrics, await this.stats());
    return this.metrics.registry.metrics();
  }

  /** The content type of {@link metricsText}. */
  get metricsContentType(): string {
    return this.metrics.registry.contentType;
  }

  #names() {
    return { streamKey: this.streamKey, group: this.group, consumer: this.consumer };
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
      if (decoded.ok && isModlogChange(decoded.event)) this.#targets.invalidate(decoded.event.data.guildId);
    });
    try {
      await subscriber.subscribe(MODLOG_CHANGES_CHANNEL);
    } catch (error) {
      subscriber.disconnect();
      throw error;
    }
    this.#subscriber = subscriber;
  }
}

/** How lanes call Discord: the retry policy, the stop signal, and the metrics of each attempt. */
function discordCallOptions(
  metrics: RelayMetrics,
  signal: AbortSignal,
  retry: CallOptions['retry'],
): CallOptions {
  return {
    retry,
    signal,
    onAttempt: (info: AttemptInfo) => {
      metrics.requests.inc({ route: info.route, status: String(info.status) });
      if (info.status === 429) metrics.rateLimited.inc({ route: info.route });
      else if (typeof info.status !== 'number' || info.status >= 400)
        metrics.failures.inc({ route: info.route });
    },
    onWait: (reason) => metrics.waits.inc({ reason }),
  };
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
