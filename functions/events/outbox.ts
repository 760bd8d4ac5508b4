// Queues events in the transactional outbox, as part of the change they record. Each event gets the
// next number of its guild's sequence (`guilds.event_sequence`), bumped in the very statement that
// writes the outbox row, so a guild's events are numbered 1, 2, 3… in commit order with no gaps (a
// rolled-back change takes its number back). The number is the row's `sequence` and the envelope's.
import { type SQL, sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../db/edge.ts';
import { guilds, outbox } from '../../db/schema.ts';
import type { LockdownEvent } from '../../shared/events.ts';

const column = (c: { name: string }) => sql.identifier(c.name);

/** A write of the guild's row that bumped its sequence: `RETURNING guild_id, event_sequence`. */
export interface SequencedChange {
  getSQL(): SQL;
}

/** What a queueing statement returns: the event's id and number, once per event queued. */
export type QueuedRow = {
  event_id: string;
  sequence: number;
};

export function bumpEventSequence(db: EdgeDatabase, guildId: string): SequencedChange {
  return db
    .insert(guilds)
    .values({ guildId, eventSequence: 1 })
    .onConflictDoUpdate({ target: guilds.guildId, set: { eventSequence: sql`${guilds.eventSequence} + 1` } })
    .returning({ guildId: guilds.guildId, eventSequence: guilds.eventSequence });
}

/**
 * Bumps the guild's event sequence only while `condition` (an SQL boolean, e.g. an `exists (… for
 * update)`) holds, so an event queued with it (`queueEventIfChanged`) is written exactly when the
 * change it announces happens in the same transaction.
 */
export function bumpEventSequenceIf(guildId: string, condition: SQL): SequencedChange {
  return {
    getSQL: () => sql`insert into ${guilds} (guild_id, event_sequence)
      select ${guildId}, 1 where ${condition}
      on conflict (guild_id) do update set event_sequence = ${guilds.eventSequence} + 1
      returning guild_id, event_sequence`,
  };
}

/**
 * Queues `event` only if `change` (at most one row) returned a row, numbered by that row: one
 * statement, so it can stand in a batch, and a change that matched nothing queues nothing.
 * `payload` replaces the envelope's JSON when part of it comes from the database (a case number).
 */
export function queueEventIfChanged(
  db: EdgeDatabase,
  change: SequencedChange,
  event: LockdownEvent,
  now: Date,
  payload: SQL = sql`${JSON.stringify(event)}::jsonb`,
) {
  const columns = [
    outbox.eventId,
    outbox.guildId,
    outbox.eventType,
    outbox.payload,
    outbox.createdAt,
    outbox.sequence,
  ];
  return db.execute<QueuedRow>(sql`
    with changed as (${change.getSQL()})
    insert into ${outbox} (${sql.join(columns.map(column), sql`, `)})
    select ${event.eventId}::uuid, changed.guild_id, ${event.eventType},
      jsonb_set(${payload}, '{sequence}', to_jsonb(changed.event_sequence)),
      ${now.toISOString()}::timestamptz, changed.event_sequence
    from changed
    returning ${column(outbox.eventId)}, ${column(outbox.sequence)}`);
}

/** The outbox insert for an event, numbered; to put in the same batch as the change it records. */
export function queueEvent(db: EdgeDatabase, event: LockdownEvent, now: Date, payload?: SQL) {
  return queueEventIfChanged(db, bumpEventSequence(db, event.data.guildId), event, now, payload);
}

/** The event as it was queued: with its number, from what its queueing statement returned. */
export function sequenced<E extends LockdownEvent>(event: E, queued: { rows: QueuedRow[] }): E {
  const row = queued.rows[0];
  return row ? { ...event, sequence: Number(row.sequence) } : event;
}
