// Publishes outbox events to Redis as DESIGN.md lays out: per event, XADD to the stream the relay
// reads and PUBLISH on the event's channel, all in one MULTI so no listener sees one without the
// other; then marks the outbox rows published. If Redis is unreachable the rows stay unpublished and
// the scheduled job sends them later, so a failure here loses nothing.
import type { Redis } from '@upstash/redis/cloudflare';
import { inArray, sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../db/edge.ts';
import { outbox } from '../../db/schema.ts';
import {
  EVENT_STREAM_FIELD,
  EVENT_STREAM_KEY,
  encodeEvent,
  type LockdownEvent,
} from '../../shared/events.ts';

export type PublishResult = { published: number } | { published: 0; error: string };

export async function publishEvents(
  redis: Redis,
  db: EdgeDatabase,
  events: readonly LockdownEvent[],
): Promise<PublishResult> {
  if (events.length === 0) return { published: 0 };
  const ids = events.map((event) => event.eventId);
  try {
    const transaction = redis.multi();
    for (const event of events) {
      const json = encodeEvent(event);
      transaction.xadd(EVENT_STREAM_KEY, '*', { [EVENT_STREAM_FIELD]: json });
      transaction.publish(event.eventType, json);
    }
    await transaction.exec();
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
