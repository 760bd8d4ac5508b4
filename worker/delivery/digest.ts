// Raid digests, pure: which queued case events are folded into digest embeds, and how a digest
// embed is built. A group is either the cases of one batch (`batchId`: a /massban's cases, which
// share moderator, reason and end, or the scheduler's lifts of its temporary bans, which carry its
// batch id) or a run of at least `minRun` consecutive case events of one type by one moderator, for
// one reason, with one end (a moderator warning a wave of raiders). Everything else keeps its full embed. A group's events
// keep their queue order, so a digest never reorders the guild's events; a group cut by the end of
// a message carries on in the next (its remaining items keep their group).
import type { APIEmbed } from 'discord-api-types/v10';
import { eventActions } from '../../shared/actions.ts';
import { type DigestLine, digestEmbed, digestLine } from '../../shared/digest-embeds.ts';
import { embedLength, embedLimits, truncate } from '../../shared/embed-fit.ts';
import type { CaseEventData, CaseEventType, LockdownEvent } from '../../shared/events.ts';
import { type MessagePart, render, type WorkItem } from './work-item.ts';

/** The default shortest run of same-kind cases (without a batch) that is folded into a digest. */
export const DIGEST_MIN_RUN = 5;

type CaseEvent = Extract<LockdownEvent, { data: CaseEventData }>;

const caseEventTypes = new Set<string>(Object.keys(eventActions));
const isCaseEvent = (event: LockdownEvent): event is CaseEvent => caseEventTypes.has(event.eventType);

/** The group an event could join: its batch, or its kind (type, moderator, reason, end). */
function candidateKey(item: WorkItem): string | null {
  if (item.solo || !isCaseEvent(item.event)) return null;
  const { data, eventType } = item.event;
  // A batch folds by kind and moderator: a /massban's cases are all one kind by one moderator; a
  // /modlog import's are of several, and fold in runs of one kind by one moderator.
  if (typeof data.batchId === 'string' && data.batchId) {
    return `batch:${JSON.stringify([data.batchId, eventType, data.moderatorId])}`;
  }
  return `run:${JSON.stringify([eventType, data.moderatorId, data.reason ?? null, data.expiresAt ?? null])}`;
}

/**
 * Gives the front of a lane's queue its digest groups: sets `digestKey` on each item of a group
 * (two or more of one batch, a run of `minRun` or more, or the rest of a group already started).
 * Looks at most `window` items ahead (more than one message holds). `minRun` 0 turns digests off.
 */
export function assignDigests(queue: readonly WorkItem[], minRun: number, window = 400): void {
  if (minRun <= 0) return;
  const front = queue.slice(0, window);
  const firstOf = new Map<string, WorkItem>(); // event id → its first item (copies ride along)
  let run: WorkItem[] = [];
  let runKey: string | null = null;
  const close = () => {
    if (runKey === null || run.length === 0) return;
    const started = run.some((i) => i.digestKey === runKey);
    const batch = runKey.startsWith('batch:');
    if (started || run.length >= (batch ? 2 : minRun)) for (const i of run) i.digestKey = runKey;
  };
  for (const item of front) {
    if (firstOf.has(item.event.eventId)) continue; // a copy: it follows its original, below
    firstOf.set(item.event.eventId, item);
    const key = candidateKey(item);
    if (key !== runKey) {
      close();
      run = [];
      runKey = key;
    }
    if (key !== null) run.push(item);
    else if (item.digestKey) item.digestKey = undefined; // now solo: it travels alone
  }
  close();
  for (const item of front) {
    const original = firstOf.get(item.event.eventId) as WorkItem;
    if (original !== item) item.digestKey = original.digestKey;
  }
}

/** The digest embed of these items (one group, in order); `header` names moderator and reason. */
export function digestPartEmbed(items: readonly WorkItem[], header: boolean): APIEmbed {
  const events = items.map((i) => i.event as CaseEvent);
  const first = events[0] as CaseEvent;
  const ends = new Set(events.map((e) => e.data.expiresAt ?? null));
  const sharedEnd = ends.size === 1 ? (first.data.expiresAt ?? null) : null;
  const notified = events.filter((e) => e.data.dmDelivered === true).length;
  const told = events.some((e) => typeof e.data.dmDelivered === 'boolean');
  const mixedReasons = reasonsDiffer(items);
  const lines: DigestLine[] = events.map((e) => lineView(e.data, mixedReasons));
  const batchId = typeof first.data.batchId === 'string' ? first.data.batchId : null;
  const footer = header
    ? [batchId ? `Batch ${batchId}` : null, told ? `${notified} of ${events.length} told by DM` : null]
        .filter(Boolean)
        .join(' · ')
    : null;
  return digestEmbed({
    action: eventActions[first.eventType as CaseEventType],
    temporary: first.data.expiresAt !== null && first.data.expiresAt !== undefined,
    moderatorId: first.data.moderatorId,
    reason: mixedReasons ? 'Given on each line' : first.data.reason,
    expiresAt: sharedEnd ? new Date(sharedEnd) : null,
    header,
    footer: footer || null,
    createdAt: new Date(first.timestamp),
    lines,
  });
}

/** The characters of a digest embed of these items, or null when its lines overflow one embed. */
export function digestPartSize(items: readonly WorkItem[], header: boolean): number | null {
  const embed = digestPartEmbed(items, header);
  // The description is cut to fit, so measure the lines themselves.
  const withReason = reasonsDiffer(items);
  const lines = items.length - 1 + items.reduce((n, i) => n + lineOf(i, withReason).length, 0);
  if (lines > embedLimits.description) return null;
  return embedLength(embed);
}

/** Most of a reason a digest line shows when reasons differ (the case holds all of it). */
const LINE_REASON_LENGTH = 120;

function lineView(data: CaseEventData, withReason: boolean): DigestLine {
  const note = withReason ? `reason: ${truncate(data.reason ?? 'none given', LINE_REASON_LENGTH)}` : null;
  return { caseNumber: data.caseNumber, userId: data.userId, note };
}

/** An import's cases each have their reason: then each line carries its own. */
const reasonsDiffer = (items: readonly WorkItem[]) =>
  new Set(items.map((i) => (i.event.data as CaseEventData).reason ?? null)).size > 1;

const lineOf = (item: WorkItem, withReason: boolean): string =>
  digestLine(lineView(item.event.data as CaseEventData, withReason));

/** The embed of one part of a message: a digest's, or the event's own (rendered once). */
export function partEmbed(part: MessagePart): APIEmbed {
  if (part.digest) return digestPartEmbed(part.items, part.header);
  return (render(part.items[0] as WorkItem) as { embed: APIEmbed }).embed;
}
