// A lane's posted message whose record and ack are still being written. The lane may send its next
// message meanwhile (that is the point: Postgres and Redis round trips overlap the next send), but
// only one message trails at a time, and until the next one takes its place its events count as
// posted, so a dedupe check that raced its record still sees them.
export class RecordTrail {
  #eventIds = new Set<string>();
  #settling: Promise<void> | null = null;

  /** Whether the event is in the trailing message. */
  has(eventId: string): boolean {
    return this.#eventIds.has(eventId);
  }

  /** Resolves once the trailing message is recorded and acked (throws what that threw: Killed). */
  async settled(): Promise<void> {
    await this.#settling;
  }

  /** The message that now trails; call after {@link settled}. */
  follow(eventIds: Iterable<string>, settling: Promise<void>): void {
    this.#eventIds = new Set(eventIds);
    settling.catch(() => {}); // awaited by the lane's next settled()
    this.#settling = settling;
  }
}
