// Embed rendering for the mod-log (relay) and for case look-ups (edge): one look for a case wherever
// it is shown, always inside Discord's embed limits (embed-fit.ts); digests are digest-embeds.ts.
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
  UNKNOWN_MODERATOR_ID,
} from './actions.ts';
import { formatDuration } from './duration.ts';
import { discordTimestamp, embedLimits, field, fitEmbed, truncate, userLine } from './embed-fit.ts';
import type { AuditEventData, EventType, LockdownEvent, LockdownEventData } from './events.ts';
import { evidenceField, isMessageEvidence, type MessageEvidence } from './evidence.ts';

const LOCKDOWN_COLOUR = 0x992d22;
/** A removed (deleted) case's line: greyed. */
const REMOVED_COLOUR = 0x747f8d;
const UNLOCK_COLOUR = 0x27ae60;

/** Embed colours by event type, from the action table. */
export const eventColours = Object.fromEntries([
  ...caseActions.map((action) => [actions[action].eventType, actions[action].colour]),
  ['audit:logged', AUDIT_COLOUR],
  ['lockdown:applied', LOCKDOWN_COLOUR],
  ['lockdown:lifted', UNLOCK_COLOUR],
]) as Record<EventType, number>;

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
  /** The server, for the evidence's message link (evidence is shown only with it). */
  guildId?: string;
  /** The message the case was given for (a message context-menu command). */
  evidence?: MessageEvidence | null;
  /** When the case stopped being in force (with `state`), and the case that ended it, if one did. */
  endedAt?: Date | null;
  ending?: CaseEnding | null;
  /** `/case delete`: shown greyed as removed, by whom, when and why (the case is kept). */
  deletedAt?: Date | null;
  deletedBy?: string | null;
  deleteReason?: string | null;
}

/** The case that ended another: an unban or unmute, a newer ban or mute, the scheduler's lift. */
export interface CaseEnding {
  caseNumber: number;
  moderatorId: string;
  source?: CaseSource;
  at: Date;
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

const moderatorLine = (id: string) =>
  id === UNKNOWN_MODERATOR_ID ? 'Unknown (a bulk ban made in Discord)' : userLine(id);

const endedBy = (ending: CaseEnding) =>
  ending.source === 'automod'
    ? 'AutoMod'
    : ending.moderatorId === UNKNOWN_MODERATOR_ID
      ? 'an unknown moderator'
      : `<@${ending.moderatorId}>`;

/**
 * Whether the case is in force, and if not how it ended: `Undone — case #13 by @mod`,
 * `Expired — case #15`, `Superseded by case #14 by @mod`, each with when.
 */
export function stateText(view: Pick<CaseView, 'state' | 'ending' | 'endedAt'>): string {
  const state = view.state ?? 'active';
  if (state === 'active') return stateLabels.active;
  const { ending } = view;
  const at = ending?.at ?? view.endedAt ?? null;
  const when = at ? ` ${discordTimestamp(at)}` : '';
  if (!ending) return `${stateLabels[state]}${when}`;
  const by = endedBy(ending);
  switch (state) {
    case 'lifted':
      return `Undone — case #${ending.caseNumber} by ${by}${when}`;
    case 'expired':
      return `Expired — case #${ending.caseNumber}${when}`;
    case 'superseded':
      return `Superseded by case #${ending.caseNumber} by ${by}${when}`;
  }
}

/**
 * The embed for one case, as posted in the mod-log and shown by `/case`: its status once it is no
 * longer in force (always with `showState`), and its evidence last (the first to be cut to fit).
 */
export function caseEmbed(view: CaseView, options: { showState?: boolean } = {}): APIEmbed {
  const spec: ActionSpec = actions[view.action];
  const removed = view.deletedAt ? '[Removed] ' : '';
  const title = `${removed}${(view.expiresAt && spec.temporaryTitle) || spec.title} | Case #${view.caseNumber}`;
  const reason = view.reason?.trim() ? view.reason : null;
  const shownReason =
    reason && view.deletedAt ? `~~${truncate(reason, embedLimits.fieldValue - 4)}~~` : reason;
  const fields: APIEmbedField[] = [];
  // A removed case: who removed it, when and why, first; its reason struck through.
  if (view.deletedAt) fields.push(field('Removed', removedText(view)));
  fields.push(
    field('Member', userLine(view.userId), true),
    field('Moderator', view.source === 'automod' ? 'AutoMod' : moderatorLine(view.moderatorId), true),
    field('Reason', shownReason ?? '*No reason given*'),
  );
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
    fields.push(
      field('Member notified', view.dmDelivered ? 'Yes, by DM' : 'No: the DM could not be sent', true),
    );
  }
  if (view.source && view.source !== 'command') {
    const rule = view.automodRule ? ` (rule: ${view.automodRule})` : '';
    fields.push(field('Source', `${sourceLabels[view.source]}${rule}`, true));
  }
  // /case always says whether the case is in force; the mod-log line once it is not.
  if ((options.showState && view.state) || (view.state && view.state !== 'active'))
    fields.push(field('Status', stateText(view), view.state === 'active'));
  if (view.evidence && view.guildId && isMessageEvidence(view.evidence))
    fields.push(evidenceField(view.evidence, view.guildId));
  return {
    title: truncate(title, embedLimits.title),
    color: view.deletedAt ? REMOVED_COLOUR : spec.colour,
    fields,
    timestamp: view.createdAt.toISOString(),
  };
}

/** `by @mod <time>: why`, for a removed case. */
export function removedText(view: Pick<CaseView, 'deletedAt' | 'deletedBy' | 'deleteReason'>): string {
  const by = view.deletedBy ? `by <@${view.deletedBy}> ` : '';
  const when = view.deletedAt ? discordTimestamp(view.deletedAt) : '';
  return `${by}${when}: ${view.deleteReason ?? 'No reason given'}`;
}

const auditTitles: Record<AuditEventData['action'], string> = {
  'modlog.set': 'Mod-log channel set',
  'modlog.removed': 'Mod-log turned off',
  'case.reason_edited': 'Case reason edited',
  'case.deleted': 'Case deleted',
  'case.duration_changed': 'Case duration changed',
  'schedule.failed': 'Scheduled action failed',
  'slowmode.set': 'Slowmode changed',
  'slowmode.expired': 'Slowmode ended (expired)',
  'raidmode.enabled': 'Raid mode on',
  'raidmode.disabled': 'Raid mode off',
  'auditlog.missing_permission': 'Cannot read the audit log',
  'discord.incident': 'Discord detected a raid',
  'messages.purged': 'Messages purged',
  'reasons.saved': 'Saved reason added',
  'reasons.removed': 'Saved reason removed',
  'escalation.added': 'Escalation policy added',
  'escalation.removed': 'Escalation policy removed',
  'escalation.refused': 'Escalation not carried out',
  'appeal.created': 'Ban appeal',
  'appeal.accepted': 'Ban appeal accepted',
  'appeal.denied': 'Ban appeal denied',
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
  const title =
    data.action === 'discord.incident' && data.details?.incident === 'dm_spam'
      ? 'Discord detected DM spam'
      : (auditTitles[data.action] ?? truncate(`Audit: ${data.action}`, embedLimits.title));
  return {
    title,
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
    guildId: data.guildId,
    evidence: isMessageEvidence(data.evidence) ? data.evidence : null,
  });
}
