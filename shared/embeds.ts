// Embed rendering for the mod-log (relay) and for case look-ups (edge): one look for a case wherever
// it is shown, always inside Discord's embed limits.
import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import {
  type ActionSpec,
  AUDIT_COLOUR,
  actions,
  type CaseAction,
  type CaseSource,
  type CaseState,
  caseActions,
  eventActions,
} from './actions.ts';
import { formatDuration } from './duration.ts';
import type { AuditEventData, EventType, LockdownEvent, LockdownEventData } from './events.ts';

/** Discord's embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const embedLimits = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  total: 6000,
  perMessage: 10,
} as const;

const LOCKDOWN_COLOUR = 0x992d22;
const UNLOCK_COLOUR = 0x27ae60;

/** Embed colours by event type, from the action table. */
export const eventColours = Object.fromEntries([
  ...caseActions.map((action) => [actions[action].eventType, actions[action].colour]),
  ['audit:logged', AUDIT_COLOUR],
  ['lockdown:applied', LOCKDOWN_COLOUR],
  ['lockdown:lifted', UNLOCK_COLOUR],
]) as Record<EventType, number>;

const graphemes =
  typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;

/**
 * Cuts text to at most `max` UTF-16 units (what `String#length` and {@link embedLength} count, never
 * less than what Discord counts), marking the cut with an ellipsis. It cuts between graphemes, so an
 * emoji, a surrogate pair or a letter with its accents is never split.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  const budget = max - 1; // room for the ellipsis
  let kept = '';
  const pieces: Iterable<string> = graphemes ? Array.from(graphemes.segment(text), (s) => s.segment) : text;
  for (const piece of pieces) {
    if (kept.length + piece.length > budget) break;
    kept += piece;
  }
  return `${kept.trimEnd()}…`;
}

const unix = (date: Date) => Math.floor(date.getTime() / 1000);
/** A Discord timestamp: every reader sees it in their own time zone, with a live "in 2 days". */
export const discordTimestamp = (date: Date) => `<t:${unix(date)}:f> (<t:${unix(date)}:R>)`;
const userLine = (id: string) => `<@${id}> (\`${id}\`)`;

export interface CaseView {
  caseNumber: number;
  action: CaseAction;
  userId: string;
  moderatorId: string;
  reason: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  state?: CaseState;
  dmDelivered?: boolean | null;
  /** Who last changed the reason with /reason, and when; shown so an edit is never anonymous. */
  reasonEditedBy?: string | null;
  reasonEditedAt?: Date | null;
  /** Where the case came from; a command's is not shown (it is the usual). */
  source?: CaseSource;
  automodRule?: string | null;
}

const sourceLabels: Record<CaseSource, string> = {
  command: 'Lockdown command',
  discord: 'Discord (by hand, or another bot) — read from the audit log',
  automod: 'AutoMod',
  scheduler: 'Lockdown, on schedule',
  escalation: 'Escalation policy',
};

const stateLabels: Record<CaseState, string> = {
  active: 'In force',
  lifted: 'Lifted',
  expired: 'Expired',
  superseded: 'Superseded',
};

function field(name: string, value: string, inline = false): APIEmbedField {
  return {
    name: truncate(name, embedLimits.fieldName),
    value: truncate(value, embedLimits.fieldValue),
    inline,
  };
}

/** The embed for one case, as posted in the mod-log and shown by `/case`. */
export function caseEmbed(view: CaseView, options: { showState?: boolean } = {}): APIEmbed {
  const spec: ActionSpec = actions[view.action];
  const title = `${(view.expiresAt && spec.temporaryTitle) || spec.title} | Case #${view.caseNumber}`;
  const fields: APIEmbedField[] = [
    field('Member', userLine(view.userId), true),
    field('Moderator', userLine(view.moderatorId), true),
    field('Reason', view.reason?.trim() ? view.reason : '*No reason given*'),
  ];
  if (view.reasonEditedBy) {
    const when = view.reasonEditedAt ? ` ${discordTimestamp(view.reasonEditedAt)}` : '';
    fields.push(field('Reason edited', `by <@${view.reasonEditedBy}>${when}`, true));
  }
  if (view.expiresAt) {
    const length = view.expiresAt.getTime() - view.createdAt.getTime();
    fields.push(field('Duration', length > 0 ? formatDuration(length) : 'none', true));
    fields.push(field('Ends', discordTimestamp(view.expiresAt), true));
  }
  if (view.dmDelivered !== undefined && view.dmDelivered !== null) {
    fields.push(field('Member notified', view.dmDelivered ? 'Yes, by DM' : 'No (DMs closed)', true));
  }
  if (view.source && view.source !== 'command') {
    const rule = view.automodRule ? ` (rule: ${view.automodRule})` : '';
    fields.push(field('Source', `${sourceLabels[view.source]}${rule}`, true));
  }
  if (options.showState && view.state) fields.push(field('Status', stateLabels[view.state], true));
  return {
    title: truncate(title, embedLimits.title),
    color: spec.colour,
    fields,
    timestamp: view.createdAt.toISOString(),
  };
}

