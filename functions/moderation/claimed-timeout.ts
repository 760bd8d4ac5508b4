// A mute's timeout set again at Discord under a claim on the member: the scheduler's renewal of a
// long mute (scheduled/renew-mutes.ts) and /duration on a mute (commands/cases/duration.ts) do the
// same job. The claim is an intent of purpose `renewal` written like the scheduler's
// (member-claims.ts: only while the case is active and no mute or unmute of the member is in
// flight), by the bot, so a moderator's /mute or /unmute meanwhile waits for it instead of being
// undone by the PATCH. The caller records the new timeout and releases the claim in one batch.
import { eq } from 'drizzle-orm';
import type { EdgeDatabase } from '../../db/edge.ts';
import { pendingActions } from '../../db/schema.ts';
import { timeoutMember } from '../discord/api.ts';
import type { Services } from '../services.ts';
import type { CaseRow } from './cases.ts';
import { writeClaimedIntent } from './member-claims.ts';

/** The scheduler's bookkeeping of a case, started afresh when its timeout or its end changes. */
export const freshSchedule = {
  scheduleAttempts: 0,
  scheduleNextAttemptAt: null,
  scheduleLastError: null,
  scheduleFailureReportedAt: null,
  scheduleClaimedUntil: null,
} as const;

const releaseStatement = (db: EdgeDatabase, claimId: string) =>
  db.delete(pendingActions).where(eq(pendingActions.id, claimId));

/** The claim's release, for the batch that records the new timeout. */
export type ClaimRelease = ReturnType<typeof releaseStatement>;

export type ClaimedTimeout =
  /** Another action on the member is in flight, or the case is no longer active: nothing sent. */
  | { status: 'unclaimed' }
  /** Discord refused or did not answer; the claim is already released (best effort). */
  | { status: 'failed'; error: unknown }
  | { status: 'set'; release: ClaimRelease };

/**
 * Claims the member for `row`'s mute (which is to end at `expiresAt`), then sets their timeout until
 * `until`. Throws only when the claim itself could not be written (the database).
 */
export async function setClaimedTimeout(
  services: Services,
  row: CaseRow,
  timeout: { expiresAt: Date; until: Date; auditLogReason: string },
): Promise<ClaimedTimeout> {
  const { db } = services;
  const claimId = crypto.randomUUID();
  const claimed = await writeClaimedIntent(
    db,
    {
      id: claimId,
      guildId: row.guildId,
      action: 'mute',
      userId: row.userId,
      moderatorId: services.applicationId,
      reason: null,
      expiresAt: timeout.expiresAt,
      dmDelivered: null,
      purpose: 'renewal',
    },
    { side: 'scheduler', caseId: row.id },
  );
  if (!claimed) return { status: 'unclaimed' };
  const release = releaseStatement(db, claimId);
  try {
    await timeoutMember(services.discord, row.guildId, row.userId, timeout.until, {
      auditLogReason: timeout.auditLogReason,
    });
  } catch (error) {
    // Released at once so the member's commands need not wait; if this fails too, the reconciler
    // releases it later.
    await release.catch(() => undefined);
    return { status: 'failed', error };
  }
  return { status: 'set', release };
}
