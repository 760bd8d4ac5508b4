// The record of every REST request the stand-in received, so tests can assert on exactly what the bot
// or relay sent (method, path, query, headers, audit-log reason, body) and on what it was answered.
// Many test files share one stand-in, so reads filter by a path substring and a sequence number.
import type { RecordedRequest } from './types.ts';

/** Enough for a long local session; the oldest entries go first. */
const DEFAULT_CAPACITY = 100_000;

export interface RequestQuery {
  /** Substring of the path (without /api/v10 and query). */
  contains?: string | null;
  /** Only requests with a larger sequence number. */
  since?: number | null;
  method?: string | null;
}

export class RequestLog {
  readonly #entries: RecordedRequest[] = [];
  readonly #capacity: number;
  #seq = 0;

  constructor(capacity: number = DEFAULT_CAPACITY) {
    this.#capacity = capacity;
  }

  /** Stores a request on arrival; the caller fills in `status` once it has answered. */
  record(entry: Omit<RecordedRequest, 'seq' | 'status'>): RecordedRequest {
    const recorded: RecordedRequest = { seq: ++this.#seq, ...entry, status: 0 };
    this.#entries.push(recorded);
    if (this.#entries.length > this.#capacity) this.#entries.splice(0, this.#entries.length - this.#capacity);
    return recorded;
  }

  /** Matching requests in arrival order, as copies so callers cannot change the log. */
  find(query: RequestQuery = {}): RecordedRequest[] {
    const method = query.method?.toUpperCase();
    return this.#entries
      .filter(
        (entry) =>
          (query.since === undefined || query.since === null || entry.seq > query.since) &&
          (!query.contains || entry.path.includes(query.contains)) &&
          (!method || entry.method === method),
      )
      .map((entry) => structuredClone(entry));
  }

  get lastSeq(): number {
    return this.#seq;
  }
}
