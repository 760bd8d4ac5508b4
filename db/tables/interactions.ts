// What interactions keep between steps: saved reasons, context-menu drafts.
import { index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.ts';

/**
 * A server's saved reasons (`/reasons`): every `reason` option suggests them, and a reason typed as
 * exactly a saved name (any case) is replaced by its text. `name_key` is the name lower-cased.
 */
export const savedReasons = pgTable(
  'saved_reasons',
  {
    guildId: text('guild_id').notNull(),
    nameKey: text('name_key').notNull(),
    /** As the moderator wrote it. */
    name: text('name').notNull(),
    text: text('text').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('saved_reasons_guild_name_key').on(t.guildId, t.nameKey)],
);

/**
 * What an interaction showed that the next one in the same flow needs and cannot carry itself: a
 * message context-menu command's message (signed by Discord when the menu was used), kept until the
 * moderator submits the modal it opened — a modal submit carries only its custom_id (≤100
 * characters) and fields. Only the moderator who opened it may use it, once, before `expires_at`.
 */
export const interactionDrafts = pgTable(
  'interaction_drafts',
  {
    id: uuid('id').primaryKey(),
    guildId: text('guild_id').notNull(),
    moderatorId: text('moderator_id').notNull(),
    /** What the draft is for (the context-menu command's name). */
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
  },
  (t) => [index('interaction_drafts_expires_idx').on(t.expiresAt)],
);
