// Publishes outbox events to Redis (see event-stream.ts), then marks the outbox rows published. If
// Redis is unreachable the rows stay unpublished and the scheduled job sends them later, so a
// failure here loses nothing.
import { inArray, sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../db/edge.ts';
import { outbox } from '../../db/schema.ts';
import type { LockdownEvent } from '../../shared/events.ts';
import type { EventStream } from './event-stream.ts';

export type PublishResult = { published: number } | { published: 0; error: string };

export async function publishEvents(
  services: { eventStream: EventStream; db: EdgeDatabase },
  events: readonly LockdownEvent[],
): Promise<PublishResult> {
  const { eventStream, db } = services;
  if (events.length === 0) return { published: 0 };
  const ids = events.map((event) => event.eventId);
  try {
    await eventStream.append(events);
  } catch (error) {
    await db
      .update(outbox)
      .set({ publishAttempts: sql`${outbox.publishAttempts} + 1` })
      .where(inArray(outbox.eventId, ids))
      .catch(() => {});
    return { published: 0, error: error instanceof Error ? error.message : String(error) };
  }
  // If this update is lost, the scheduler publishes again and the relay drops the duplicate by eventId.
  await db.update(outbox).set({ publishedAt: new Date() }).where(inArray(outbox.eventId, ids));
  return { published: events.length };
}
