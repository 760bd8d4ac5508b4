// The reconciler's second witness. Discord's present state shows what is true now, not what
// happened: a ban lifted by hand since, or a kicked member who rejoined, looks the same as an action
// that never went through. Discord's audit log keeps what happened (45 days), with Lockdown's own
// bot as the actor of its own actions. So before an unconfirmed action is given up, the guild's
// audit log is asked for Lockdown's entry of that kind about that member since the intent was
// written; one found means the action happened, and its case is recorded from the entry (dated at
// it, keyed by it). `ownEntryFor` is the pure match; `confirmFromAuditLog` the one call.
import { AuditLogEvent } from 'discord-api-types/v10';
import type { CaseAction } from '../../shared/actions.ts';
import { type EntryCase, readEntry } from '../audit-sync/entries.ts';
import { getAuditLog, lacksAuditLog } from '../discord/audit-log.ts';
import type { IntentRow } from '../moderation/cases.ts';
import type { Services } from '../services.ts';
import { intendedTimeoutEnd, TIMEOUT_MATCH_TOLERANCE_MS } from './reconcile-plan.ts';

/** The audit-log kind each reconcilable action leaves behind. */
export const auditTypeOf: Partial<Record<CaseAction, AuditLogEvent>> = {
  ban: AuditLogEvent.MemberBanAdd,
  unban: AuditLogEvent.MemberBanRemove,
  kick: AuditLogEvent.MemberKick,
  mute: AuditLogEvent.MemberUpdate,
  unmute: AuditLogEvent.MemberUpdate,
};

/**
 * How much earlier than its intent an entry may be dated and still be its action: the intent is
 * stamped by the database's clock, the entry's id by Discord's.
 */
export const CLOCK_SKEW_MS = 60_000;

/** Entries asked for: a member rarely has more of one kind by the bot within the reconciler's reach. */
export const AUDIT_CONFIRM_LIMIT = 25;

type IntentFacts = Pick<IntentRow, 'action' | 'userId' | 'createdAt' | 'expiresAt' | 'discordAcceptedAt'>;

/**
 * Lockdown's entry recording `intent`'s action among `entries` (the bot's, any order): the earliest
 * of that action about that member dated from the intent on, and for a mute one whose timeout ends
 * where the mute meant it to. Null when none is.
 */
export function ownEntryFor(
  intent: IntentFacts,
  entries: readonly Parameters<typeof readEntry>[0][],
  botUserId: string,
): EntryCase | null {
  const from = intent.createdAt.getTime() - CLOCK_SKEW_MS;
  const intended = intent.action === 'mute' ? intendedTimeoutEnd(intent) : null;
  let found: EntryCase | null = null;
  for (const entry of entries) {
    if (entry.user_id !== botUserId) continue;
    const outcome = readEntry(entry, botUserId);
    if (outcome.kind !== 'case') continue;
    const read = outcome.case;
    if (read.action !== intent.action || read.userId !== intent.userId) continue;
    if (read.at.getTime() < from) continue;
    if (intent.action === 'mute') {
      const until = read.expiresAt?.getTime();
      if (
        !intended ||
        until === undefined ||
        Math.abs(until - intended.getTime()) > TIMEOUT_MATCH_TOLERANCE_MS
      )
        continue;
    }
    if (!found || read.at.getTime() < found.at.getTime()) found = read;
  }
  return found;
}

export type AuditConfirmation =
  | { kind: 'found'; entry: EntryCase }
  | { kind: 'absent' }
  /** The bot may not read the audit log (View Audit Log), so it cannot tell. */
  | { kind: 'unreadable' };

/** Asks the guild's audit log (one call) whether Lockdown carried `intent` out. */
export async function confirmFromAuditLog(services: Services, intent: IntentRow): Promise<AuditConfirmation> {
  const actionType = auditTypeOf[intent.action];
  if (actionType === undefined) return { kind: 'absent' };
  try {
    const page = await getAuditLog(services.discord, intent.guildId, {
      limit: AUDIT_CONFIRM_LIMIT,
      userId: services.applicationId,
      targetId: intent.userId,
      actionType,
    });
    const entry = ownEntryFor(intent, page.audit_log_entries, services.applicationId);
    return entry ? { kind: 'found', entry } : { kind: 'absent' };
  } catch (error) {
    if (lacksAuditLog(error)) return { kind: 'unreadable' };
    throw error;
  }
}
