// One case as a line of a list (/warnings, /cases, /history): number, action, state, date, who,
// and the reason cut short, so ten of them stay well inside an embed's description. Pure.
import { type ActionSpec, actions, type CaseSource, UNKNOWN_MODERATOR_ID } from '../../../shared/actions.ts';
import { discordTime, truncate } from '../../../shared/embed-fit.ts';
import type { CaseRow } from '../../moderation/cases.ts';

/** Each line's reason is cut so that ten lines stay well inside the 4096-character description. */
export const REASON_PREVIEW = 200;

/** Where a case came from, when it was not a Lockdown command. */
const sourceNotes: Record<CaseSource, string> = {
  command: '',
  discord: ' · from Discord',
  automod: ' · AutoMod',
  scheduler: ' · on schedule',
  escalation: ' · escalation',
};

const moderator = (row: CaseRow) =>
  row.source === 'automod'
    ? 'by AutoMod'
    : row.moderatorId === UNKNOWN_MODERATOR_ID
      ? 'by an unknown moderator'
      : `by <@${row.moderatorId}>`;

/**
 * "`#7` **Ban** (expired) · <t:…:d> · by <@m>" and the reason below it; with `showMember` (a list
 * of several members' cases) the member comes after the action.
 */
export function caseLine(row: CaseRow, options: { showMember?: boolean } = {}): string {
  const spec: ActionSpec = actions[row.action];
  const title = (row.expiresAt && spec.temporaryTitle) || spec.title;
  const ended = row.state === 'active' ? '' : ` (${row.state})`;
  const member = options.showMember ? ` · <@${row.userId}>` : '';
  const when = discordTime(row.createdAt, 'd');
  const reason = row.reason ? truncate(row.reason.replace(/\s+/g, ' '), REASON_PREVIEW) : '*No reason given*';
  return `\`#${row.caseNumber}\` **${title}**${ended}${member} · ${when} · ${moderator(row)}${sourceNotes[row.source]}\n${reason}`;
}
