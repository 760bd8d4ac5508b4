// /history user: a member's record at a glance (history-summary.ts) from one db.batch — one round
// trip of three statements on (guild_id, user_id, created_at): counts per action, the ban and mute
// cases still in force, the latest five. Deleted cases (/case delete) are in none of them.
import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { EdgeDatabase } from '../../../db/edge.ts';
import { cases } from '../../../db/schema.ts';
import { readTarget } from '../../moderation/inputs.ts';
import type { CommandHandler } from '../command-handler.ts';
import {
  HISTORY_RECENT,
  historyReply,
  IN_FORCE_SHOWN,
  type MemberHistory,
  punishmentActions,
} from './history-summary.ts';

const theirCases = (guildId: string, userId: string) =>
  and(eq(cases.guildId, guildId), eq(cases.userId, userId), isNull(cases.deletedAt));

/** A member's counts per action and the punishments in force: two statements to batch (the dashboard's member page too). */
export function memberSummaryReads(db: EdgeDatabase, guildId: string, userId: string) {
  const theirs = theirCases(guildId, userId);
  return [
    db.select({ action: cases.action, count: count() }).from(cases).where(theirs).groupBy(cases.action),
    db
      .select()
      .from(cases)
      .where(and(theirs, eq(cases.state, 'active'), inArray(cases.action, [...punishmentActions])))
      .orderBy(desc(cases.caseNumber))
      // Normally one of each (a new ban or mute ends the one before); bounded all the same.
      .limit(IN_FORCE_SHOWN),
  ] as const;
}

export async function readMemberHistory(
  db: EdgeDatabase,
  guildId: string,
  userId: string,
): Promise<MemberHistory> {
  const theirs = theirCases(guildId, userId);
  const [counts, inForce, recent] = await db.batch([
    ...memberSummaryReads(db, guildId, userId),
    db
      .select()
      .from(cases)
      .where(theirs)
      .orderBy(desc(cases.createdAt), desc(cases.caseNumber))
      .limit(HISTORY_RECENT),
  ]);
  return { counts, inForce, recent };
}

export const history: CommandHandler = async ({ services, interaction, options }) => {
  const target = readTarget(options);
  return historyReply(target.id, await readMemberHistory(services.db, interaction.guild_id, target.id));
};
