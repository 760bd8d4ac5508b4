// Per-guild order by the events' own numbers (`sequence`, given with each outbox row), across a
// Redis blip: when a lane's next event is N+1 and N was neither taken by the lane nor is known to be
// handled, N's publish may have failed while later ones went through (the scheduler republishes it
// only ~30 s later). The lane then waits a bounded time for N to reach it; a late N queued behind
// (republished, so with a newer stream id) is moved to the front; after the bound, numbers still
// unpublished and unhandled are read from the outbox and go first, as items with no stream entry of
// their own (recorded like any other, so the republished entry is later acked as a duplicate).
// A number found nowhere (no outbox row yet) is counted and passed over: a lane never waits longer
// than the bound. Published rows not handled yet are on the stream (the order gate covers those held
// by another relay) or were skipped (no mod-log then), which leaves no trace: neither is waited for.
// Events of a type this relay does not know never reach a lane: their numbers count as done when
// read (`passed`), and an unpublished one in the outbox is not waited for (it would be acked unposted).
import { decodeEvent, encodeEvent } from '../../shared/events.ts';
import type { WorkItem } from '../delivery/work-item.ts';
import { forgetOldest } from '../forget-oldest.ts';
import type { Logger } from '../observability/log.ts';
import type { RelayMetrics } from '../observability/metrics.ts';
import type { RelayStore, SequencedRow } from '../store/relay-store.ts';
import { unknownEventOf } from '../stream/entries.ts';
import { sleep } from '../time.ts';

export interface SequenceCheckDeps {
  store: RelayStore;
  metrics: RelayMetrics;
  logger: Logger;
  /** How long a lane waits for a missing number before reading it from the outbox. */
  waitMs: number;
  stopSignal: AbortSignal;
}

/** How far back a lane that knows nothing of its guild (a new relay) looks for a missing number. */
const LOOKBACK = 1_000;
const POLL_MS = 50;
const REMEMBERED_GUILDS = 50_000;
/** Numbers passed (unknown types) remembered per guild, beyond the last taken. */
const PASSED_PER_GUILD = 1_000;

export class SequenceCheck {
  readonly #d: SequenceCheckDeps;
  /** Per guild: the highest number a lane took (for sending, skipping or setting aside). */
  readonly #taken = new Map<string, number>();
  /** Per guild: numbers of events not for a lane (unknown types), above the last taken. */
  readonly #passed = new Map<string, Set<number>>();

  constructor(deps: SequenceCheckDeps) {
    this.#d = deps;
  }

  /** The lane took these items, in order. */
  took(guildId: string, items: WorkItem[]): void {
    for (const item of items) {
      const n = item.event.sequence;
      if (n !== undefined && n > (this.#taken.get(guildId) ?? 0)) this.#taken.set(guildId, n);
    }
    forgetOldest(this.#taken, REMEMBERED_GUILDS, REMEMBERED_GUILDS / 5);
  }

  /** An event numbered `n` needs no lane (its type is unknown here): it counts as done for the order. */
  passed(guildId: string, n: number): void {
    if (n <= (this.#taken.get(guildId) ?? 0)) return;
    let set = this.#passed.get(guildId);
    if (!set) {
      set = new Set();
      this.#passed.set(guildId, set);
      forgetOldest(this.#passed, REMEMBERED_GUILDS, REMEMBERED_GUILDS / 5);
    }
    set.add(n);
    forgetOldest(set, PASSED_PER_GUILD, PASSED_PER_GUILD / 5);
  }

  /** The last number taken, moved past the passed numbers that follow it. */
  #lastTaken(guildId: string): number | undefined {
    let last = this.#taken.get(guildId);
    const set = this.#passed.get(guildId);
    if (last === undefined || !set) return last;
    while (set.delete(last + 1)) last++;
    for (const n of set) if (n <= last) set.delete(n);
    if (set.size === 0) this.#passed.delete(guildId);
    this.#taken.set(guildId, last);
    return last;
  }

  /**
   * Makes the queue's head the guild's next event: returns at once when it is (or carries no
   * number); otherwise waits (bounded) and reorders or fills `queue`. False when the relay is stopping.
   */
  async ready(guildId: string, queue: WorkItem[]): Promise<boolean> {
    const head = queue[0];
    const n = head?.event.sequence;
    if (!head || n === undefined || head.fromOutbox) return true;
    const last = this.#lastTaken(guildId);
    if (last !== undefined && n <= last + 1) return true;
    const after = last ?? Math.max(0, n - LOOKBACK);
    const deadline = Date.now() + this.#d.waitMs;
    for (let waited = false; ; waited = true) {
      if (this.#pullForward(queue, after, n)) return true;
      const rows = await this.#d.store.sequenceRange(guildId, after, n);
      const missing = rows.filter(
        (r) =>
          !r.handled &&
          !r.published &&
          !this.#passed.get(guildId)?.has(r.sequence) &&
          !unknownEventOf(r.payload),
      );
      // Only a lane that knows the last number it took can tell a number is absent altogether.
      const absent = last === undefined ? 0 : n - last - 1 - rows.length;
      if (missing.length === 0 && absent <= 0) {
        this.#taken.set(guildId, Math.max(this.#taken.get(guildId) ?? 0, n - 1));
        return true;
      }
      if (!waited) this.#d.metrics.sequenceWaits.inc();
      const left = deadline - Date.now();
      if (left <= 0) {
        this.#fill(guildId, queue, head, missing, absent, n);
        return true;
      }
      if (!(await sleep(Math.min(POLL_MS, left), this.#d.stopSignal))) return false;
    }
  }

  /** Moves queued items numbered between `after` and `n` to the front, in order; true if any. */
  #pullForward(queue: WorkItem[], after: number, n: number): boolean {
    const late = queue.filter((i) => {
      const s = i.event.sequence;
      return s !== undefined && s > after && s < n && !i.fromOutbox;
    });
    if (late.length === 0) return false;
    late.sort((a, b) => (a.event.sequence as number) - (b.event.sequence as number));
    const rest = queue.filter((i) => !late.includes(i));
    queue.splice(0, queue.length, ...late, ...rest);
    return true;
  }

  /** After the bound: the missing rows from the outbox go first; numbers found nowhere are passed over. */
  #fill(guildId: string, queue: WorkItem[], head: WorkItem, rows: SequencedRow[], absent: number, n: number) {
    const items: WorkItem[] = [];
    for (const row of rows) {
      const decoded = decodeEvent(JSON.stringify(row.payload));
      if (!decoded.ok) continue; // the edge wrote it; the scheduler's republish dead-letters it
      // No stream entry of its own: it borrows the head's id for order, and is never acked.
      items.push({
        entryId: head.entryId,
        raw: encodeEvent(decoded.event),
        event: decoded.event,
        fromOutbox: true,
      });
    }
    queue.unshift(...items);
    if (items.length) this.#d.metrics.sequenceFetched.inc(items.length);
    if (absent > 0) {
      this.#d.metrics.sequenceGaps.inc(absent);
      this.#d.logger.warn('event numbers missing from the outbox: passed over', {
        guildId,
        before: n,
        absent,
      });
    }
    // What was filled is taken before the head; what is absent is given up.
    this.#taken.set(guildId, Math.max(this.#taken.get(guildId) ?? 0, n - 1));
  }
}
