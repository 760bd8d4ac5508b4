// One guild's lane: its events in stream order, sent one message at a time so order is kept (the
// next message goes only after the previous one got its 2xx), while lanes of different guilds run
// side by side. A lane packs whatever queued up while its previous message was in flight
// (batching.ts), takes its turn from the order gate, replays dead letters, oldest first, before
// anything newer (the guild's parked events when `/modlog set` gives it a new webhook; the ones a
// `npm run dlq -- replay` request names, at that request's place in the stream), and hands each
// message to the delivery. Same-kind case events queued together are folded into digests
// (delivery/digest.ts) when the guild has a usable mod-log and batching is on.
import { createdAppealId } from '../../shared/appeal-components.ts';
import { messageLimits, planBatch } from '../delivery/batching.ts';
import { assignDigests, digestPartSize } from '../delivery/digest.ts';
import type { MessageDelivery } from '../delivery/message-delivery.ts';
import type { ModlogTargets } from '../delivery/modlog-targets.ts';
import type { Outcomes } from '../delivery/outcomes.ts';
import { RecordTrail } from '../delivery/record-trail.ts';
import { isModlogChange, isModlogSet, render, type WorkItem } from '../delivery/work-item.ts';
import { retryDelay } from '../discord/rate-limits.ts';
import type { Logger } from '../observability/log.ts';
import type { RelayMetrics } from '../observability/metrics.ts';
import { Killed } from '../persist.ts';
import type { DeadLetterRow, RelayStore } from '../store/relay-store.ts';
import { compareStreamIds, decodeEntry, insertSorted } from '../stream/entries.ts';
import type { InFlight } from '../stream/in-flight.ts';
import { sleep } from '../time.ts';
import type { OrderGate, Turn } from './order-gate.ts';
import type { SequenceCheck } from './sequence-check.ts';

/** What every lane of a relay shares. */
export interface LaneDeps {
  gate: OrderGate;
  /** Keeps a guild's numbered events in order through a failed publish. */
  sequences: SequenceCheck;
  /** Tells which entries another relay took from this one (they are dropped unsent). */
  inFlight: InFlight;
  delivery: MessageDelivery;
  targets: ModlogTargets;
  outcomes: Outcomes;
  store: RelayStore;
  metrics: RelayMetrics;
  logger: Logger;
  batching: boolean;
  /** The shortest run of same-kind case events folded into a digest (0: no digests). */
  digestMinRun: number;
  /** Aborts waits when the relay stops. */
  stopSignal: AbortSignal;
  /** Aborts everything when the relay is killed or out of shutdown time. */
  killSignal: AbortSignal;
}

export class GuildLane {
  readonly guildId: string;
  readonly queue: WorkItem[] = [];
  readonly #deps: LaneDeps;
  readonly #trail = new RecordTrail();
  /** Replay requests from `npm run dlq -- replay`, by stream entry. */
  readonly #replays: { entryId: string; deadLetterIds: string[] }[] = [];
  #running: Promise<void> | null = null;
  /** Called when the lane has run dry (the lane set forgets it). */
  #whenDry: () => void;

  constructor(guildId: string, deps: LaneDeps, whenDry: () => void) {
    this.guildId = guildId;
    this.#deps = deps;
    this.#whenDry = whenDry;
  }

  push(item: WorkItem): void {
    insertSorted(this.queue, item);
    this.#kick();
  }

  /** A replay request read from the stream: handled when the lane reaches its place. */
  requestReplay(entryId: string, deadLetterIds: string[]): void {
    insertSorted(this.#replays, { entryId, deadLetterIds });
    this.#kick();
  }

  get #busy(): boolean {
    return this.queue.length > 0 || this.#replays.length > 0;
  }

  /** Resolves when the lane has nothing in flight. */
  whenIdle(): Promise<void> {
    return this.#running ?? Promise.resolve();
  }

