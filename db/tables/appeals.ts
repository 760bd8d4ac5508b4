// Ban appeals: a banned user's request, from the Appeal button on their ban DM, that the ban be
// lifted, and the moderators' decision on it (functions/appeals/).
import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.ts';

export const appealStates = ['pending', 'accepted', 'denied'] as const;
export type AppealState = (typeof appealStates)[number];

/**
 * One appeal per ban case (`case_id` unique). `state` leaves `pending` once, by a conditional
 * UPDATE, so a decided appeal is never decided again and two Accepts unban once.
 */
export const appeals = pgTable(
  'appeals',
  {
    id: uuid('id').primaryKey(),
    guildId: text('guild_id').notNull(),
    /** The ban case appealed against. */
    caseId: uuid('case_id').notNull(),
    /** The banned user who appealed (the case's member). */
    userId: text('user_id').notNull(),
    text: text('text').notNull(),
    state: text('state', { enum: appealStates }).notNull().default('pending'),
    decidedBy: text('decided_by'),
    decidedAt: timestamptz('decided_at'),
    /** Accepted: the unban case that lifted the ban. */
    decisionCaseId: uuid('decision_case_id'),
    /** Whether the user was told of the decision by DM; null until decided. */
    dmDelivered: boolean('dm_delivered'),
    /** The `appeal.created` event: the relay finds the appeal's mod-log line by it, to edit it. */
    eventId: uuid('event_id').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('appeals_case_key').on(t.caseId),
    // The per-user rate limit counts a user's appeals of the last day, across servers.
    index('appeals_user_created_idx').on(t.userId, t.createdAt),
    index('appeals_guild_pending_idx').on(t.guildId, t.createdAt).where(sql`${t.state} = 'pending'`),
  ],
);
