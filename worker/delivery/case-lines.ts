// How an edited case line is rebuilt from its `cases` row (case-editor.ts does the I/O), pure: a case
// shown alone is re-rendered whole, as the mod-log line of its row — its status once it is no longer
// in force, its evidence — keeping the event reference at the end of its footer (the posted check
// reads it); a case shown in a digest keeps its line, with a note: `#12 — reason: … (edited by
// <@mod>) · undone: case #40`. Each replacement fits what the message's other embeds leave of
// Discord's 6,000 characters.
import type { APIEmbed } from 'discord-api-types/v10';
import type { CaseState } from '../../shared/actions.ts';
import { withDigestLine } from '../../shared/digest-embeds.ts';
import { discordTime, embedLength, embedLimits, fitEmbed, truncate } from '../../shared/embed-fit.ts';
import { caseLogEmbed } from '../../shared/embeds.ts';
import type { EditedCase, EmbedCases } from '../store/relay-store.ts';
import { eventRef, type LineEdit, withEventRef } from './work-item.ts';

/**
 * What changed a case's line: an audit line's correction (its reason, its deletion, its end moved
 * by /duration), or a later case that ended it.
 */
export type EditTrigger = LineEdit | 'ended';

const REF_IN_FOOTER = /ref ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The case's line alone, from its row, within `room` characters, keeping `previous`'s event ref. */
export function singleCaseEmbed(edited: EditedCase, previous: APIEmbed | undefined, room: number): APIEmbed {
  const { row, ending } = edited;
  const view = caseLogEmbed({
    caseId: row.id,
    caseNumber: row.caseNumber,
    action: row.action,
    userId: row.userId,
    moderatorId: row.moderatorId,
    reason: row.reason,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    dmDelivered: row.dmDelivered,
    reasonEditedBy: row.reasonEditedBy,
    reasonEditedAt: row.reasonEditedAt,
    source: row.source,
    automodRule: row.automodRule,
    guildId: row.guildId,
    evidence: row.evidence,
    state: row.state,
    endedAt: row.endedAt,
    ending,
    deletedAt: row.deletedAt,
    deletedBy: row.deletedBy,
    deleteReason: row.deleteReason,
  });
  const eventId = REF_IN_FOOTER.exec(previous?.footer?.text ?? '')?.[1];
  if (!eventId) return fitEmbed(view, Math.max(1, room));
  // withEventRef adds ` · ref <id>` to the footer: leave room for it.
  const refCost = eventRef(eventId).length + 3;
  return withEventRef(fitEmbed(view, Math.max(1, room - refCost)), eventId);
}

const endWords: Record<Exclude<CaseState, 'active'>, string> = {
  lifted: 'undone',
  expired: 'expired',
  superseded: 'superseded',
};

/** The note of a case's digest line, and the short form used when the note cannot fit. */
export function digestNote(edited: EditedCase, trigger: EditTrigger): { note: string | null; short: string } {
  const { row, ending } = edited;
  const parts: string[] = [];
  if (trigger === 'reason' || row.reasonEditedBy) {
    const by = row.reasonEditedBy ? ` (edited by <@${row.reasonEditedBy}>)` : '';
    parts.push(`reason: ${row.reason?.trim() ? truncate(row.reason, 1000) : 'none'}${by}`);
  }
  let end: string | null = null;
  if (row.state !== 'active') {
    end = ending ? `${endWords[row.state]}: case #${ending.caseNumber}` : endWords[row.state];
    parts.push(end);
  } else if (trigger === 'duration' && row.expiresAt) {
    end = `now ends ${discordTime(row.expiresAt, 'f')}`;
    parts.push(end);
  }
  if (row.deletedAt) {
    const by = row.deletedBy ? ` by <@${row.deletedBy}>` : '';
    const removed = `~~removed~~${by}: ${truncate(row.deleteReason ?? 'no reason given', 300)}`;
    return { note: [removed, ...parts].join(' · '), short: `~~removed~~ (/case ${row.caseNumber})` };
  }
  const short = end
    ? `${end} (/case ${row.caseNumber})`
    : `${trigger === 'duration' ? 'end changed' : 'reason edited'}: /case ${row.caseNumber}`;
  return { note: parts.length > 0 ? parts.join(' · ') : null, short };
}

const shows = (entry: EmbedCases, caseId: string) =>
  entry === caseId || (Array.isArray(entry) && entry.includes(caseId));

/**
 * The message's embeds with these cases' lines rebuilt, or null when none of them is shown in it
 * (the recorded layout does not know them). Replacements are made one at a time, each within what
 * the others leave of the 6,000 characters, so the message stays within Discord's limit.
 */
export function rebuiltEmbeds(
  embeds: readonly APIEmbed[],
  caseIds: readonly EmbedCases[],
  changed: readonly EditedCase[],
  trigger: EditTrigger,
): APIEmbed[] | null {
  const out = [...embeds];
  let touched = false;
  const othersThan = (index: number) =>
    out.reduce((n, embed, i) => (i === index ? n : n + embedLength(embed)), 0);
  for (const edited of changed) {
    caseIds.forEach((entry, index) => {
      if (!shows(entry, edited.row.id)) return;
      const current = out[index];
      const room = embedLimits.total - othersThan(index);
      if (Array.isArray(entry)) {
        if (!current) return;
        const { note, short } = digestNote(edited, trigger);
        const line = { caseNumber: edited.row.caseNumber, userId: edited.row.userId, note };
        const fresh = withDigestLine(current, line, room, short);
        if (!fresh) return;
        out[index] = fresh;
      } else {
        out[index] = singleCaseEmbed(edited, current, room);
      }
      touched = true;
    });
  }
  return touched ? out : null;
}
