// `audit:logged` events: configuration and case-management changes, queued in the outbox in the
// same transaction as the change they describe.
import type { AuditEventData, LockdownEvent } from '../../shared/events.ts';
import { queueEvent, sequenced } from '../events/outbox.ts';
import { publishEvents } from '../events/publish.ts';
import { errorForLog } from '../log.ts';
import type { Services } from '../services.ts';

/** The outbox insert for an event (numbered in its guild's sequence), for the change's batch. */
export { queueEvent, sequenced };

/** What the moderator is told when Discord made the change but the database could not log it. */
export const NOT_LOGGED =
  'I could not record this in the mod-log (our database did not answer), so it has no mod-log entry.';

export function auditEvent(data: AuditEventData, now: Date): LockdownEvent & { eventType: 'audit:logged' } {
  return { eventId: crypto.randomUUID(), eventType: 'audit:logged', timestamp: now.toISOString(), data };
}

/**
 * Logs a change Discord has already made (a slowmode, raid mode, a purge): queued, then published
 * after the reply. The database failing now must not turn the reply into "nothing was changed":
 * the change stands, so the caller gets NOT_LOGGED to append instead of an error.
 */
export async function logChangeMade(
  services: Services,
  event: LockdownEvent,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<string | null> {
  try {
    const queued = await queueEvent(services.db, event, services.now());
    waitUntil(publishEvents(services, [sequenced(event, queued)]));
    return null;
  } catch (error) {
    console.error(`${event.data.guildId}: a change was made but not logged: ${errorForLog(error)}`);
    return NOT_LOGGED;
  }
}