const auditTitles: Record<AuditEventData['action'], string> = {
  'modlog.set': 'Mod-log channel set',
  'modlog.removed': 'Mod-log turned off',
  'case.reason_edited': 'Case reason edited',
  'schedule.failed': 'Scheduled action failed',
  'slowmode.set': 'Slowmode changed',
  'raidmode.enabled': 'Raid mode on',
  'raidmode.disabled': 'Raid mode off',
  'auditlog.missing_permission': 'Cannot read the audit log',
  'discord.incident': 'Discord detected a raid',
};

/** Channel mentions, as many as fit a field, then how many more. */
function channelList(ids: readonly string[]): string {
  const shown: string[] = [];
  let length = 0;
  for (const [index, id] of ids.entries()) {
    const mention = `<#${id}>`;
    const rest = ids.length - index;
    if (length + mention.length + 1 > embedLimits.fieldValue - 20 && rest > 0) {
      shown.push(`and ${rest} more`);
      break;
    }
    shown.push(mention);
    length += mention.length + 1;
  }
  return shown.join(' ') || 'none';
}

function lockdownEmbed(
  type: 'lockdown:applied' | 'lockdown:lifted',
  data: LockdownEventData,
  timestamp: string,
) {
  const applied = type === 'lockdown:applied';
  const where = data.scope === 'server' ? 'Server' : 'Channel';
  const title = applied
    ? `${where} locked`
    : `${where} unlocked${data.endState === 'expired' ? ' (lockdown expired)' : ''}`;
  const fields: APIEmbedField[] = [
    field('By', userLine(data.moderatorId), true),
    field(`Channels (${data.channelIds.length})`, channelList(data.channelIds)),
  ];
  if (data.reason) fields.push(field('Reason', data.reason));
  if (applied && data.expiresAt)
    fields.push(field('Unlocks', discordTimestamp(new Date(data.expiresAt)), true));
  if (data.failed.length > 0) {
    const lines = data.failed.map((f) => `<#${f.channelId}>: ${f.why}`);
    fields.push(field(`Could not ${applied ? 'lock' : 'unlock'} (${data.failed.length})`, lines.join('\n')));
  }
  return {
    title,
    color: applied ? LOCKDOWN_COLOUR : UNLOCK_COLOUR,
    fields,
    footer: { text: truncate(`Lockdown ${data.id}`, embedLimits.footerText) },
    timestamp,
  };
}

function auditEmbed(data: AuditEventData, timestamp: string): APIEmbed {
  const fields: APIEmbedField[] = [field('By', userLine(data.moderatorId), true)];
  if (data.caseNumber !== null && data.caseNumber !== undefined)
    fields.push(field('Case', `#${data.caseNumber}`, true));
  if (data.userId && data.userId !== data.moderatorId)
    fields.push(field('Member', userLine(data.userId), true));
  if (data.reason) fields.push(field('Reason', data.reason));
  for (const [name, value] of Object.entries(data.details ?? {})) {
    if (value === null || value === undefined || fields.length >= embedLimits.fields) continue;
    fields.push(field(name, String(value)));
  }
  return {
    title: auditTitles[data.action] ?? truncate(`Audit: ${data.action}`, embedLimits.title),
    color: AUDIT_COLOUR,
    fields,
    timestamp,
  };
}

/** A case as logged in the mod-log: {@link caseEmbed} plus the case id in the footer. */
export interface CaseLogView extends CaseView {
  caseId: string;
}

