// Scheduled step: publishes outbox events the request path could not (Redis was down, or the Worker
// stopped before it got there), oldest first. A double publish is harmless: the relay drops
// duplicates by event id.
import { and, asc, isNull, lte } from 'drizzle-orm';
import { outbox } from '../../db/schema.ts';
import type { LockdownEvent } from '../../shared/events.ts';
import { publishEvents } from '../events/publish.ts';
import type { Services } from '../services.ts';

/** Younger rows are probably still being published by the request that wrote them. */
export const OUTBOX_GRACE_MS = 30_000;
const BATCH_SIZE = 100;

export async function publishStaleOutbox(
  services: Services,
  options: { now: Date; maxBatches: number },
): Promise<{ published: number; failed: number }> {
  let published = 0;
  const cutoff = new Date(options.now.getTime() - OUTBOX_GRACE_MS);
  for (let batch = 0; batch < options.maxBatches; batch += 1) {
    const rows = await services.db
      .select({ payload: outbox.payload })
      .from(outbox)
      .where(and(isNull(outbox.publishedAt), lte(outbox.createdAt, cutoff)))
      .orderBy(asc(outbox.createdAt))
      .limit(BATCH_SIZE);
    if (rows.length === 0) break;
    const result = await publishEvents(
      services.redis,
      services.db,
      rows.map((row) => row.payload as LockdownEvent),
    );
    if ('error' in result) return { published, failed: rows.length };
    published += result.published;
    if (rows.length < BATCH_SIZE) break;
  }
  return { published, failed: 0 };
}
