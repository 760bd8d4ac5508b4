// Corrections of a case (/reason and the mod-log's Edit reason, /duration, /case delete), and the
// history they leave. A correction never erases: the case row takes the new value, a `case_edits`
// row keeps the old and the new with who and when, and the `audit:logged` event is queued — one
// batch, all or nothing, and only while the case still holds what the moderator saw
// (compare-and-set). The history row goes first, selected from the case row locked `for update`
// under the correction's guard; the change and the event are conditional on that row existing, so
// of two corrections racing on one case the second (re-checked after the lock) writes nothing.

import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { enderCase, enderJoin, endingColumns, endingOf } from '../../../db/case-ending.ts';
import type { EdgeDatabase } from '../../../db/edge.ts';
import { type caseEditFields, caseEdits, cases } from '../../../db/schema.ts';
import type { CaseEnding } from '../../../shared/embeds.ts';
import type { AuditAction, AuditEventData, LockdownEvent } from '../../../shared/events.ts';
import { bumpEventSequenceIf, queueEventIfChanged, sequenced } from '../../events/outbox.ts';
import { CommandError } from '../../interactions/errors.ts';
import { auditEvent } from '../../moderation/audit.ts';
import type { CaseRow } from '../../moderation/cases.ts';

export type CaseEditField = (typeof caseEditFields)[number];
export type CaseEditRow = typeof caseEdits.$inferSelect;

/** The guard every correction shares: a deleted case is not corrected any more. */
export const notDeleted = sql`${cases.deletedAt} is null`;

/** Refuses to correct a deleted case (it is kept as it was when deleted). */
export function requireNotDeleted(row: Pick<CaseRow, 'caseNumber' | 'deletedAt'>): void {
  if (row.deletedAt)
    throw new CommandError('forbidden', `Case #${row.caseNumber} was deleted; it can no longer be changed.`);
}

export interface Correction {
  row: Pick<CaseRow, 'id' | 'guildId'>;
  field: CaseEditField;
  /** As text: a reason, an ISO instant (null: none), `true`/`false` for deleted. */
  oldValue: string | null;
  newValue: string | null;
  editedBy: string;
  /** Why, when the command asks (a deletion's reason, a duration change's). */
  note: string | null;
  /** What the case row must still hold for the correction to apply (its id is always checked). */
  guard: SQL;
  /** The change itself. */
  set: Partial<typeof cases.$inferInsert>;
  event: LockdownEvent;
  now: Date;
  /** Further statements for the same transaction, run whether or not it applied (releasing a claim). */
  also?: BatchItem<'pg'>[];
}

/** The `audit:logged` event of a correction: the case and its member, who corrected it and why. */
export function correctionEvent(
  row: Pick<CaseRow, 'id' | 'caseNumber' | 'guildId' | 'userId'>,
  correction: {
    action: AuditAction;
    editedBy: string;
    reason: string | null;
    details: AuditEventData['details'];
  },
  now: Date,
) {
  return auditEvent(
    {
      id: row.id,
      caseNumber: row.caseNumber,
      guildId: row.guildId,
      userId: row.userId,
      moderatorId: correction.editedBy,
      reason: correction.reason,
      expiresAt: null,
      action: correction.action,
      details: correction.details,
    },
    now,
  );
}

export type CorrectionResult = { applied: true; event: LockdownEvent } | { applied: false };

/** Applies a correction in one transaction; `applied: false` when the guard no longer held. */
export async function applyCorrection(db: EdgeDatabase, correction: Correction): Promise<CorrectionResult> {
  const { row, now } = correction;
  const editId = crypto.randomUUID();
  const recorded = sql`exists (select 1 from ${caseEdits} where ${caseEdits.id} = ${editId})`;
  const history = db.execute<{ id: string }>(sql`
    insert into ${caseEdits} (id, guild_id, case_id, field, old_value, new_value, edited_by, edited_at, note)
    select ${editId}::uuid, ${row.guildId}, ${row.id}::uuid, ${correction.field},
      ${correction.oldValue}::text, ${correction.newValue}::text, ${correction.editedBy},
      ${now.toISOString()}::timestamptz, ${correction.note}::text
    from ${cases}
    where ${cases.id} = ${row.id} and ${cases.guildId} = ${row.guildId} and ${correction.guard}
    for update
    returning id`);
  const change = db
    .update(cases)
    .set(correction.set)
    .where(and(eq(cases.id, row.id), recorded));
  const queue = queueEventIfChanged(db, bumpEventSequenceIf(row.guildId, recorded), correction.event, now);
  const results = await db.batch([history, change, queue, ...(correction.also ?? [])]);
  const written = results[0] as Awaited<typeof history>;
  const queued = results[2] as Awaited<typeof queue>;
  if (written.rows.length === 0) return { applied: false };
  return { applied: true, event: sequenced(correction.event, queued) };
}

/** How many edits `/case view` shows, newest first. */
export const SHOWN_EDITS = 5;

/**
 * The two reads of a case by its number — the case with how it ended, and its latest `editsLimit`
 * edits — as statements for the caller's batch (/case view's, the dashboard's case page's): both
 * by index, the case by (guild, number), its edits by (case, time).
 */
export function caseByNumberReads(db: EdgeDatabase, guildId: string, caseNumber: number, editsLimit: number) {
  const byNumber = and(eq(cases.guildId, guildId), eq(cases.caseNumber, caseNumber));
  return [
    db
      .select({ row: cases, ...endingColumns })
      .from(cases)
      .leftJoin(enderCase, enderJoin)
      .where(byNumber)
      .limit(1),
    db
      .select()
      .from(caseEdits)
      .where(
        and(
          eq(caseEdits.guildId, guildId),
          eq(caseEdits.caseId, sql`(select ${cases.id} from ${cases} where ${byNumber})`),
        ),
      )
      .orderBy(desc(caseEdits.editedAt), desc(caseEdits.id))
      .limit(editsLimit),
  ] as const;
}

/** The case those reads found, with its ender, or null. */
export function caseFound(
  found: {
    row: CaseRow;
    endingNumber: number | null;
    endingModerator: string | null;
    endingSource: CaseRow['source'] | null;
    endingAt: Date | null;
  }[],
): { row: CaseRow; ending: CaseEnding | null } | null {
  const first = found[0];
  return first ? { row: first.row, ending: endingOf(first) } : null;
}

/** A case by its number and its latest edits (one more than shown, to say there are more): one round trip. */
export async function findCaseWithEdits(
  db: EdgeDatabase,
  guildId: string,
  caseNumber: number,
): Promise<{ row: CaseRow; ending: CaseEnding | null; edits: CaseEditRow[] } | null> {
  const [found, edits] = await db.batch([...caseByNumberReads(db, guildId, caseNumber, SHOWN_EDITS + 1)]);
  const one = caseFound(found);
  return one ? { ...one, edits } : null;
}
