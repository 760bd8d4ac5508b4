// Actions on one member are serialized through their intents (pending_actions rows, indexed by
// member). Writing an intent for a ban, unban, mute or unmute is a claim on the member for that
// kind of action, and both sides check the other's claim in the same transaction as their own,
// under a per-member advisory lock, so neither can slip in between the other's check and write:
// - the scheduler (a temp ban's lift, a mute's end) writes its intent only while the case it is
//   ending is still active and no action of the same kind on the member is in flight;
// - a moderator's command writes its intent only while no scheduler action of that kind on the
//   member is in flight (younger than SCHEDULER_CLAIM_FRESH_MS); otherwise it is refused, nothing
//   sent, and the moderator asked to try again in a moment;
// - a mod-log line's Undo (components/case-buttons.ts) claims like the scheduler: only while the
//   case it undoes is active and nothing of its kind is in flight, so a double click undoes once.
// Without this, an expiry checked its case, then a /ban landed, then the expiry's unban lifted it.
import { and, eq, getTableColumns, inArray, type SQL, sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../db/edge.ts';
import { type CaseAction, cases, pendingActions } from '../../db/schema.ts';
import type { MessageEvidence } from '../../shared/evidence.ts';

/** The actions that claim a member against each other: a ban and its lift, a mute and its end. */
const families: Partial<Record<CaseAction, readonly CaseAction[]>> = {
  ban: ['ban', 'unban'],
  unban: ['ban', 'unban'],
  mute: ['mute', 'unmute'],
  unmute: ['mute', 'unmute'],
};

export function claimFamily(action: CaseAction): readonly CaseAction[] | null {
  return families[action] ?? null;
}

/**
 * A scheduler intent older than this has no Discord call in flight any more (the client gives up
 * after seconds); one left behind is the reconciler's, and commands on the member go ahead.
 */
export const SCHEDULER_CLAIM_FRESH_MS = 60_000;

/** Held until the transaction ends: two claims on one member never check at the same time. */
function lockMember(db: EdgeDatabase, guildId: string, userId: string) {
  return db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${guildId}:${userId}`}, 0))`);
}

export interface IntentValues {
  id: string;
  guildId: string;
  action: CaseAction;
  userId: string;
  moderatorId: string;
  reason: string | null;
  expiresAt: Date | null;
  dmDelivered: boolean | null;
  evidence?: MessageEvidence | null;
  /** `renewal`: a claim only, while the scheduler renews a mute's timeout; no case follows. */
  purpose?: 'action' | 'renewal';
}

/** Who writes the intent, and so which claim it must respect. */
export type ClaimSide =
  /** A moderator's command: waits for nothing, refused while the scheduler acts on the member. */
  | { side: 'command'; schedulerId: string }
  /** The scheduler ending `caseId`: only while that case is active and nothing is in flight. */
  | { side: 'scheduler'; caseId: string }
  /**
   * A mod-log line's Undo ending `caseId`: like the scheduler's claim, only while that case is active
   * and no action of its kind on the member is in flight, so two clicks never undo twice.
   */
  | { side: 'undo'; caseId: string };

function memberIntentExists(record: IntentValues, family: readonly CaseAction[], extra?: SQL): SQL {
  return sql`exists (select 1 from ${pendingActions} where ${and(
    eq(pendingActions.guildId, record.guildId),
    eq(pendingActions.userId, record.userId),
    inArray(pendingActions.action, [...family]),
    extra,
  )})`;
}

function claimCondition(record: IntentValues, family: readonly CaseAction[], claim: ClaimSide): SQL {
  if (claim.side === 'scheduler' || claim.side === 'undo') {
    return sql`exists (select 1 from ${cases} where ${cases.id} = ${claim.caseId} and ${cases.state} = 'active')
      and not ${memberIntentExists(record, family)}`;
  }
  const fresh = sql`${pendingActions.moderatorId} = ${claim.schedulerId}
    and ${pendingActions.createdAt} > now() - ${SCHEDULER_CLAIM_FRESH_MS} * interval '1 millisecond'`;
  return sql`not ${memberIntentExists(record, family, fresh)}`;
}

/**
 * Writes the intent if the claim holds; returns whether it was written. One round trip. Actions
 * outside a family (kick, warn) claim nothing and are always written.
 */
export async function writeClaimedIntent(
  db: EdgeDatabase,
  record: IntentValues,
  claim: ClaimSide,
): Promise<boolean> {
  const family = claimFamily(record.action);
  const values: Record<keyof typeof pendingActions.$inferSelect, SQL> = {
    id: sql`${record.id}::uuid`,
    guildId: sql`${record.guildId}`,
    action: sql`${record.action}`,
    userId: sql`${record.userId}`,
    moderatorId: sql`${record.moderatorId}`,
    reason: sql`${record.reason}::text`,
    evidence: sql`${record.evidence ? JSON.stringify(record.evidence) : null}::jsonb`,
    expiresAt: sql`${record.expiresAt?.toISOString() ?? null}::timestamptz`,
    discordAcceptedAt: sql`null::timestamptz`,
    dmDelivered: sql`${record.dmDelivered}::boolean`,
    createdAt: sql`now()`,
    reconcileAttempts: sql`0`,
    purpose: sql`${record.purpose ?? 'action'}`,
  };
  // In the table's column order, as INSERT … SELECT takes them.
  const columns = Object.keys(getTableColumns(pendingActions)) as (keyof typeof values)[];
  const where = family ? sql` where ${claimCondition(record, family, claim)}` : sql``;
  const insert = db
    .insert(pendingActions)
    .select(
      sql`select ${sql.join(
        columns.map((column) => values[column]),
        sql`, `,
      )}${where}`,
    )
    .returning({ id: pendingActions.id });
  if (!family) return (await insert).length > 0;
  const [, written] = await db.batch([lockMember(db, record.guildId, record.userId), insert]);
  return written.length > 0;
}
