// Queues an event in the transactional outbox as part of the change it records, for changes that may
// not apply: the event row is written from the rows a conditional write returns, in the same
// statement, so a write that matched nothing queues nothing.
import { type SQL, sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../db/edge.ts';
import { outbox } from '../../db/schema.ts';
import type { LockdownEvent } from '../../shared/events.ts';

const column = (c: { name: string }) => sql.identifier(c.name);

/**
 * `change` is a write with `RETURNING guild_id` (at most one row); the event is queued only when it
 * returns a row. One statement, so it can stand in a batch; its rows are the queued event ids.
 */
export function queueEventIfChanged(db: EdgeDatabase, change: { getSQL(): SQL }, event: LockdownEvent, now: Date) {
  return db.execute<{ event_id: string }>(sql`
    with changed as (${change.getSQL()})
    insert into ${outbox} (${sql.join(
      [outbox.eventId, outbox.guildId, outbox.eventType, outbox.payload, outbox.createdAt].map(column),
      sql`, `,
    )})
    select ${event.eventId}::uuid, changed.guild_id, ${event.eventType}, ${JSON.stringify(event)}::jsonb,
      ${now.toISOString()}::timestamptz
    from changed
    returning ${column(outbox.eventId)}`);
}
