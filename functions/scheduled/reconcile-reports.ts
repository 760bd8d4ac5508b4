// The reconciler's words to the mod-log: an unconfirmed action given up (said once, in the same
// transaction as the drop) and an intent that keeps failing to be checked (said once when its
// failures are due a report); the quiet drop of an intent a later case covers.
import { eq } from 'drizzle-orm';
import { pendingActions } from '../../db/schema.ts';
import { botPermissionLabel } from '../../shared/actions.ts';
import { errorForLog } from '../log.ts';
import { auditEvent, queueEvent, sequenced } from '../moderation/audit.ts';
import type { IntentRow } from '../moderation/cases.ts';
import type { Services } from '../services.ts';
import { afterCountedFailure, describeMissing, failureForGuild } from './backoff.ts';
import type { TickContext } from './context.ts';
import type { AuditConfirmation } from './reconcile-audit.ts';

/** What the audit log added, in the report's sentence. */
function auditLogSaid(confirmation: AuditConfirmation | null): string {
  if (confirmation?.kind === 'unreadable')
    return ', and Lockdown cannot read the audit log (it needs View Audit Log) to check whether it happened';
  if (confirmation?.kind === 'absent') return ', and the audit log shows no such action by Lockdown';
  return '';
}

export async function dropIntent(services: Services, intent: IntentRow, why: string): Promise<void> {
  await services.db.delete(pendingActions).where(eq(pendingActions.id, intent.id));
  console.log(
    `scheduled: dropped unconfirmed ${intent.action} ${intent.id} (guild ${intent.guildId}, user ${intent.userId}): ${why}`,
  );
}

/** A `schedule.failed` report about an intent, said by the bot. */
function intentReport(
  services: Services,
  intent: IntentRow,
  reason: string,
  details: Record<string, string | number>,
  now: Date,
) {
  return auditEvent(
    {
      id: null,
      caseNumber: null,
      guildId: intent.guildId,
      userId: intent.userId,
      moderatorId: services.applicationId,
      reason,
      expiresAt: null,
      action: 'schedule.failed',
      details: { Job: 'confirm an unconfirmed action', Action: intent.action, Intent: intent.id, ...details },
    },
    now,
  );
}

/**
 * Drops an intent neither Discord's present state nor its audit log confirms (reconcile-audit.ts
 * asked the audit log first). A moderator's action is never dropped silently: the mod-log is told
 * once, in the same transaction as the drop, that it could not be confirmed and has no case, and
 * whether the audit log could be checked, so the team can check and redo it. The scheduler's own
 * actions are not reported: their case is still due, and the scheduler tries again.
 */
export async function dropUnconfirmed(
  tick: TickContext,
  services: Services,
  intent: IntentRow,
  why: string,
  confirmation: AuditConfirmation | null,
): Promise<void> {
  if (intent.moderatorId === services.applicationId) {
    await dropIntent(services, intent, why);
    return;
  }
  const { db } = services;
  const { now } = tick;
  const event = intentReport(
    services,
    intent,
    `Could not confirm a ${intent.action} of <@${intent.userId}> by <@${intent.moderatorId}>: Discord now shows ${why.replace(/^the /, 'that the ')}${auditLogSaid(confirmation)}. No case was recorded; if it did happen, run the command again.`,
    {},
    now,
  );
  const [, queued] = await db.batch([
    db.delete(pendingActions).where(eq(pendingActions.id, intent.id)),
    queueEvent(db, event, now),
  ]);
  tick.events.push(sequenced(event, queued));
  console.log(
    `scheduled: reported and dropped unconfirmed ${intent.action} ${intent.id} (guild ${intent.guildId}, user ${intent.userId}): ${why}`,
  );
}

/** Counts the failed attempt; queues a report the one time it is due. Returns whether it reported. */
export async function recordIntentFailure(
  tick: TickContext,
  services: Services,
  intent: IntentRow,
  kind: 'transient' | 'permanent',
  error: unknown,
): Promise<boolean> {
  const { now } = tick;
  const { db } = services;
  console.error(`scheduled: could not confirm intent ${intent.id}: ${errorForLog(error)}`);
  const decision = afterCountedFailure(intent.reconcileAttempts, kind);
  const update = db
    .update(pendingActions)
    .set({ reconcileAttempts: decision.attempts })
    .where(eq(pendingActions.id, intent.id));
  if (!decision.report) {
    await update;
    return false;
  }
  const event = intentReport(
    services,
    intent,
    `Could not confirm whether a ${intent.action} by <@${intent.moderatorId}> went through; its case is not recorded yet. Retrying about hourly.`,
    {
      Missing: describeMissing(error, botPermissionLabel(intent.action)),
      Attempts: decision.attempts,
      'Last error': failureForGuild(error),
    },
    now,
  );
  const [, queued] = await db.batch([update, queueEvent(db, event, now)]);
  tick.events.push(sequenced(event, queued));
  return true;
}
