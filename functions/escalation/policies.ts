// A server's escalation policies in Postgres: listed by number, added and removed each with its
// `audit:logged` event in one transaction. Adding takes the guild's policy lock (an advisory lock)
// so the limit, the numbering (one more than the highest) and the duplicate check hold under two
// adds at once; removing is conditional on the row (locked) so two removes announce it once.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../db/edge.ts';
import { escalationPolicies } from '../../db/schema.ts';
import { MAX_ESCALATION_POLICIES } from '../../shared/command-definitions.ts';
import type { LockdownEvent } from '../../shared/events.ts';
import { bumpEventSequenceIf, queueEventIfChanged, sequenced } from '../events/outbox.ts';
import { auditEvent } from '../moderation/audit.ts';
import type { PolicyRow } from './crossing.ts';
import { actionText, type PolicyTerms, policyLine, thresholdText } from './decide.ts';

export function listPolicies(db: EdgeDatabase, guildId: string): Promise<PolicyRow[]> {
  return db
    .select()
    .from(escalationPolicies)
    .where(eq(escalationPolicies.guildId, guildId))
    .orderBy(asc(escalationPolicies.policyNumber));
}

/** The same threshold and window: two such policies would always cross together. */
export const sameThreshold = (a: Omit<PolicyTerms, 'policyNumber'>, b: Omit<PolicyTerms, 'policyNumber'>) =>
  a.warnings === b.warnings && a.withinSeconds === b.withinSeconds;

export type AddResult =
  | { status: 'added'; policy: PolicyTerms; event: LockdownEvent }
  | { status: 'full' }
  | { status: 'duplicate'; policy: PolicyRow }
  /** Another change landed between the read and the write: nothing was added. */
  | { status: 'changed' };

/** `extra`: details the caller adds to the mod-log line (where the change was made). */
function policyDetails(policy: PolicyTerms, extra: Record<string, string> = {}) {
  return {
    Policy: `#${policy.policyNumber}`,
    At: thresholdText(policy),
    Action: actionText(policy),
    ...extra,
  };
}

export async function addPolicy(
  db: EdgeDatabase,
  input: {
    guildId: string;
    terms: Omit<PolicyTerms, 'policyNumber'>;
    createdBy: string;
    now: Date;
    details?: Record<string, string>;
  },
): Promise<AddResult> {
  const { guildId, terms, createdBy, now } = input;
  const existing = await listPolicies(db, guildId);
  const duplicate = existing.find((p) => sameThreshold(p, terms));
  if (duplicate) return { status: 'duplicate', policy: duplicate };
  if (existing.length >= MAX_ESCALATION_POLICIES) return { status: 'full' };
  const policyNumber = (existing.at(-1)?.policyNumber ?? 0) + 1;
  const policy: PolicyTerms = { ...terms, policyNumber };
  const id = crypto.randomUUID();
  const event = auditEvent(
    {
      id: null,
      caseNumber: null,
      guildId,
      userId: null,
      moderatorId: createdBy,
      reason: policyLine(policy),
      expiresAt: null,
      action: 'escalation.added',
      details: policyDetails(policy, input.details),
    },
    now,
  );
  const ofGuild = sql`${escalationPolicies.guildId} = ${guildId}`;
  const [, inserted, queued] = await db.batch([
    db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`escalation-policies:${guildId}`}, 0))`),
    db.execute<{ id: string }>(sql`
      insert into ${escalationPolicies}
        (id, guild_id, policy_number, warnings, within_seconds, action, duration_seconds, created_by, created_at)
      select ${id}::uuid, ${guildId}, ${policyNumber}, ${terms.warnings}, ${terms.withinSeconds},
        ${terms.action}, ${terms.durationSeconds}::integer, ${createdBy}, ${now.toISOString()}::timestamptz
      where (select count(*) from ${escalationPolicies} where ${ofGuild}) = ${existing.length}
        and (select coalesce(max(${escalationPolicies.policyNumber}), 0) from ${escalationPolicies} where ${ofGuild}) = ${policyNumber - 1}
        and not exists (select 1 from ${escalationPolicies} where ${ofGuild}
          and ${escalationPolicies.warnings} = ${terms.warnings} and ${escalationPolicies.withinSeconds} = ${terms.withinSeconds})
      returning id`),
    queueEventIfChanged(
      db,
      bumpEventSequenceIf(
        guildId,
        sql`exists (select 1 from ${escalationPolicies} where ${escalationPolicies.id} = ${id})`,
      ),
      event,
      now,
    ),
  ]);
  if (inserted.rows.length === 0) return { status: 'changed' };
  return { status: 'added', policy, event: sequenced(event, queued) };
}

export type RemoveResult =
  | { status: 'removed'; policy: PolicyRow; event: LockdownEvent }
  | { status: 'none' };

export async function removePolicy(
  db: EdgeDatabase,
  input: {
    guildId: string;
    policyNumber: number;
    removedBy: string;
    now: Date;
    details?: Record<string, string>;
  },
): Promise<RemoveResult> {
  const { guildId, policyNumber, removedBy, now } = input;
  const [policy] = await db
    .select()
    .from(escalationPolicies)
    .where(and(eq(escalationPolicies.guildId, guildId), eq(escalationPolicies.policyNumber, policyNumber)));
  if (!policy) return { status: 'none' };
  const event = auditEvent(
    {
      id: null,
      caseNumber: null,
      guildId,
      userId: null,
      moderatorId: removedBy,
      reason: policyLine(policy),
      expiresAt: null,
      action: 'escalation.removed',
      details: policyDetails(policy, input.details),
    },
    now,
  );
  // The event first, while the row exists (locked); then the row. A second remove finds nothing.
  const [queued, deleted] = await db.batch([
    queueEventIfChanged(
      db,
      bumpEventSequenceIf(
        guildId,
        sql`exists (select 1 from ${escalationPolicies} where ${escalationPolicies.id} = ${policy.id} for update)`,
      ),
      event,
      now,
    ),
    db
      .delete(escalationPolicies)
      .where(eq(escalationPolicies.id, policy.id))
      .returning({ id: escalationPolicies.id }),
  ]);
  if (deleted.length === 0) return { status: 'none' };
  return { status: 'removed', policy, event: sequenced(event, queued) };
}
