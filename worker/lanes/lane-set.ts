// The relay's lanes, one per guild with events in progress: decoded entries from the stream
// consumer go to their guild's lane (created on demand, forgotten when it runs dry), replay requests
// too; entries that cannot be decoded go straight to the dead-letter store; events of a type this
// relay does not know are acked at once, their numbers marked done for the guild's order.
import type { Outcomes } from '../delivery/outcomes.ts';
import type { Logger } from '../observability/log.ts';
import { Killed } from '../persist.ts';
import type { EntrySink } from '../stream/consumer.ts';
import type { DecodedEntry } from '../stream/entries.ts';
import { GuildLane, type LaneDeps } from './guild-lane.ts';

export class LaneSet implements EntrySink {
  readonly #deps: LaneDeps;
  readonly #outcomes: Outcomes;
  readonly #logger: Logger;
  readonly #lanes = new Map<string, GuildLane>();
  readonly #side = new Set<Promise<unknown>>();

  constructor(deps: LaneDeps) {
    this.#deps = deps;
    this.#outcomes = deps.outcomes;
    this.#logger = deps.logger;
  }

  accept(entries: DecodedEntry[], redelivered = false): void {
    for (const entry of entries) {
      if (!entry.ok) {
        this.#track(this.#outcomes.undecodable(entry));
        continue;
      }
      if (entry.unknown) {
        const { guildId, sequence } = entry.unknown;
        if (guildId !== null && sequence !== null) this.#deps.sequences.passed(guildId, sequence);
        this.#track(this.#outcomes.unknown(entry));
        continue;
      }
      const guildId = entry.replay ? entry.replay.guildId : entry.event.data.guildId;
      let lane = this.#lanes.get(guildId);
      if (!lane) {
        const created: GuildLane = new GuildLane(guildId, this.#deps, () => {
          if (this.#lanes.get(guildId) === created) this.#lanes.delete(guildId);
        });
        lane = created;
        this.#lanes.set(guildId, lane);
      }
      if (entry.replay) lane.requestReplay(entry.id, entry.replay.deadLetterIds);
      else
        lane.push({
          entryId: entry.id,
          raw: entry.raw,
          event: entry.event,
          uncertain: redelivered || undefined,
        });
    }
  }

  get size(): number {
    return this.#lanes.size;
  }

  /** Resolves when every lane and side task has nothing in flight. */
  async whenIdle(): Promise<void> {
    await Promise.all([...[...this.#lanes.values()].map((lane) => lane.whenIdle()), ...this.#side]);
  }

  #track(promise: Promise<unknown>): void {
    const tracked = promise.catch((error) => {
      if (!(error instanceof Killed)) this.#logger.error('background task failed', { error });
    });
    this.#side.add(tracked);
    void tracked.finally(() => this.#side.delete(tracked));
  }
}
