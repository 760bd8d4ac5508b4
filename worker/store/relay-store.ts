// Everything the relay reads and writes in Postgres, in one store: the guild's mod-log webhook,
// which events were already posted (the dedupe table `modlog_deliveries`), what each posted message
// holds (for edits; the cases behind them are case-queries.ts), the broken mark `/modlog status` shows, and the dead-letter store
// (`dead_letters`: entries the relay could not deliver, kept until replayed or purged by hand; used
// by the relay to park and replay, and by `npm run dlq`). `detail` never holds a webhook token.

import type { APIEmbed } from 'discord-api-types/v10';
import { and, asc, desc, eq, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { NodeDatabase } from '../../db/node.ts';
import {
  cases,
  type DeadLetterReason,
  deadLetters,
  guilds,
  modlogDeliveries,
  modlogMessages,
  outbox,
} from '../../db/schema.ts';
import { isUuidAnyCase } from '../../shared/uuids.ts';
import { compareStreamIds } from '../stream/entries.ts';
import { CaseQueries } from './case-queries.ts';

export type { CaseRow, EditedCase } from './case-queries.ts';

export interface ModlogTarget {
  guildId: string;
  channelId: string | null;
  webhook: { id: string; token: string };
  /**
   * Whether our application made the webhook (`/modlog set channel:`): only such a webhook's
   * messages can carry buttons and menus (Discord ignores or refuses them on any other).
   */
  owned: boolean;
  /** Set when Discord said the webhook is gone or its token invalid; cleared by `/modlog set`. */
  broken: { at: Date; reason: string | null } | null;
}

/**
 * What one embed of a posted message shows (`modlog_messages.case_ids`, aligned with its embeds): a
 * case id, null (an audit line), or for a digest embed the ids of all the cases it lists.
 */
export type EmbedCases = string | null | string[];

export interface DeliveredEvent {
  eventId: string;
  /** The case the event's embed shows, if any (case events). */
  caseId: string | null;
}

export interface NewDeadLetter {
  eventId: string | null;
  guildId: string | null;
  streamEntryId: string;
  raw: string;
  reason: DeadLetterReason;
  detail: string | null;
}

/** An outbox row seen by the relay's sequence check (see lanes/sequence-check.ts). */
export interface SequencedRow {
  sequence: number;
  payload: unknown;
  published: boolean;
  handled: boolean;
}

export type DeadLetterRow = typeof deadLetters.$inferSelect;

export interface DeadLetterFilter {
  guildId?: string;
  eventId?: string;
  reason?: DeadLetterReason;
  /** true: only replayed rows; false: only rows still waiting; undefined: both. */
  replayed?: boolean;
}

export class RelayStore {
  readonly db: NodeDatabase;
  /** The cases whose posted lines the relay edits (case-queries.ts). */
  readonly cases: CaseQueries;

  constructor(db: NodeDatabase) {
    this.db = db;
    this.cases = new CaseQueries(db);
  }

  /** The guild's mod-log webhook, or null when it has none. */
  async modlogTarget(guildId: string): Promise<ModlogTarget | null> {
    const [row] = await this.db
      .select({
        channelId: guilds.modlogChannelId,
        webhookId: guilds.modlogWebhookId,
        token: guilds.modlogWebhookToken,
        owned: guilds.modlogWebhookOwned,
        brokenAt: guilds.modlogBrokenAt,
        brokenReason: guilds.modlogBrokenReason,
      })
      .from(guilds)
      .where(eq(guilds.guildId, guildId));
    if (!row?.webhookId || !row.token) return null;
    return {
      guildId,
      channelId: row.channelId,
      webhook: { id: row.webhookId, token: row.token },
      owned: row.owned,
      broken: row.brokenAt ? { at: row.brokenAt, reason: row.brokenReason } : null,
    };
  }

  /**
   * The guild's outbox rows numbered after `after` and before `before` (at most 100, in order): the
   * envelope, whether it reached Redis, and whether the relay already posted or set it aside.
   */
  async sequenceRange(guildId: string, after: number, before: number): Promise<SequencedRow[]> {
    const result = await this.db.execute<{
      sequence: number;
      payload: unknown;
      published: boolean;
      handled: boolean;
    }>(sql`
      select o.sequence, o.payload, o.published_at is not null as published,
        (exists (select 1 from ${modlogDeliveries} d where d.event_id = o.event_id)
          or exists (select 1 from ${deadLetters} l where l.event_id = o.event_id)) as handled
      from ${outbox} o
      where o.guild_id = ${guildId} and o.sequence > ${after} and o.sequence < ${before}
      order by o.sequence
      limit 100`);
    return result.rows.map((r) => ({
      sequence: Number(r.sequence),
      payload: r.payload,
      published: r.published === true,
      handled: r.handled === true,
    }));
  }

  /**
   * Marks these events' outbox rows published where they are not: the relay took them from the
   * stream, so they did reach Redis. Used for events skipped for want of a mod-log, which leave no
   * other trace: an unmarked row would be republished by the scheduler, and read back by a relay's
   * sequence check as a late event, and posted once the guild has a mod-log.
   */
  async markSeenPublished(eventIds: string[]): Promise<void> {
    const ids = eventIds.filter((id) => isUuidAnyCase(id));
    if (ids.length === 0) return;
    await this.db
      .update(outbox)
      .set({ publishedAt: sql`now()` })
      .where(and(inArray(outbox.eventId, ids), isNull(outbox.publishedAt)));
  }

  /** The newest message this webhook posted for the guild (as recorded), if any. */
  async lastPostedMessage(guildId: string, webhookId: string): Promise<string | null> {
    const [row] = await this.db
      .select({ messageId: modlogDeliveries.messageId })
      .from(modlogDeliveries)
      .where(
        and(
          eq(modlogDeliveries.guildId, guildId),
          eq(modlogDeliveries.webhookId, webhookId),
          isNotNull(modlogDeliveries.messageId),
        ),
      )
      .orderBy(desc(modlogDeliveries.deliveredAt))
      .limit(1);
    return row?.messageId ?? null;
  }

  /** Which of these events were already posted. */
  async deliveredEventIds(eventIds: string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const rows = await this.db
      .select({ eventId: modlogDeliveries.eventId })
      .from(modlogDeliveries)
      .where(inArray(modlogDeliveries.eventId, eventIds));
    return new Set(rows.map((r) => r.eventId));
  }

  /**
   * Records a posted message in one statement: a dedupe row per event, the message's embeds and what
   * each shows (for later edits), and on each case the message that shows it.
   */
  async recordDelivery(input: {
    guildId: string;
    webhookId: string;
    messageId: string | null;
    events: DeliveredEvent[];
    embeds: APIEmbed[];
    /** What each embed shows (aligned with `embeds`). */
    embedCases: EmbedCases[];
  }): Promise<void> {
    const caseIds = input.events.map((e) => e.caseId);
    const validCaseIds = [...new Set(caseIds.filter((id): id is string => id !== null && isUuidAnyCase(id)))];
    // One statement, so one round trip holds a pooled connection (a statement is atomic by itself).
    // The message is already posted: waiting for this commit to reach the disk buys nothing but
    // time. Should Postgres crash before it does, the worst case is the line posted twice after
    // redelivery, never a line lost (the entry is acked only after this returns). Ids are UUIDs
    // (checked when the entry was decoded, or above), passed as array literals.
    const eventIds = `{${input.events.map((e) => e.eventId).join(',')}}`;
    const message = input.messageId;
    await this.db.execute(sql`
      with relaxed as (select set_config('synchronous_commit', 'off', true) as value),
      delivered as (
        insert into ${modlogDeliveries} (event_id, guild_id, webhook_id, message_id)
        select event_id, ${input.guildId}, ${input.webhookId}, ${message}
        from unnest(${eventIds}::uuid[]) as event_id, relaxed
        on conflict do nothing
      ),
      kept as (
        insert into ${modlogMessages} (message_id, webhook_id, guild_id, embeds, case_ids)
        select ${message}::text, ${input.webhookId}, ${input.guildId}, ${JSON.stringify(input.embeds)}::jsonb, ${JSON.stringify(input.embedCases)}::jsonb
        where ${message}::text is not null
        on conflict do nothing
      )
      update ${cases} set modlog_message_id = ${message}, modlog_webhook_id = ${input.webhookId}
      where ${message}::text is not null and guild_id = ${input.guildId}
        and id = any(${`{${validCaseIds.join(',')}}`}::uuid[])`);
  }

  /**
   * Marks the guild's mod-log broken, only if it still uses this webhook (a `/modlog set` that
   * already replaced it must not be marked) and is not marked yet. Returns whether it marked it.
   */
  async markBroken(guildId: string, webhookId: string, reason: string): Promise<boolean> {
    const rows = await this.db
      .update(guilds)
      .set({ modlogBrokenAt: sql`now()`, modlogBrokenReason: reason, updatedAt: sql`now()` })
      .where(
        and(
          eq(guilds.guildId, guildId),
          eq(guilds.modlogWebhookId, webhookId),
          isNull(guilds.modlogBrokenAt),
        ),
      )
      .returning({ guildId: guilds.guildId });
    return rows.length > 0;
  }

  async message(messageId: string) {
    const [row] = await this.db.select().from(modlogMessages).where(eq(modlogMessages.messageId, messageId));
    if (!row) return null;
    return { ...row, embeds: row.embeds as APIEmbed[], caseIds: row.caseIds as EmbedCases[] };
  }

  async saveEditedMessage(messageId: string, embeds: APIEmbed[]): Promise<void> {
    await this.db
      .update(modlogMessages)
      .set({ embeds, editedAt: sql`now()` })
      .where(eq(modlogMessages.messageId, messageId));
  }

  // ---- dead letters ----------------------------------------------------------------------------

  /**
   * Stores a dead letter, unless the same event (or, for undecodable entries, the same entry) already
   * waits there unreplayed: a redelivered entry must not be counted twice. Returns whether it stored one.
   */
  async addDeadLetter(letter: NewDeadLetter): Promise<boolean> {
    const same = letter.eventId
      ? sql`${deadLetters.eventId} = ${letter.eventId}`
      : sql`${deadLetters.streamEntryId} = ${letter.streamEntryId} and ${deadLetters.raw} = ${letter.raw}`;
    const result = await this.db.execute(sql`
      insert into ${deadLetters} (event_id, guild_id, stream_entry_id, raw, reason, detail)
      select ${letter.eventId}::uuid, ${letter.guildId}, ${letter.streamEntryId}, ${letter.raw}, ${letter.reason}, ${letter.detail}
      where not exists (select 1 from ${deadLetters} where ${same} and ${deadLetters.replayedAt} is null)`);
    return (result.rowCount ?? 0) > 0;
  }

  /** A guild's events parked because its webhook was invalid, oldest first. */
  parkedEvents(guildId: string): Promise<DeadLetterRow[]> {
    return this.listDeadLetters({ guildId, reason: 'webhook_invalid', replayed: false }, 100_000);
  }

  /** These dead letters of the guild, those still waiting, oldest first (a replay request's). */
  async waitingDeadLetters(guildId: string, ids: string[]): Promise<DeadLetterRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select()
      .from(deadLetters)
      .where(
        and(eq(deadLetters.guildId, guildId), inArray(deadLetters.id, ids), isNull(deadLetters.replayedAt)),
      );
    return inStreamOrder(rows);
  }

  async markReplayed(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .update(deadLetters)
      .set({ replayedAt: sql`now()` })
      .where(and(inArray(deadLetters.id, ids), isNull(deadLetters.replayedAt)));
  }

  /** Matching dead letters in the order their events were published. */
  async listDeadLetters(filter: DeadLetterFilter = {}, limit = 1000): Promise<DeadLetterRow[]> {
    const rows = await this.db
      .select()
      .from(deadLetters)
      .where(deadLetterWhere(filter))
      .orderBy(asc(deadLetters.createdAt))
      .limit(limit);
    return inStreamOrder(rows);
  }

  async purgeDeadLetters(filter: DeadLetterFilter): Promise<number> {
    const rows = await this.db
      .delete(deadLetters)
      .where(deadLetterWhere(filter))
      .returning({ id: deadLetters.id });
    return rows.length;
  }

  /** Dead letters not replayed yet (what `/stats` and `/metrics` report). */
  async countWaitingDeadLetters(): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(deadLetters)
      .where(isNull(deadLetters.replayedAt));
    return row?.n ?? 0;
  }
}

function deadLetterWhere(filter: DeadLetterFilter): SQL | undefined {
  const parts: SQL[] = [];
  if (filter.guildId) parts.push(eq(deadLetters.guildId, filter.guildId));
  if (filter.eventId) parts.push(eq(deadLetters.eventId, filter.eventId));
  if (filter.reason) parts.push(eq(deadLetters.reason, filter.reason));
  if (filter.replayed === true) parts.push(isNotNull(deadLetters.replayedAt));
  if (filter.replayed === false) parts.push(isNull(deadLetters.replayedAt));
  return parts.length ? and(...parts) : undefined;
}

/** Sorts dead letters the way their events were published: stream entry id, then arrival. */
export function inStreamOrder<T extends { streamEntryId: string; createdAt: Date }>(rows: T[]): T[] {
  return [...rows].sort(
    (a, b) =>
      compareStreamIds(a.streamEntryId, b.streamEntryId) || a.createdAt.getTime() - b.createdAt.getTime(),
  );
}
