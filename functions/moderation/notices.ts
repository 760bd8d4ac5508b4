// What members and moderators are told about an action (texts from shared/actions.ts). Pure.
import type {
  APIActionRowComponent,
  APIComponentInMessageActionRow,
  APIEmbed,
  APIEmbedField,
} from 'discord-api-types/v10';
import { actions, type CaseAction } from '../../shared/actions.ts';
import { appealButtonRow } from '../../shared/appeal-components.ts';
import { formatDuration } from '../../shared/duration.ts';
import { discordTimestamp, embedLimits, truncate } from '../../shared/embed-fit.ts';
import type { ModerationOutcome } from './carry-out.ts';

/** The DM a member gets before an action. */
export function memberNotice(
  action: CaseAction,
  guildName: string,
  reason: string | null,
  expiresAt: Date | null,
  now: Date,
): APIEmbed {
  const fields: APIEmbedField[] = [
    { name: 'Reason', value: truncate(reason ?? 'No reason given', embedLimits.fieldValue) },
  ];
  if (expiresAt) {
    fields.push({
      name: 'Ends',
      value: `${discordTimestamp(expiresAt)} — ${formatDuration(expiresAt.getTime() - now.getTime())}`,
    });
  }
  return {
    title: truncate(`${actions[action].notice} ${guildName}`, embedLimits.title),
    color: actions[action].colour,
    fields,
  };
}

/**
 * The buttons under the member's DM: a ban's (permanent or temporary, whoever or whatever decided
 * it) carries Appeal, naming the ban's case (the intent's id, known before the DM is sent).
 */
export function memberNoticeComponents(
  action: CaseAction,
  caseId: string,
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  return action === 'ban' ? [appealButtonRow(caseId)] : [];
}

/** The X-Audit-Log-Reason Discord shows in the server's audit log (the client truncates to 512). */
export function auditLogReason(moderator: { id: string; username: string }, reason: string | null): string {
  return `${moderator.username} (${moderator.id}): ${reason ?? 'No reason given'}`;
}

/** The moderator's confirmation, e.g. "Banned <@1> for 2 hours — case #12. They were told by DM." */
export function outcomeSummary(
  action: CaseAction,
  userId: string,
  outcome: Exclude<ModerationOutcome, { status: 'not_claimed' }>,
  lengthMs: number | null,
): string {
  const what = `**${actions[action].pastTense}** <@${userId}>${lengthMs ? ` for ${formatDuration(lengthMs)}` : ''}`;
  const dm =
    outcome.dmDelivered === null
      ? ''
      : outcome.dmDelivered
        ? ' They were told by DM.'
        : ' I could not DM them.';
  if (outcome.status === 'unrecorded') {
    return `${what}, but the case could not be saved yet; it will be recorded automatically within a few minutes.${dm}`;
  }
  return `${what} — case #${outcome.recorded.row.caseNumber}.${dm}`;
}
