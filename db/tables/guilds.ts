// Per-guild settings (case counter, event sequence, mod-log webhook).
import { boolean, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.ts';

/** Per-guild settings: the case counter and the mod-log webhook the relay posts to. */
export const guilds = pgTable('guilds', {
  guildId: text('guild_id').primaryKey(),
  caseCounter: integer('case_counter').notNull().default(0),
  /**
   * The last event sequence given to this guild's events (outbox.sequence): bumped in the statement
   * that writes each outbox row, so a guild's events are numbered 1, 2, 3… in commit order, gap-free.
   */
  eventSequence: integer('event_sequence').notNull().default(0),
  modlogChannelId: text('modlog_channel_id'),
  modlogWebhookId: text('modlog_webhook_id'),
  /** A secret: never copied into events, logs or replies. */
  modlogWebhookToken: text('modlog_webhook_token'),
  /** True when the bot created the webhook (and so deletes it when replaced or turned off). */
  modlogWebhookOwned: boolean('modlog_webhook_owned').notNull().default(false),
  /** Set by the relay when Discord says the webhook is gone or invalid; cleared by `/modlog set`. */
  modlogBrokenAt: timestamptz('modlog_broken_at'),
  modlogBrokenReason: text('modlog_broken_reason'),
  /**
   * Bumped by every `/modlog set` and `/modlog off`: a change is saved only if the version is still
   * the one it read, so of two racing changes one wins and the other removes what it made.
   */
  modlogVersion: integer('modlog_version').notNull().default(0),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});
