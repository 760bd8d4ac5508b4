// The crossing of a policy, in SQL: the statement recordCase (moderation/cases.ts) runs in the
// transaction that records a case, and the read of one crossing with what its case needs. Writing
// the crossing with the warning means none is ever lost: if the Worker dies right after, the
// scheduler finds the `pending` row (scheduled/continue-escalations.ts). The rules are decide.ts's:
// exactly the threshold, counting by case number and the warning's own time, the most severe policy.
import { eq, type SQL, sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../db/edge.ts';
import { cases, escalationPolicies, escalations } from '../../db/schema.ts';
import { actionSeverity, countedActions } from './decide.ts';

const inList = (values: readonly string[]) =>
  sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  );

/**
 * The member's counted warnings for the policy `escalation_policies` at the warning `cases` (both
 * from the outer query): in force, not deleted, numbered up to the warning's, made within the
 * window before it. `select` is what to read from them (`w` is the counted case). Uses the
 * (guild_id, user_id, created_at) index.
 */
function countedWarnings(select: SQL): SQL {
  return sql`(select ${select} from ${cases} w
    where w.guild_id = ${cases.guildId} and w.user_id = ${cases.userId}
      and w.action in (${inList(countedActions)}) and w.state = 'active' and w.deleted_at is null
      and w.case_number <= ${cases.caseNumber}
      and w.created_at > ${cases.createdAt} - ${escalationPolicies.withinSeconds} * interval '1 second')`;
}

/** decide.ts `bySeverity` as an ORDER BY. */
const severityOrder = sql`case ${escalationPolicies.action} ${sql.join(
  Object.entries(actionSeverity).map(([action, rank]) => sql`when ${action} then ${sql.raw(String(rank))}`),
  sql` `,
)} end desc, coalesce(${escalationPolicies.durationSeconds}, 2147483647) desc, ${escalationPolicies.policyNumber} asc`;

export type Crossing = {
  id: string;
  policy_id: string;
};

/**
 * For the batch that records case `caseId` (after its insert): the crossing its warning makes, if
 * any — one `pending` row for the most severe policy crossed; nothing for other kinds of case, for
 * a deleted one, or for a /modlog import's history (`batch_id`: old warnings do not punish now).
 * Unique on (policy, warning), so recording the same crossing again does nothing.
 */
export function crossingStatement(db: EdgeDatabase, caseId: string) {
  return db.execute<Crossing>(sql`
    insert into ${escalations} (id, guild_id, policy_id, user_id, trigger_case_id, state)
    select gen_random_uuid(), ${cases.guildId}, ${escalationPolicies.id}, ${cases.userId}, ${cases.id}, 'pending'
    from ${cases} join ${escalationPolicies} on ${escalationPolicies.guildId} = ${cases.guildId}
    where ${cases.id} = ${caseId} and ${cases.action} in (${inList(countedActions)})
      and ${cases.deletedAt} is null and ${cases.batchId} is null
      and ${escalationPolicies.warnings} = ${countedWarnings(sql`count(*)`)}
    order by ${severityOrder}
    limit 1
    on conflict (policy_id, trigger_case_id) do nothing
    returning id, policy_id`);
}

export type EscalationRow = typeof escalations.$inferSelect;
export type PolicyRow = typeof escalationPolicies.$inferSelect;
export type TriggerRow = typeof cases.$inferSelect;

export interface LoadedCrossing {
  escalation: EscalationRow;
  /** Null when the policy was removed since. */
  policy: PolicyRow | null;
  trigger: TriggerRow;
  /** The counted warnings now, by number (their count is the threshold unless one was deleted since). */
  caseNumbers: number[];
}

/** One crossing with its policy, its warning and the warnings it counts: one query. */
export async function loadCrossing(db: EdgeDatabase, escalationId: string): Promise<LoadedCrossing | null> {
  const [found] = await db
    .select({
      escalation: escalations,
      policy: escalationPolicies,
      trigger: cases,
      numbers: sql<string | null>`${countedWarnings(
        sql`string_agg(w.case_number::text, ',' order by w.case_number)`,
      )}`,
    })
    .from(escalations)
    .innerJoin(cases, eq(cases.id, escalations.triggerCaseId))
    .leftJoin(escalationPolicies, eq(escalationPolicies.id, escalations.policyId))
    .where(eq(escalations.id, escalationId));
  if (!found) return null;
  const numbers = found.policy && found.numbers ? found.numbers.split(',').map(Number) : [];
  return { escalation: found.escalation, policy: found.policy, trigger: found.trigger, caseNumbers: numbers };
}
