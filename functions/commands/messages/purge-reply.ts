// What /purge tells the moderator, as pure text from the plan and what happened: how many messages
// went, how many were too old or pinned, and — when it is so — that nothing went, or that the purge
// could not be written to the mod-log.
import type { PurgePlan } from './purge-plan.ts';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const were = (n: number) => (n === 1 ? 'was' : 'were');
const are = (n: number) => (n === 1 ? 'is' : 'are');

export interface PurgeReport {
  channelId: string;
  authorId: string | null;
  plan: PurgePlan;
  /** Messages Discord deleted (or, after an unconfirmed call, that are gone now). */
  deleted: number;
}

/** "Deleted 12 messages by <@x> in <#c>. 3 were older than 14 days…" */
export function deletedText(report: PurgeReport): string {
  const { plan, deleted } = report;
  const by = report.authorId ? ` by <@${report.authorId}>` : '';
  const parts = [`🧹 Deleted ${plural(deleted, 'message', 'messages')}${by} in <#${report.channelId}>.`];
  if (plan.tooOld > 0) {
    parts.push(
      `${plan.tooOld} ${were(plan.tooOld)} older than 14 days and ${were(plan.tooOld)} skipped (Discord does not bulk-delete those).`,
    );
  }
  if (plan.pinned > 0)
    parts.push(`${plural(plan.pinned, 'pinned message', 'pinned messages')} ${were(plan.pinned)} kept.`);
  return parts.join(' ');
}

/** Why nothing could be deleted, in the moderator's terms. */
export function nothingToDeleteText(report: Omit<PurgeReport, 'deleted'>): string {
  const { plan, channelId, authorId } = report;
  const channel = `<#${channelId}>`;
  if (plan.scanned === 0) return `There are no messages in ${channel} to delete.`;
  const last =
    plan.scanned === 1 ? `the last message in ${channel}` : `the last ${plan.scanned} messages in ${channel}`;
  if (plan.matched === 0) {
    if (!authorId) return `None of ${last} can be deleted (system messages). Nothing was deleted.`;
    return plan.scanned === 1
      ? `The last message in ${channel} is not by <@${authorId}>. Nothing was deleted.`
      : `None of ${last} are by <@${authorId}>. Nothing was deleted.`;
  }
  const reasons: string[] = [];
  if (plan.tooOld > 0) {
    reasons.push(
      `${plan.tooOld} ${are(plan.tooOld)} older than 14 days (Discord does not bulk-delete those)`,
    );
  }
  if (plan.pinned > 0) reasons.push(`${plan.pinned} ${are(plan.pinned)} pinned (pinned messages are kept)`);
  const among = authorId
    ? `of ${plan.matched === 1 ? 'the one message' : `the ${plan.matched} messages`} by <@${authorId}> among ${last}`
    : `of ${last}`;
  return `Nothing was deleted: ${among}, ${reasons.join(' and ')}.`;
}

/** Added when the messages went but the mod-log line could not be written. */

/** A call Discord did not confirm (timeout, 5xx), after which every message was found still there. */
export const NOT_DONE =
  'Discord did not confirm the deletion, and every message is still there: nothing was deleted. Try again shortly.';

/** A bulk delete Discord did not confirm, and which could not be checked afterwards either. */
export function unconfirmedText(report: Omit<PurgeReport, 'deleted'>, count: number): string {
  return `Discord did not confirm the deletion and I could not check afterwards: some or all of the ${plural(count, 'message', 'messages')} in <#${report.channelId}> may have been deleted. Look at the channel and run /purge again if needed. Nothing was recorded in the mod-log.`;
}
