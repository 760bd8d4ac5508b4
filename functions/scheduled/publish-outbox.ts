// Scheduled steps that keep the event pipeline whole:
// - the events recorded by this tick's jobs are published together, 100 per Redis round trip;
// - outbox events the request path could not publish (Redis was down, or the Worker stopped before it
//   got there) are published oldest first once they are OUTBOX_GRACE_MS old.
// A double publish is harmless: the relay drops duplicates by event id. A failed publish leaves the
// rows unpublished (publish_attempts counts the tries) for the next tick.
import { and, asc, inArray, isNull, lte } from 'drizzle-orm';
import { outbox } from '../../db/schema.ts';
import type { LockdownEvent } from '../../shared/events.ts';
import { publishEvents } from '../events/publish.ts';
import { type Budget, SUBREQUEST_COST } from './budget.ts';
import { metered, type TickContext } from './context.ts';

/** Younger rows are probably still being published by the request that wrote them. */
export const OUTBOX_GRACE_MS = 30_000;
/** Events per MULTI: one Redis round trip and one database update each. */
export const PUBLISH_BATCH_SIZE = 100;
const { db: DB, redis: REDIS } = SUBREQUEST_COST;
/** One batch of stale rows: read them, MULTI, mark them published (or count the failed try). */
export const OUTBOX_BATCH_COST = DB + REDIS + DB;
/** Publishing events already in hand: MULTI, then the update. */
export const PUBLISH_BATCH_COST = REDIS + DB;

export interface PublishReport {
  published: number;
  failed: number;
}

/** Publishes events recorded this tick (already in the outbox), in batches, while the budget lasts. */
export async function publishRecorded(
  tick: Pick<TickContext, 'openServices' | 'events'>,
  budget: Budget,
): Promise<PublishReport> {
  const { events } = tick;
  const report: PublishReport = { published: 0, failed: 0 };
  for (let start = 0; start < events.length; start += PUBLISH_BATCH_SIZE) {
    const batch = events.slice(start, start + PUBLISH_BATCH_SIZE);
    // Whatever is left stays in the outbox; the next tick's stale-row step sends it.
    if (!budget.take(PUBLISH_BATCH_COST)) {
      report.failed += events.length - start;
      break;
    }
    const result = await metered(tick, budget, PUBLISH_BATCH_COST, (services) =>
      publishEvents(services, batch),
    );
    if ('error' in result) {
      report.failed += events.length - start;
      break;
    }
    report.published += result.published;
  }
  return report;
}

export async function publishStaleOutbox(
  tick: Pick<TickContext, 'openServices' | 'now' | 'guildIds'>,
  budget: Budget,
): Promise<PublishReport> {
  const report: PublishReport = { published: 0, failed: 0 };
  const cutoff = new Date(tick.now.getTime() - OUTBOX_GRACE_MS);
  const { guildIds } = tick;
  while (budget.take(OUTBOX_BATCH_COST)) {
    const result = await metered(tick, budget, OUTBOX_BATCH_COST, async (services) => {
      const rows = await services.db
        .select({ payload: outbox.payload })
        .from(outbox)
        .where(
          and(
            isNull(outbox.publishedAt),
            lte(outbox.createdAt, cutoff),
            guildIds ? inArray(outbox.guildId, [...guildIds]) : undefined,
          ),
        )
        .orderBy(asc(outbox.createdAt))
        .limit(PUBLISH_BATCH_SIZE);
      const published = await publishEvents(
        services,
        rows.map((row) => row.payload as LockdownEvent),
      );
      return { rows: rows.length, published };
    });
    if ('error' in result.published) {
      // Redis is down: the rows wait for the next tick.
      report.failed += result.rows;
      break;
    }
    report.published += result.published.published;
    if (result.rows < PUBLISH_BATCH_SIZE) break;
  }
  return report;
}
