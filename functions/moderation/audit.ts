// `audit:logged` events: configuration and case-management changes, queued in the outbox in the
// same transaction as the change they describe.
import type { AuditEventData, LockdownEvent } from '../../shared/events.ts';

/** The outbox insert for an event (numbered in its guild's sequence), for the change's batch. */
export { queueEvent, sequenced } from '../events/outbox.ts';

export function auditEvent(data: AuditEventData, now: Date): LockdownEvent & { eventType: 'audit:logged' } {
  return { eventId: crypto.randomUUID(), eventType: 'audit:logged', timestamp: now.toISOString(), data };
}
