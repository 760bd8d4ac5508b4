// How an event's trip ends, written so it survives a restart: finished (delivered, already posted,
// or the guild has no mod-log: ack the entry, mark a replay replayed, and for a skipped event mark
// its outbox row published, its only trace) or set aside in the
// dead-letter store (parked while the webhook is invalid, or dead-lettered for good), then acked.
// An event of a type this relay does not know is acked and counted, never dead-lettered: a newer
// edge's event is no fault, and an older relay running beside it must not pile it up.
import type { DeadLetterReason } from '../../db/schema.ts';
import type { Logger } from '../observability/log.ts';
import type { RelayMetrics } from '../observability/metrics.ts';
import type { Persister } from '../persist.ts';
import type { RelayStore } from '../store/relay-store.ts';
import type { Acker } from '../stream/acker.ts';
import type { DecodedEntry } from '../stream/entries.ts';
import { firstOfEachEvent, type WorkItem } from './work-item.ts';

export type FinishedOutcome = 'delivered' | 'duplicate' | 'skipped';

export interface OutcomesDeps {
  store: RelayStore;
  acker: Acker;
  persister: Persister;
  metrics: RelayMetrics;
  logger: Logger;
}

/** Distinct `event_type` labels of the unknown-events counter; later types count as "other". */
const UNKNOWN_TYPE_LABELS = 20;

export class Outcomes {
  readonly #d: OutcomesDeps;
  /** Unknown event types seen (each logged once), up to {@link UNKNOWN_TYPE_LABELS}. */
  readonly #unknownTypes = new Set<string>();

  constructor(deps: OutcomesDeps) {
    this.#d = deps;
  }

  /** Done without an error: ack stream entries, mark replays replayed. */
  async finish(items: WorkItem[], outcome: FinishedOutcome): Promise<void> {
    if (items.length === 0) return;
    if (outcome === 'skipped') {
      // Skipping leaves no trace; an unmarked outbox row (the edge died before marking it) would be
      // republished, or read back as a late event, and posted once the guild has a mod-log.
      const ids = firstOfEachEvent(items).map((i) => i.event.eventId);
      await this.#d.persister.write('postgres', 'marking skipped events published', () =>
        this.#d.store.markSeenPublished(ids),
      );
    }
    const replays = items.filter((i) => i.deadLetterId).map((i) => i.deadLetterId as string);
    if (replays.length)
      await this.#d.persister.write('postgres', 'marking replays replayed', () =>
        this.#d.store.markReplayed(replays),
      );
    await this.#ackStream(items);
    this.#d.metrics.events.inc({ outcome }, items.length);
  }

  /**
   * Into the dead-letter store, then acked. Parked (`webhook_invalid`): a replay being parked again
   * keeps its row. Any other reason: a replay's row is closed and the event stored anew, once.
   */
  async setAside(items: WorkItem[], reason: DeadLetterReason, detail: string | null): Promise<void> {
    if (items.length === 0) return;
    const parking = reason === 'webhook_invalid';
    for (const item of firstOfEachEvent(items)) {
      if (item.deadLetterId && parking) continue;
      if (item.deadLetterId) {
        const id = item.deadLetterId;
        await this.#d.persister.write('postgres', 'closing a replayed dead letter', () =>
          this.#d.store.markReplayed([id]),
        );
      }
      await this.#deadLetterOf(item, reason, detail);
    }
    for (const item of items) if (item.deadLetterId) item.done = true;
    await this.#ackStream(items);
    this.#d.metrics.events.inc({ outcome: parking ? 'parked' : 'dead_lettered' }, items.length);
  }

  /** Stream entries that carry no event (replay requests), once handled. */
  ackEntries(entryIds: string[]): Promise<void> {
    return this.#d.acker.ack(entryIds);
  }

  /** An entry the relay cannot read: into the dead-letter store as `undecodable`, then acked. */
  async undecodable(entry: Extract<DecodedEntry, { ok: false }>): Promise<void> {
    this.#d.logger.warn('undecodable stream entry: dead-lettered', { entryId: entry.id, error: entry.error });
    await this.#storeLetter({
      eventId: entry.eventId,
      guildId: entry.guildId,
      streamEntryId: entry.id,
      raw: entry.raw,
      reason: 'undecodable',
      detail: entry.error,
    });
    this.#d.metrics.events.inc({ outcome: 'dead_lettered' });
    await this.#d.acker.ack([entry.id]);
  }

  /** An event of a type this relay does not know: counted, logged once per type, acked. */
  async unknown(entry: Extract<DecodedEntry, { unknown: object }>): Promise<void> {
    const type = entry.unknown.eventType;
    let label = 'other';
    if (this.#unknownTypes.has(type)) label = type;
    else if (this.#unknownTypes.size < UNKNOWN_TYPE_LABELS) {
      this.#unknownTypes.add(type);
      label = type;
      this.#d.logger.warn(
        'event type unknown to this relay: acked without a post (is the relay older than the edge?)',
        {
          eventType: type,
          eventId: entry.unknown.eventId,
        },
      );
    }
    this.#d.metrics.unknownEvents.inc({ event_type: label });
    await this.#d.acker.ack([entry.id]);
  }

  #deadLetterOf(item: WorkItem, reason: DeadLetterReason, detail: string | null): Promise<void> {
    return this.#storeLetter({
      eventId: item.event.eventId,
      guildId: item.event.data.guildId,
      streamEntryId: item.entryId,
      raw: item.raw,
      reason,
      detail,
    });
  }

  async #storeLetter(letter: Parameters<RelayStore['addDeadLetter']>[0]): Promise<void> {
    const stored = await this.#d.persister.write('postgres', 'storing a dead letter', () =>
      this.#d.store.addDeadLetter(letter),
    );
    if (stored) this.#d.metrics.deadLettered.inc({ reason: letter.reason });
  }

  async #ackStream(items: WorkItem[]): Promise<void> {
    const stream = items.filter((i) => !i.deadLetterId && !i.fromOutbox && !i.done);
    if (stream.length) await this.#d.acker.ack(stream.map((i) => i.entryId));
    for (const item of items) item.done = true;
  }
}
