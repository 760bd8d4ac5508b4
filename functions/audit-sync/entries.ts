// What one audit-log entry becomes: a case (its action, member, moderator, reason, end, source and
// AutoMod rule, dated at the entry's own time), or why it is skipped. Pure: the sync (sync-guild.ts)
// does the reading and the writing. See docs/ARCHITECTURE.md "Audit-log sync".
import { type APIAuditLogEntry, AuditLogEvent } from 'discord-api-types/v10';
import type { CaseAction, CaseSource } from '../../shared/actions.ts';
import { snowflakeTime } from '../../shared/snowflakes.ts';

/** Audit-log entry ids in ascending order (ids are snowflakes: compare them as numbers). */
export function byEntryId(a: { id: string }, b: { id: string }): number {
  const [x, y] = [BigInt(a.id), BigInt(b.id)];
  return x < y ? -1 : x > y ? 1 : 0;
}

import { UNKNOWN_MODERATOR_ID } from '../../shared/actions.ts';

/** A case to record, read from an entry. */
export interface EntryCase {
  auditEntryId: string;
  action: CaseAction;
  userId: string;
  moderatorId: string;
  reason: string | null;
  /** The mute's end (a timeout's new value); null for the others and for an AutoMod timeout. */
  expiresAt: Date | null;
  timeoutUntil: Date | null;
  source: Extract<CaseSource, 'discord' | 'automod'>;
  automodRule: string | null;
  /** When it happened: the entry id's time. The case is dated then, not when the sync read it. */
  at: Date;
  /**
   * A bulk ban (no actor): it may be one of Lockdown's own /massban, which Discord does not attribute
   * to the bot — the sync skips it when Lockdown already holds an active ban case from around then.
   */
  bulkBan: boolean;
  /** An AutoMod timeout: its end is not in the entry; the sync reads it from the member. */
  timeoutEndUnknown: boolean;
}

export type SkipReason =
  /** Made by Lockdown's bot: already a case. */
  | 'own'
  /** Not a kind that becomes a case (a channel update, a webhook…). */
  | 'other_kind'
  /** A member update that did not touch the timeout (a nickname, roles). */
  | 'no_timeout_change'
  | 'no_target';

export type EntryOutcome = { kind: 'case'; case: EntryCase } | { kind: 'skip'; why: SkipReason };

const skip = (why: SkipReason): EntryOutcome => ({ kind: 'skip', why });

const HUMAN_ACTIONS: Partial<Record<AuditLogEvent, CaseAction>> = {
  [AuditLogEvent.MemberBanAdd]: 'ban',
  [AuditLogEvent.MemberBanRemove]: 'unban',
  [AuditLogEvent.MemberKick]: 'kick',
};

const AUTOMOD_ACTIONS: Partial<Record<AuditLogEvent, CaseAction>> = {
  [AuditLogEvent.AutoModerationBlockMessage]: 'automod_block',
  [AuditLogEvent.AutoModerationFlagToChannel]: 'automod_flag',
  [AuditLogEvent.AutoModerationUserCommunicationDisabled]: 'mute',
};

/** The timeout's new value if the entry changed it: a date, null when removed, undefined when untouched. */
function timeoutChange(entry: APIAuditLogEntry): Date | null | undefined {
  const change = entry.changes?.find((c) => c.key === 'communication_disabled_until');
  if (!change) return undefined;
  const value = (change as { new_value?: unknown }).new_value;
  if (typeof value !== 'string') return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : new Date(at);
}

/**
 * What `entry` becomes. `botUserId` is Lockdown's own user (its application id); `automodModeratorId`
 * stands as the moderator of AutoMod's cases — Discord names the member itself as the actor, which
 * would read as "the member muted themselves", so the bot (who reports it) is named and the source
 * says AutoMod, with the rule.
 */
export function entryOutcome(
  entry: APIAuditLogEntry,
  context: { botUserId: string; automodModeratorId: string },
): EntryOutcome {
  const actor = entry.user_id ?? null;
  if (actor !== null && actor === context.botUserId) return skip('own');
  return readEntry(entry, context.automodModeratorId);
}

/**
 * What `entry` records, whoever made it — the reconciler reads Lockdown's own entries with it to
 * learn whether an unconfirmed action happened (scheduled/reconcile-audit.ts).
 */
export function readEntry(entry: APIAuditLogEntry, automodModeratorId: string): EntryOutcome {
  const actor = entry.user_id ?? null;
  const target = entry.target_id ?? null;
  const base = {
    auditEntryId: entry.id,
    reason: entry.reason?.trim() ? entry.reason : null,
    at: new Date(snowflakeTime(entry.id)),
    expiresAt: null,
    timeoutUntil: null,
    automodRule: null,
    bulkBan: false,
    timeoutEndUnknown: false,
  };

  const automod = AUTOMOD_ACTIONS[entry.action_type];
  if (automod) {
    if (!target) return skip('no_target');
    const rule = entry.options?.auto_moderation_rule_name;
    return {
      kind: 'case',
      case: {
        ...base,
        action: automod,
        userId: target,
        moderatorId: automodModeratorId,
        reason: null,
        source: 'automod',
        automodRule: rule?.trim() ? rule : null,
        timeoutEndUnknown: automod === 'mute',
      },
    };
  }

  let action = HUMAN_ACTIONS[entry.action_type];
  let expiresAt: Date | null = null;
  if (entry.action_type === AuditLogEvent.MemberUpdate) {
    const until = timeoutChange(entry);
    if (until === undefined) return skip('no_timeout_change');
    // A timeout set to a time already past lifts it as surely as clearing it.
    const lifted = until === null || until.getTime() <= base.at.getTime();
    action = lifted ? 'unmute' : 'mute';
    expiresAt = lifted ? null : until;
  }
  if (!action) return skip('other_kind');
  if (!target) return skip('no_target');
  return {
    kind: 'case',
    case: {
      ...base,
      action,
      userId: target,
      moderatorId: actor ?? UNKNOWN_MODERATOR_ID,
      source: 'discord',
      expiresAt,
      timeoutUntil: expiresAt,
      bulkBan: action === 'ban' && actor === null,
    },
  };
}
