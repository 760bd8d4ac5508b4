// An event on its way to the mod-log, and what the relay needs to know about one: its embed
// (rendered once, with the event's reference in the footer), the case it shows, and whether it
// changes the guild's mod-log or edits a case's line (a reason edited, a case deleted, an end moved).
//
// The event reference (`ref <eventId>` at the end of the footer) is how the relay finds out whether
// a send whose outcome it does not know already reached the channel (posted-check.ts); moderators
// and operators can quote it too (`npm run dlq -- list --event <eventId>`).
import type { APIEmbed } from 'discord-api-types/v10';
import { embedLength, embedLimits } from '../../shared/embed-fit.ts';
import { eventEmbed } from '../../shared/embeds.ts';
import type { LockdownEvent } from '../../shared/events.ts';
import type { EmbedCases } from '../store/relay-store.ts';

export type { EmbedCases } from '../store/relay-store.ts';

export interface WorkItem {
  /** The stream entry (for a replay: the entry it was parked from). */
  entryId: string;
  raw: string;
  event: LockdownEvent;
  /** Set when this is a parked event being replayed: its `dead_letters` row. */
  deadLetterId?: string;
  /** Discord refused the message this event was in: it now travels alone. */
  solo?: boolean;
  /** Discord refused it alone with its buttons: it now travels without (and alone). */
  plain?: boolean;
  /** A mod-log change whose cache refresh (and replay) already ran. */
  configApplied?: boolean;
  rendered?: { embed: APIEmbed; size: number } | { error: string };
  /** Handed to a relay before (claimed, or re-read after a restart): it may have been posted. */
  uncertain?: boolean;
  /** Read from the outbox by the sequence check: no stream entry of its own to ack. */
  fromOutbox?: boolean;
  /** Acked, dead-lettered or marked replayed: nothing more to do. */
  done?: boolean;
  /** The digest group it is shown in (digest.ts), if any. */
  digestKey?: string;
}

/** One embed of a message: an event alone (its full embed) or a digest of several, one line each. */
export interface MessagePart {
  items: WorkItem[];
  digest: boolean;
  /** A digest's first embed in the message: it names the moderator and the reason. */
  header: boolean;
}

export const partCases = (part: MessagePart): EmbedCases =>
  part.digest
    ? part.items.map((i) => caseIdOf(i.event)).filter((id): id is string => id !== null)
    : caseIdOf((part.items[0] as WorkItem).event);

/** `/modlog set` or `/modlog off`: what follows in the guild goes to another webhook (or none). */
export const isModlogChange = (event: LockdownEvent): boolean =>
  event.eventType === 'audit:logged' &&
  (event.data.action === 'modlog.set' || event.data.action === 'modlog.removed');

export const isModlogSet = (event: LockdownEvent): boolean =>
  event.eventType === 'audit:logged' && event.data.action === 'modlog.set';

/** The audit lines whose posting edits the line of the case they name, and what changed. */
const lineEdits = {
  'case.reason_edited': 'reason',
  'case.deleted': 'deleted',
  'case.duration_changed': 'duration',
} as const;
export type LineEdit = (typeof lineEdits)[keyof typeof lineEdits];

/** What an event changed in the line of the case it names, or null when it is not such an edit. */
export function lineEditOf(event: LockdownEvent): LineEdit | null {
  if (event.eventType !== 'audit:logged' || !Object.hasOwn(lineEdits, event.data.action)) return null;
  return lineEdits[event.data.action as keyof typeof lineEdits];
}

export const isLineEdit = (event: LockdownEvent): boolean => lineEditOf(event) !== null;

/** The case an event's embed shows (case events), or null. */
export const caseIdOf = (event: LockdownEvent): string | null =>
  event.eventType === 'audit:logged' ? null : event.data.id;

export function render(item: WorkItem): NonNullable<WorkItem['rendered']> {
  if (!item.rendered) {
    try {
      const embed = withEventRef(eventEmbed(item.event), item.event.eventId);
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

/** The footer marker of an event's embed. */
export const eventRef = (eventId: string): string => `ref ${eventId}`;

/** Appends the event's reference to the footer, keeping the embed within Discord's limits. */
export function withEventRef(embed: APIEmbed, eventId: string): APIEmbed {
  const ref = eventRef(eventId);
  const footer = embed.footer?.text ? `${embed.footer.text} · ${ref}` : ref;
  const marked: APIEmbed = {
    ...embed,
    footer: { ...embed.footer, text: footer.slice(-embedLimits.footerText) },
  };
  const over = embedLength(marked) - embedLimits.total;
  if (over > 0 && marked.description) marked.description = `${marked.description.slice(0, -(over + 1))}…`;
  return marked;
}
