// `audit:logged` events: configuration and case-management changes, queued in the outbox in the
// same transaction as the change they describe.
import type { EdgeDatabase } from '../../db/edge.ts';
import { outbox } from '../../db/schema.ts';
import type { AuditEventData, LockdownEvent } from '../../shared/events.ts';

export function auditEvent(data: AuditEventData, now: Date): LockdownEvent & { eventType: 'audit:logged' } {
  return { eventId: crypto.randomUUID(), eventType: 'audit:logged', timestamp: now.toISOString(), data };
}

/** The outbox insert for an event, to put in the same batch as the change it records. */
export function queueEvent(db: EdgeDatabase, event: LockdownEvent, now: Date) {
  return db.insert(outbox).values({
    eventId: event.eventId,
    guildId: event.data.guildId,
    eventType: event.eventType,
    payload: event,
    createdAt: now,
  });
}
