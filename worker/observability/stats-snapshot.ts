// The Redis and SQL figures of `/stats` and `/metrics`, refreshed on a timer (the relay calls
// refresh() every statsRefreshMs) rather than per scrape: a scraper or a curl loop then costs the
// stream and the database nothing. A scrape before the first refresh waits for it; a failed refresh
// keeps the last figures (and throws only while there are none, so /stats answers 503 then).
import type { StreamFigures } from './relay-stats.ts';

export class StatsSnapshot {
  readonly #read: () => Promise<StreamFigures>;
  #figures: StreamFigures | null = null;
  #refreshing: Promise<StreamFigures> | null = null;

  constructor(read: () => Promise<StreamFigures>) {
    this.#read = read;
  }

  /** Reads the figures anew (one read at a time: a refresh asked for meanwhile joins it). */
  refresh(): Promise<StreamFigures> {
    this.#refreshing ??= this.#read()
      .then((figures) => {
        this.#figures = figures;
        return figures;
      })
      .finally(() => {
        this.#refreshing = null;
      });
    return this.#refreshing;
  }

  /** The last figures read; the first call waits for a read. */
  async figures(): Promise<StreamFigures> {
    return this.#figures ?? (await this.refresh());
  }
}