  #kick(): void {
    if (this.#running) return;
    // Start on a microtask, so a read's other entries are queued before the lane looks.
    this.#running = Promise.resolve()
      .then(() => this.#run())
      .finally(() => {
        this.#running = null;
        // An entry pushed while the loop was winding down must not wait for the next push.
        if (this.#busy && !this.#deps.stopSignal.aborted) this.#kick();
        else if (!this.#busy) this.#whenDry();
      });
  }

  async #run(): Promise<void> {
    const { metrics, logger, stopSignal, killSignal } = this.#deps;
    let failures = 0;
    try {
      while (this.#busy && !stopSignal.aborted) {
        try {
          const request = this.#replays[0];
          const head = this.queue[0];
          const next =
            request && (!head || compareStreamIds(request.entryId, head.entryId) < 0)
              ? this.#replayRequested(request)
              : this.#next();
          if (!(await next)) return;
          failures = 0;
        } catch (error) {
          if (error instanceof Killed || killSignal.aborted) return;
          failures++;
          metrics.errors.inc({ where: 'lane' });
          logger.error('lane error, retrying', { guildId: this.guildId, error, failures });
          if (!(await sleep(retryDelay(failures, 250, 10_000), stopSignal))) return;
        }
      }
    } finally {
      await this.#trail.settled().catch(() => {}); // the last message's record and ack (Killed: dropped)
    }
  }

  /** The next message of the queue, once its head is the guild's next event; false when stopping. */
  async #next(): Promise<boolean> {
    if (!(await this.#deps.sequences.ready(this.guildId, this.queue))) return false;
    return this.#step(this.queue, false);
  }

  /** Handles the next message's worth of `queue`; false when the relay is stopping. */
  async #step(queue: WorkItem[], replay: boolean): Promise<boolean> {
    const { gate, targets, batching } = this.#deps;
    const head = queue[0] as WorkItem;
    // The dedupe lookup of the likely next message runs alongside the order check.
    const candidates = [...new Set(queue.slice(0, messageLimits.maxEmbeds).map((i) => i.event.eventId))];
    const [turn, postedBefore] = await Promise.all([
      replay ? null : gate.waitTurn(this.guildId, head.entryId),
      this.#deps.store.deliveredEventIds(candidates),
    ]);
    // After a wait for another relay, or a replay, the lookup may be stale: delivery redoes it.
    let checked = new Set(turn?.waited ? [] : candidates);
    if (!replay) {
      if (!turn) return false;
      if (queue[0] !== head) return true; // an older entry (claimed from a dead relay) came first
      if (this.#dropLost()) return true;
    }
    if (!replay && isModlogChange(head.event) && !head.configApplied) {
      targets.invalidate(this.guildId);
      if (isModlogSet(head.event)) {
        if (!(await this.#replayParked())) return false;
        checked = new Set();
      }
      head.configApplied = true;
    }
    const target = await targets.get(this.guildId);
    const usable = target !== null && target.broken === null;
    const digests = usable && batching && this.#deps.digestMinRun > 0;
    if (digests) assignDigests(queue, this.#deps.digestMinRun);
    const plan = planBatch(queue, {
      maxItems: usable ? (batching ? messageLimits.maxEmbeds : 1) : 100,
      maxChars: usable ? messageLimits.maxChars : Number.POSITIVE_INFINITY,
      size: (item) => {
        const r = render(item);
        return 'size' in r ? r.size : 0;
      },
      isBarrier: (item) => (!replay && isModlogChange(item.event)) || beyond(item, turn),
      // An appeal's line goes alone: its message carries the appeal's Accept and Deny.
      isSolo: (item) => item.solo === true || createdAppealId(item.event) !== null,
      key: (item) => item.event.eventId,
      group: (item) => (digests ? (item.digestKey ?? null) : null),
      groupSize: digestPartSize,
    });
    const items = queue.splice(0, plan.take);
    if (!replay) this.#deps.sequences.took(this.guildId, items);
    try {
      if (!target) {
        await this.#trail.settled();
        await this.#deps.outcomes.finish(items, 'skipped');
        return true;
      }
      if (target.broken) {
        await this.#trail.settled();
        const since = target.broken.at.toISOString();
        const why = `mod-log webhook marked broken since ${since}: ${target.broken.reason ?? 'invalid'}`;
        await this.#deps.outcomes.setAside(items, 'webhook_invalid', why);
        return true;
      }
      return await this.#deps.delivery.deliver({
        items,
        parts: plan.parts.map((p) => ({
          items: p.indexes.map((i) => items[i] as WorkItem),
          digest: p.group !== null,
          header: p.header,
        })),
        target,
        queue,
        checked,
        postedBefore,
        trail: this.#trail,
      });
    } catch (error) {
      for (const item of items) if (!item.done) insertSorted(queue, item);
      throw error;
    }
  }

  /** Drops queued entries another relay took over; true when it dropped any. */
  #dropLost(): boolean {
    const { inFlight } = this.#deps;
    if (inFlight.lostCount === 0) return false;
    const before = this.queue.length;
    const kept = this.queue.filter(
      (item) => item.deadLetterId || item.fromOutbox || !inFlight.isLost(item.entryId),
    );
    if (kept.length === before) return false;
    this.queue.splice(0, before, ...kept);
    return true;
  }

  /** Replays the guild's parked events, oldest first, before anything newer; false when stopping. */
  async #replayParked(): Promise<boolean> {
    await this.#trail.settled();
    return this.#replayRows(await this.#deps.store.parkedEvents(this.guildId), 'parked');
  }

  /**
   * A `npm run dlq -- replay` request at the head of the lane: once the order gate gives the
   * request's entry its turn, the dead letters it names (still waiting) are replayed, oldest first,
   * then the request is acked. False when stopping.
   */
  async #replayRequested(request: { entryId: string; deadLetterIds: string[] }): Promise<boolean> {
    const { gate, store, targets, outcomes, logger } = this.#deps;
    const turn = await gate.waitTurn(this.guildId, request.entryId);
    if (!turn) return false;
    const head = this.queue[0];
    if (head && compareStreamIds(head.entryId, request.entryId) < 0) return true; // an older entry came
    await this.#trail.settled();
    const target = await targets.get(this.guildId);
    if (!target || target.broken) {
      // The CLI checked; the mod-log went away since. The dead letters stay waiting.
      logger.warn('replay request skipped: the mod-log is off or broken', { guildId: this.guildId });
    } else {
      const rows = await store.waitingDeadLetters(this.guildId, request.deadLetterIds);
      if (!(await this.#replayRows(rows, 'requested'))) return false;
    }
    await outcomes.ackEntries([request.entryId]);
    this.#replays.shift();
    return true;
  }

  /** Sends dead letters through the lane, oldest first; false when stopping. */
  async #replayRows(rows: DeadLetterRow[], why: 'parked' | 'requested'): Promise<boolean> {
    const { targets, logger, stopSignal } = this.#deps;
    if (rows.length === 0) return true;
    const items: WorkItem[] = [];
    for (const row of rows) {
      const decoded = decodeEntry({ id: row.streamEntryId, fields: ['event', row.raw] });
      if (decoded.ok && decoded.event)
        items.push({ entryId: row.streamEntryId, raw: row.raw, event: decoded.event, deadLetterId: row.id });
    }
    logger.info('replaying dead letters', { guildId: this.guildId, count: items.length, why });
    while (items.length > 0) {
      if (stopSignal.aborted) return false;
      if (!(await this.#step(items, true))) return false;
      await this.#trail.settled();
      const target = await targets.get(this.guildId);
      if (!target || target.broken) break; // still unusable: the rest stays parked
    }
    return true;
  }
}

/** An entry the turn does not cover: at or past the fence, or read after the order check. */
function beyond(item: WorkItem, turn: Turn | null): boolean {
  if (!turn) return false;
  return (
    (turn.fence !== null && compareStreamIds(item.entryId, turn.fence) > 0) ||
    compareStreamIds(item.entryId, turn.horizon) > 0
  );
}
