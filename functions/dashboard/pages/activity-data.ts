// What the activity page reads: the guild's live cases (deleted ones left out, as /cases leaves
// them) of the 30-day window counted per UTC day and action, and per moderator and action — two
// aggregates in one batch (one round trip), each an index-only range of cases_guild_activity_idx
// (guild_id, created_at, action, moderator_id WHERE deleted_at IS NULL) — then the names of the
// moderators drawn.
import { and, count, eq, gte, isNull, lt, sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../../db/edge.ts';
import { cases } from '../../../db/schema.ts';
import { namesOf } from '../../users/known-users.ts';
import {
  type ActivityWindow,
  dayStacks,
  type ModeratorStacks,
  moderatorStacks,
  OTHERS_KEY,
  type Stack,
} from './activity-series.ts';
import type { UserNames } from './user-label.ts';

export interface Activity {
  window: ActivityWindow;
  days: Stack[];
  moderators: ModeratorStacks;
  names: UserNames;
}

/** The conditions both charts count under (exported for the bench's EXPLAIN). */
export const activityConditions = (guildId: string, window: ActivityWindow) =>
  and(
    eq(cases.guildId, guildId),
    isNull(cases.deletedAt),
    gte(cases.createdAt, window.since),
    lt(cases.createdAt, window.until),
  );

export async function readActivity(
  db: EdgeDatabase,
  guildId: string,
  window: ActivityWindow,
): Promise<Activity> {
  const where = activityConditions(guildId, window);
  // Grouped by the date, written out once per group (to_char on every row costs more than the count).
  const utcDay = sql`(${cases.createdAt} at time zone 'UTC')::date`;
  const day = sql<string>`to_char(${utcDay}, 'YYYY-MM-DD')`;
  const [perDay, perModerator] = await db.batch([
    db
      .select({ day, action: cases.action, count: count() })
      .from(cases)
      .where(where)
      .groupBy(utcDay, cases.action),
    db
      .select({ moderatorId: cases.moderatorId, action: cases.action, count: count() })
      .from(cases)
      .where(where)
      .groupBy(cases.moderatorId, cases.action),
  ]);
  const moderators = moderatorStacks(perModerator);
  const names = await namesOf(
    db,
    moderators.stacks.map((s) => s.key).filter((key) => key !== OTHERS_KEY),
  );
  return { window, days: dayStacks(perDay, window.days), moderators, names };
}
