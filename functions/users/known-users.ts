// The user directory (db/tables/users.ts known_users): names written where Lockdown learns them
// (the users of every interaction but autocomplete, each audit-log page's `users`), read by the
// dashboard to label ids and to search members by name. Writing is best effort: a name is a
// convenience, so a failed upsert is logged and never fails the interaction or the sync that
// carried it.
import { and, inArray, isNotNull, type SQL, sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../db/edge.ts';
import { cases, knownUsers } from '../../db/schema.ts';
import { errorForLog } from '../log.ts';
import { byMatchedName, prefixPattern, type SeenUser } from './seen-users.ts';

export type KnownUser = SeenUser;

/**
 * One statement for all of `users` (already one per user: seen-users.ts). A row whose names did
 * not change is left alone (no new row version), so seeing the same moderator on every command
 * costs one index probe, not a write.
 */
export async function rememberUsers(db: EdgeDatabase, users: readonly SeenUser[]): Promise<void> {
  if (users.length === 0) return;
  try {
    await db
      .insert(knownUsers)
      .values(users.map((u) => ({ userId: u.id, username: u.username, globalName: u.globalName })))
      .onConflictDoUpdate({
        target: knownUsers.userId,
        set: {
          username: sql`excluded.username`,
          globalName: sql`excluded.global_name`,
          updatedAt: sql`now()`,
        },
        setWhere: sql`(${knownUsers.username}, ${knownUsers.globalName}) is distinct from (excluded.username, excluded.global_name)`,
      });
  } catch (error) {
    console.error(JSON.stringify({ msg: 'remembering user names failed', error: errorForLog(error) }));
  }
}

/** The names of these ids that are known (one statement by the primary key). */
export async function namesOf(db: EdgeDatabase, ids: Iterable<string>): Promise<Map<string, KnownUser>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db.select().from(knownUsers).where(inArray(knownUsers.userId, wanted));
  return new Map(
    rows.map((r) => [r.userId, { id: r.userId, username: r.username, globalName: r.globalName }]),
  );
}

/** The most users a name search resolves to (the cases filter becomes `user_id IN (…)` of them). */
export const MAX_NAME_MATCHES = 25;

/**
 * Users whose username or display name starts with `name` (any case) and who have a live case in
 * this guild — the directory is shared by every server, and a name worn by strangers of other
 * servers must neither crowd out this server's members nor be shown here. Two statements in one
 * batch, one per name: each walks its name's index in order from the prefix (`USING ~<~`, the
 * order text_pattern_ops keeps) and probes (guild_id, user_id, …) for a case, stopping at the 25th
 * found — so it reads about as many rows as it returns, not every user the prefix matches (ordering
 * all matches by the database collation and joining them to the guild's cases read all 100,000
 * cases of the bench's server: 200 ms). The two lists are merged by name.
 */
export async function findUsersByName(db: EdgeDatabase, guildId: string, name: string): Promise<KnownUser[]> {
  const pattern = prefixPattern(name);
  const hasCase: SQL = sql`exists (select 1 from ${cases} where ${cases.guildId} = ${guildId} and ${cases.userId} = ${knownUsers.userId} and ${cases.deletedAt} is null)`;
  const byUsername = sql`lower(${knownUsers.username})`;
  const byGlobalName = sql`lower(${knownUsers.globalName})`;
  const [usernames, globalNames] = await db.batch([
    db
      .select()
      .from(knownUsers)
      .where(and(sql`${byUsername} like ${pattern}`, hasCase))
      .orderBy(sql`${byUsername} using ~<~`)
      .limit(MAX_NAME_MATCHES),
    db
      .select()
      .from(knownUsers)
      .where(and(isNotNull(knownUsers.globalName), sql`${byGlobalName} like ${pattern}`, hasCase))
      .orderBy(sql`${byGlobalName} using ~<~`)
      .limit(MAX_NAME_MATCHES),
  ]);
  const found = new Map<string, KnownUser>();
  for (const r of [...usernames, ...globalNames])
    found.set(r.userId, { id: r.userId, username: r.username, globalName: r.globalName });
  return [...found.values()].sort(byMatchedName(name.toLowerCase())).slice(0, MAX_NAME_MATCHES);
}
