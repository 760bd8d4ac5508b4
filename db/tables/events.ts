// Events and their delivery: accepted interactions, the outbox, the relay's deliveries, dead
// letters and the mod-log messages it posted.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.ts';

/**
 * Interactions already accepted, so a signed request replayed within its five minutes is refused
 * (functions/interactions/seen.ts). A replay passes the timestamp check at most 10 minutes after the
 * original; rows are pruned after 15, by the insert that records the next interaction.
 */
export const seenInteractions = pgTable(
  'seen_interactions',
  {
    interactionId: text('interaction_id').primaryKey(),
    seenAt: timestamptz('seen_at').notNull().defaultNow(),
  },
  (t) => [index('seen_interactions_seen_idx').on(t.seenAt)],
);

/** Rows kept per event (the outbox, the relay's deliveries): keyed by the envelope's `eventId`. */
const eventColumns = () => ({
  eventId: uuid('event_id').primaryKey(),
  guildId: text('guild_id').notNull(),
});

/** The transactional outbox: every event is written here with its case, then published to Redis. */
export const outbox = pgTable(
  'outbox',
  {
    ...eventColumns(),
    eventType: text('event_type').notNull(),
    /** The full event envelope (see shared/events.ts). */
    payload: jsonb('payload').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    publishedAt: timestamptz('published_at'),
    publishAttempts: integer('publish_attempts').notNull().default(0),
    /**
     * The event's place among its guild's events (1, 2, 3…, no gaps), also in the envelope as
     * `sequence`. Null only for rows written before sequences existed. A consumer that sees N+1 of a
     * guild before N reads N here by (guild_id, sequence).
     */
    sequence: integer('sequence'),
  },
  (t) => [
    index('outbox_unpublished_idx').on(t.createdAt).where(sql`${t.publishedAt} is null`),
    index('outbox_guild_created_idx').on(t.guildId, t.createdAt),
    uniqueIndex('outbox_guild_sequence_key').on(t.guildId, t.sequence),
  ],
);

/** What the relay has posted: one row per event, which is how a redelivered entry is recognised. */
export const modlogDeliveries = pgTable(
  'modlog_deliveries',
  {
    ...eventColumns(),
    webhookId: text('webhook_id').notNull(),
    messageId: text('message_id'),
    deliveredAt: timestamptz('delivered_at').notNull().defaultNow(),
  },
  (t) => [index('modlog_deliveries_guild_delivered_idx').on(t.guildId, t.deliveredAt)],
);

export const deadLetterReasons = [
  'webhook_invalid',
  'bad_payload',
  'undecodable',
  'retries_exhausted',
] as const;
export type DeadLetterReason = (typeof deadLetterReasons)[number];

/** Events the relay could not deliver. Kept until replayed or purged by hand; never expire. */
export const deadLetters = pgTable(
  'dead_letters',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Null for stream entries that could not be decoded at all. */
    eventId: uuid('event_id'),
    guildId: text('guild_id'),
    streamEntryId: text('stream_entry_id').notNull(),
    /** The entry as read from the stream, so it can be replayed byte for byte. */
    raw: text('raw').notNull(),
    reason: text('reason', { enum: deadLetterReasons }).notNull(),
    detail: text('detail'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    replayedAt: timestamptz('replayed_at'),
  },
  (t) => [index('dead_letters_guild_idx').on(t.guildId, t.createdAt)],
);

/**
 * Each mod-log message the relay posted, as last sent. A message can carry up to 10 embeds (a
 * batch), so a case's reason edit re-sends the whole message with only that case's embed replaced.
 */
export const modlogMessages = pgTable(
  'modlog_messages',
  {
    messageId: text('message_id').primaryKey(),
    webhookId: text('webhook_id').notNull(),
    guildId: text('guild_id').notNull(),
    /** The embeds in message order (APIEmbed[]). */
    embeds: jsonb('embeds').notNull(),
    /** The case each embed shows (null for audit lines), aligned with `embeds`. */
    caseIds: jsonb('case_ids').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    editedAt: timestamptz('edited_at'),
  },
  (t) => [index('modlog_messages_guild_created_idx').on(t.guildId, t.createdAt)],
);
