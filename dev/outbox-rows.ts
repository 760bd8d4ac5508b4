// Writes events straight into the outbox, as the edge would have, for the relay's tests and
// benchmarks: `published` says whether their XADD went through (a row left unpublished is an event
// Redis missed, which the relay must fetch from here to keep a guild's order).
import type { NodeDatabase } from '../db/node.ts';
import { outbox } from '../db/schema.ts';
import type { LockdownEvent } from '../shared/events.ts';

export async function writeOutboxRows(
  db: NodeDatabase,
  events: readonly LockdownEvent[],
  published: boolean,
): Promise<void> {
  if (events.length === 0) return;
  await db.insert(outbox).values(
    events.map((event) => ({
      eventId: event.eventId,
      guildId: event.data.guildId,
      eventType: event.eventType,
      payload: event,
      sequence: event.sequence ?? null,
      publishedAt: published ? new Date() : null,
    })),
  );
}
