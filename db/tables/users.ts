// The users Lockdown has seen, by id: cases store only ids, and the dashboard searches and labels
// them by name. Filled best effort where names arrive anyway (interaction payloads, audit-log
// pages: functions/users/known-users.ts); a user never seen is shown by id.
import { sql } from 'drizzle-orm';
import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.ts';

export const knownUsers = pgTable(
  'known_users',
  {
    userId: text('user_id').primaryKey(),
    username: text('username').notNull(),
    globalName: text('global_name'),
    /** When the names last changed (an unchanged upsert writes nothing). */
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  // The dashboard's member search: a case-insensitive prefix of either name, `lower(x) LIKE 'ab%'`
  // (text_pattern_ops: LIKE prefixes use the index whatever the database's collation).
  (t) => [
    index('known_users_username_idx').on(sql`lower(${t.username}) text_pattern_ops`),
    index('known_users_global_name_idx')
      .on(sql`lower(${t.globalName}) text_pattern_ops`)
      .where(sql`${t.globalName} is not null`),
  ],
);
