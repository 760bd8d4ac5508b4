// Raid digests: many cases of one batch or run in one embed, a line per case (`<@id> \`id\` #12`),
// and editing one line in place (a /reason of a case in a digest). See the relay's delivery/digest.ts.
import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import { type ActionSpec, actions, type CaseAction } from './actions.ts';
import { discordTimestamp, embedLength, embedLimits, field, truncate, userLine } from './embed-fit.ts';

/** One case in a digest: its line reads `<@id> \`id\` #12`, plus an optional note (an edited reason). */
export interface DigestLine {
  caseNumber: number;
  userId: string;
  note?: string | null;
}

/** What a digest embed shows once, above its lines. */
export interface DigestView {
  action: CaseAction;
  /** The cases have an end (a temporary ban, a mute). */
  temporary: boolean;
  moderatorId: string;
  reason: string | null;
  /** The end, when every case of the embed shares it. */
  expiresAt: Date | null;
  /** Whether this embed carries the moderator and reason (the first of a digest in a message). */
  header: boolean;
  /** Footer text (a batch's id), if any. */
  footer?: string | null;
  createdAt: Date;
  lines: readonly DigestLine[];
}

export function digestLine(line: DigestLine): string {
  const base = `<@${line.userId}> \`${line.userId}\` #${line.caseNumber}`;
  return line.note ? `${base} — ${line.note}` : base;
}

const digestLinePattern = /^<@(\d+)> `\d+` #(\d+)(?: — |$)/;

/** The case number of a digest line, or null when the line is not one. */
export function digestLineCase(line: string): number | null {
  const match = digestLinePattern.exec(line);
  return match ? Number(match[2]) : null;
}

/** Case numbers as ranges: `#12–#15, #18`. */
export function caseRanges(numbers: readonly number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    parts.push(j > i ? `#${sorted[i]}–#${sorted[j]}` : `#${sorted[i]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** "Ban ×200 | Cases #12–#211". */
export function digestTitle(view: Pick<DigestView, 'action' | 'temporary' | 'lines'>): string {
  const spec: ActionSpec = actions[view.action];
  const name = (view.temporary && spec.temporaryTitle) || spec.title;
  const numbers = view.lines.map((l) => l.caseNumber);
  const label = numbers.length === 1 ? 'Case' : 'Cases';
  return truncate(`${name} ×${view.lines.length} | ${label} ${caseRanges(numbers)}`, embedLimits.title);
}

/**
 * A digest embed. Its lines must fit the description (the caller splits them: see the relay's
 * digest planning); a line too long for it is cut, never dropped.
 */
export function digestEmbed(view: DigestView): APIEmbed {
  const spec: ActionSpec = actions[view.action];
  const fields: APIEmbedField[] = [];
  if (view.header) {
    fields.push(field('Moderator', userLine(view.moderatorId), true));
    if (view.expiresAt) fields.push(field('Ends', discordTimestamp(view.expiresAt), true));
    fields.push(field('Reason', view.reason?.trim() ? view.reason : '*No reason given*'));
  }
  const embed: APIEmbed = {
    title: digestTitle(view),
    color: spec.colour,
    description: truncate(view.lines.map(digestLine).join('\n'), embedLimits.description),
    timestamp: view.createdAt.toISOString(),
  };
  if (fields.length) embed.fields = fields;
  if (view.footer) embed.footer = { text: truncate(view.footer, embedLimits.footerText) };
  return embed;
}

/**
 * A digest embed with one case's line replaced (its reason edited, the case ended): the line gets
 * `note`, cut so the embed stays within `total` characters, or `short` (where to read it) when too
 * little of the note would fit. False-y when the case is not in the embed.
 */
export function withDigestLine(
  embed: APIEmbed,
  line: DigestLine,
  total: number,
  short = `reason edited: /case ${line.caseNumber}`,
): APIEmbed | null {
  const lines = (embed.description ?? '').split('\n');
  const at = lines.findIndex((l) => digestLineCase(l) === line.caseNumber);
  if (at < 0) return null;
  const bare = digestLine({ ...line, note: null });
  const room = Math.min(
    embedLimits.description - ((embed.description?.length ?? 0) - (lines[at] as string).length),
    total - (embedLength(embed) - (lines[at] as string).length),
  );
  let text = bare;
  if (line.note) {
    const full = digestLine(line);
    // Too little room for the note: say where to read it instead.
    const brief = digestLine({ ...line, note: short });
    text = full.length <= room ? full : room - bare.length > 40 ? truncate(full, room) : brief;
  }
  if (text.length > room) text = bare.length <= room ? bare : (lines[at] as string);
  lines[at] = text;
  return { ...embed, description: lines.join('\n') };
}