/**
 * The mod-log line of a case. The relay posts it from the event and re-renders it from the `cases`
 * row when the reason is edited, so both go through here and look the same.
 */
export function caseLogEmbed(view: CaseLogView): APIEmbed {
  return fitEmbed({
    ...caseEmbed(view),
    footer: { text: truncate(`Case ${view.caseId}`, embedLimits.footerText) },
  });
}

/** The mod-log embed for an event, always within Discord's limits (including the 6000 total). */
export function eventEmbed(event: LockdownEvent): APIEmbed {
  if (event.eventType === 'audit:logged') return fitEmbed(auditEmbed(event.data, event.timestamp));
  if (event.eventType === 'lockdown:applied' || event.eventType === 'lockdown:lifted') {
    return fitEmbed(lockdownEmbed(event.eventType, event.data, event.timestamp));
  }
  const data = event.data;
  return caseLogEmbed({
    caseId: data.id,
    caseNumber: data.caseNumber,
    action: eventActions[event.eventType],
    userId: data.userId,
    moderatorId: data.moderatorId,
    reason: data.reason,
    createdAt: new Date(event.timestamp),
    expiresAt: data.expiresAt ? new Date(data.expiresAt) : null,
    dmDelivered: data.dmDelivered,
    source: data.source,
    automodRule: data.automodRule ?? null,
  });
}

/** Characters that count towards Discord's 6000-per-message embed total. */
export function embedLength(embed: APIEmbed): number {
  let length = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  length += (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const f of embed.fields ?? []) length += f.name.length + f.value.length;
  return length;
}

/** The total of several embeds, which Discord caps at {@link embedLimits.total} per message. */
export function embedsLength(embeds: readonly APIEmbed[]): number {
  let total = 0;
  for (const embed of embeds) total += embedLength(embed);
  return total;
}

/** Shortest a field value is cut to before whole fields are dropped. */
const minFieldValue = 64;

/**
 * Makes an embed fit `total` characters (Discord's per-message total by default): it shortens the
 * description, then field values from the last field up, then drops trailing fields. Embeds that
 * already fit are returned unchanged.
 */
export function fitEmbed(embed: APIEmbed, total: number = embedLimits.total): APIEmbed {
  let excess = embedLength(embed) - total;
  if (excess <= 0) return embed;
  const out: APIEmbed = { ...embed, fields: embed.fields?.map((f) => ({ ...f })) };
  if (out.description) {
    const keep = Math.max(minFieldValue, out.description.length - excess);
    const before = out.description.length;
    out.description = truncate(out.description, keep);
    excess -= before - out.description.length;
  }
  const fields = out.fields ?? [];
  for (let i = fields.length - 1; i >= 0 && excess > 0; i--) {
    const f = fields[i] as APIEmbedField;
    if (f.value.length <= minFieldValue) continue;
    const before = f.value.length;
    f.value = truncate(f.value, Math.max(minFieldValue, before - excess));
    excess -= before - f.value.length;
  }
  while (excess > 0 && fields.length > 0) {
    const dropped = fields.pop() as APIEmbedField;
    excess -= dropped.name.length + dropped.value.length;
  }
  if (excess > 0 && out.footer) {
    const keep = Math.max(0, out.footer.text.length - excess);
    out.footer = { ...out.footer, text: truncate(out.footer.text, keep) };
  }
  return out;
}

// ---- raid digests ------------------------------------------------------------------------------
// Many cases of one kind (a /massban's batch, a run of same-kind cases by one moderator for one
// reason) shown compactly: the action, moderator and reason once, then one line per case.

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
 * A digest embed with one case's line replaced (its reason edited): the line gets `note`, cut so
 * the embed stays within `total` characters. False-y when the case is not in the embed.
 */
export function withDigestLine(embed: APIEmbed, line: DigestLine, total: number): APIEmbed | null {
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
    const short = digestLine({ ...line, note: `reason edited: /case ${line.caseNumber}` });
    text = full.length <= room ? full : room - bare.length > 40 ? truncate(full, room) : short;
  }
  if (text.length > room) text = bare.length <= room ? bare : (lines[at] as string);
  lines[at] = text;
  return { ...embed, description: lines.join('\n') };
}
