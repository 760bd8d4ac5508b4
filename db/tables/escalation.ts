// Escalation policies and their crossings.
import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.ts';

export const escalationActionValues = ['mute', 'kick', 'ban'] as const;

/** A server's escalation policy (`/escalation add`): at `warnings` warnings within the window, act. */
export const escalationPolicies = pgTable(
  'escalation_policies',
  {
    id: uuid('id').primaryKey(),
    guildId: text('guild_id').notNull(),
    /** Shown and removed by this number (1, 2, 3… per guild, not reused). */
    policyNumber: integer('policy_number').notNull(),
    warnings: integer('warnings').notNull(),
    withinSeconds: integer('within_seconds').notNull(),
    action: text('action', { enum: escalationActionValues }).notNull(),
    /** The mute's or temporary ban's length; null for a kick or a permanent ban. */
    durationSeconds: integer('duration_seconds'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('escalation_policies_guild_number_key').on(t.guildId, t.policyNumber),
    index('escalation_policies_guild_idx').on(t.guildId),
  ],
);

export const escalationStates = ['pending', 'done', 'refused', 'failed'] as const;

/**
 * Each time a warning brought a member to a policy's threshold: at most one per (policy, warning),
 * whatever races, and what came of it — the case it made, or why it was refused (reported once).
 */
export const escalations = pgTable(
  'escalations',
  {
    id: uuid('id').primaryKey(),
    guildId: text('guild_id').notNull(),
    policyId: uuid('policy_id').notNull(),
    userId: text('user_id').notNull(),
    /** The warning that reached the threshold. */
    triggerCaseId: uuid('trigger_case_id').notNull(),
    state: text('state', { enum: escalationStates }).notNull().default('pending'),
    resultCaseId: uuid('result_case_id'),
    detail: text('detail'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('escalations_policy_trigger_key').on(t.policyId, t.triggerCaseId),
    index('escalations_pending_idx').on(t.createdAt).where(sql`${t.state} = 'pending'`),
  ],
);
