// How /history reads: a member's counts per kind of case, the punishments in force with their ends,
// and the latest cases, in one embed inside Discord's limits. Pure.
import type { APIEmbed } from 'discord-api-types/v10';
import { type ActionSpec, actions, type CaseAction, caseActions } from '../../../shared/actions.ts';
import { discordTime, embedLimits, field, fitEmbed, truncate, userLine } from '../../../shared/embed-fit.ts';
import type { Reply } from '../../interactions/respond.ts';
import type { CaseRow } from '../../moderation/cases.ts';
import { caseLine } from './case-lines.ts';

/** How many of the latest cases /history shows. */
export const HISTORY_RECENT = 5;
/** The most punishments in force listed. */
export const IN_FORCE_SHOWN = 5;
/** The actions whose active case is a punishment in force (a ban, a timeout). */
export const punishmentActions = ['ban', 'mute'] as const satisfies readonly CaseAction[];

export interface MemberHistory {
  counts: { action: CaseAction; count: number }[];
  /** Active ban and mute cases, newest first. */
  inForce: CaseRow[];
  /** The latest cases, newest first (at most HISTORY_RECENT). */
  recent: CaseRow[];
}

const colour = 0x5865f2;

/** "Warning 3 · Ban 1 · Note 2", in the action table's order. */
export function countsLine(counts: MemberHistory['counts']): string {
  const byAction = new Map(counts.map((c) => [c.action, c.count]));
  return caseActions
    .filter((action) => (byAction.get(action) ?? 0) > 0)
    .map((action) => `${actions[action].title} ${byAction.get(action)}`)
    .join(' · ');
}

/** "Temporary ban — ends <t:…:R> (case #12)", "Mute — ends …", "Ban — permanent (case #3)". */
export function inForceLine(row: CaseRow): string {
  const spec: ActionSpec = actions[row.action];
  const title = (row.expiresAt && spec.temporaryTitle) || spec.title;
  const end = row.expiresAt ? `ends ${discordTime(row.expiresAt, 'R')}` : 'permanent';
  return `${title} — ${end} (case #${row.caseNumber})`;
}

export function historyEmbed(userId: string, history: MemberHistory): APIEmbed {
  const total = history.counts.reduce((sum, c) => sum + c.count, 0);
  const description = [
    `${userLine(userId)}: ${total} case${total === 1 ? '' : 's'} — ${countsLine(history.counts)}`,
    '',
    `**Latest ${history.recent.length === 1 ? 'case' : `${history.recent.length} cases`}**`,
    ...history.recent.map((row) => caseLine(row)),
  ].join('\n');
  const inForce = history.inForce.length > 0 ? history.inForce.map(inForceLine).join('\n') : 'Nothing';
  return fitEmbed({
    title: 'History',
    color: colour,
    description: truncate(description, embedLimits.description),
    fields: [field('In force', inForce)],
  });
}

export function historyReply(userId: string, history: MemberHistory): Reply {
  if (history.counts.length === 0) return { content: `<@${userId}> has no cases.` };
  return { embeds: [historyEmbed(userId, history)] };
}
