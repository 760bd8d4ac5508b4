// An event on its way to the mod-log, and what the relay needs to know about one: its embed
// (rendered once), the case it shows, and whether it changes the guild's mod-log or edits a reason.
import type { APIEmbed } from 'discord-api-types/v10';
import { embedLength, eventEmbed } from '../../shared/embeds.ts';
import type { LockdownEvent } from '../../shared/events.ts';

export interface WorkItem {
  /** The stream entry (for a replay: the entry it was parked from). */
  entryId: string;
  raw: string;
  event: LockdownEvent;
  /** Set when this is a parked event being replayed: its `dead_letters` row. */
  deadLetterId?: string;
  /** Discord refused the message this event was in: it now travels alone. */
  solo?: boolean;
  /** A mod-log change whose cache refresh (and replay) already ran. */
  configApplied?: boolean;
  rendered?: { embed: APIEmbed; size: number } | { error: string };
  /** Acked, dead-lettered or marked replayed: nothing more to do. */
  done?: boolean;
}

/** `/modlog set` or `/modlog off`: what follows in the guild goes to another webhook (or none). */
export const isModlogChange = (event: LockdownEvent): boolean =>
  event.eventType === 'audit:logged' &&
  (event.data.action === 'modlog.set' || event.data.action === 'modlog.removed');

export const isModlogSet = (event: LockdownEvent): boolean =>
  event.eventType === 'audit:logged' && event.data.action === 'modlog.set';

export const isReasonEdit = (event: LockdownEvent): boolean =>
  event.eventType === 'audit:logged' && event.data.action === 'case.reason_edited';

/** The case an event's embed shows (case events), or null. */
export const caseIdOf = (event: LockdownEvent): string | null =>
  event.eventType === 'audit:logged' ? null : event.data.id;

export function render(item: WorkItem): NonNullable<WorkItem['rendered']> {
  if (!item.rendered) {
    try {
      const embed = eventEmbed(item.event);
      item.rendered = { embed, size: embedLength(embed) };
    } catch (error) {
      item.rendered = { error: `cannot render: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  return item.rendered;
}

/** The first item of each event (later copies ride along), in order. */
export function firstOfEachEvent(items: readonly WorkItem[]): WorkItem[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.event.eventId) && seen.add(item.event.eventId));
}
