// The relay's reads of cases whose posted lines it edits: a case with the case that ended it, the
// cases a just-posted case ended (`cases.ended_by_case_id`, on `cases_ended_by_idx`), and what the
// buttons under lines depend on, and where an event's line was posted (an appeal's, edited with its
// decision). Part of the relay's store (relay-store.ts `cases`).
import { and, eq, inArray, isNotNull, isNull, type SQL } from 'drizzle-orm';
import { enderCase, enderJoin, endingColumns, endingOf } from '../../db/case-ending.ts';
import type { NodeDatabase } from '../../db/node.ts';
import { cases, modlogDeliveries } from '../../db/schema.ts';
import type { CaseEnding } from '../../shared/embeds.ts';
import type { ModlogCase } from '../../shared/modlog-components.ts';
import { isUuidAnyCase } from '../../shared/uuids.ts';

export type CaseRow = typeof cases.$inferSelect;

/** A case as the relay re-renders it: its row, and the case that ended it (if one did). */
export interface EditedCase {
  row: CaseRow;
  ending: CaseEnding | null;
}

export class CaseQueries {
  readonly #db: NodeDatabase;

  constructor(db: NodeDatabase) {
    this.#db = db;
  }

  /** A case of the guild with the case that ended it, or null. */
  async editedCase(guildId: string, caseId: string): Promise<EditedCase | null> {
    if (!isUuidAnyCase(caseId)) return null;
    const [found] = await this.#withEnding(and(eq(cases.id, caseId), eq(cases.guildId, guildId)));
    return found ?? null;
  }

  /**
   * The guild's posted cases these cases ended (an unban's ban, a re-ban's earlier ban, the
   * scheduler's lift of a temp ban), each with its ender: one query on `cases_ended_by_idx`.
   */
  async casesEndedBy(guildId: string, caseIds: readonly string[]): Promise<EditedCase[]> {
    const ids = [...new Set(caseIds.filter((id) => isUuidAnyCase(id)))];
    if (ids.length === 0) return [];
    return this.#withEnding(
      and(inArray(cases.endedByCaseId, ids), eq(cases.guildId, guildId), isNotNull(cases.modlogMessageId)),
    );
  }

  async #withEnding(where: SQL | undefined): Promise<EditedCase[]> {
    const rows = await this.#db
      .select({ row: cases, ...endingColumns })
      .from(cases)
      .leftJoin(enderCase, enderJoin)
      .where(where);
    return rows.map((r) => ({ row: r.row, ending: endingOf(r) }));
  }

  /** What the buttons under these cases' lines depend on (number, action, member, in force); a deleted case has none. */
  async modlogCases(guildId: string, caseIds: readonly string[]): Promise<ModlogCase[]> {
    const ids = [...new Set(caseIds.filter((id) => isUuidAnyCase(id)))];
    if (ids.length === 0) return [];
    const rows = await this.#db
      .select({
        caseId: cases.id,
        caseNumber: cases.caseNumber,
        action: cases.action,
        userId: cases.userId,
        state: cases.state,
      })
      .from(cases)
      .where(and(inArray(cases.id, ids), eq(cases.guildId, guildId), isNull(cases.deletedAt)));
    return rows.map(({ state, ...c }) => ({ ...c, active: state === 'active' }));
  }

  /** The message an event of the guild was posted in, and through which webhook; null if not posted. */
  async postedLine(
    guildId: string,
    eventId: string,
  ): Promise<{ messageId: string; webhookId: string } | null> {
    if (!isUuidAnyCase(eventId)) return null;
    const [row] = await this.#db
      .select({ messageId: modlogDeliveries.messageId, webhookId: modlogDeliveries.webhookId })
      .from(modlogDeliveries)
      .where(and(eq(modlogDeliveries.eventId, eventId), eq(modlogDeliveries.guildId, guildId)))
      .limit(1);
    return row?.messageId ? { messageId: row.messageId, webhookId: row.webhookId } : null;
  }
}
