// The relay's Postgres reads and writes (besides dead letters, see dead-letters.ts): the guild's
// mod-log webhook, which events were already posted (the dedupe table), what each posted message
// holds, and the broken mark `/modlog status` shows.

import type { APIEmbed } from 'discord-api-types/v10';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { NodeDatabase } from '../db/node.ts';
import { cases, guilds, modlogDeliveries, modlogMessages } from '../db/schema.ts';

export interface ModlogTarget {
  guildId: string;
  channelId: string | null;
  webhook: { id: string; token: string };
  /** Set when Discord said the webhook is gone or its token invalid; cleared by `/modlog set`. */
  broken: { at: Date; reason: string | null } | null;
}

export interface DeliveredEvent {
  eventId: string;
  /** The case the event's embed shows, if any (case events). */
  caseId: string | null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class RelayStore {
  readonly db: NodeDatabase;

  constructor(db: NodeDatabase) {
    this.db = db;
  }

  /** The guild's mod-log webhook, or null when it has none. */
  async modlogTarget(guildId: string): Promise<ModlogTarget | null> {
    const [row] = await this.db
      .select({
        channelId: guilds.modlogChannelId,
        webhookId: guilds.modlogWebhookId,
        token: guilds.modlogWebhookToken,
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
      broken: row.brokenAt ? { at: row.brokenAt, reason: row.brokenReason } : null,
    };
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
   * Records a posted message in one transaction: a dedupe row per event, the message's embeds (for
   * later edits), and on each case the message that shows it.
   */
  async recordDelivery(input: {
    guildId: string;
    webhookId: string;
    messageId: string | null;
    events: DeliveredEvent[];
    embeds: APIEmbed[];
  }): Promise<void> {
    const caseIds = input.events.map((e) => e.caseId);
    const validCaseIds = [
      ...new Set(caseIds.filter((id): id is string => id !== null && uuidPattern.test(id))),
    ];
    await this.db.transaction(async (tx) => {
      // The message is already posted: waiting for this commit to reach the disk buys nothing but
      // time. Should Postgres crash before it does, the worst case is the line posted twice after
      // redelivery, never a line lost (the entry is acked only after this returns).
      await tx.execute(sql`set local synchronous_commit to off`);
      await tx
        .insert(modlogDeliveries)
        .values(
          input.events.map((e) => ({
            eventId: e.eventId,
            guildId: input.guildId,
            webhookId: input.webhookId,
            messageId: input.messageId,
          })),
        )
        .onConflictDoNothing();
      if (!input.messageId) return;
      await tx
        .insert(modlogMessages)
        .values({
          messageId: input.messageId,
          webhookId: input.webhookId,
          guildId: input.guildId,
          embeds: input.embeds,
          caseIds,
        })
        .onConflictDoNothing();
      if (validCaseIds.length) {
        await tx
          .update(cases)
          .set({ modlogMessageId: input.messageId, modlogWebhookId: input.webhookId })
          .where(and(eq(cases.guildId, input.guildId), inArray(cases.id, validCaseIds)));
      }
    });
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

  async caseRow(guildId: string, caseId: string) {
    if (!uuidPattern.test(caseId)) return null;
    const [row] = await this.db
      .select()
      .from(cases)
      .where(and(eq(cases.id, caseId), eq(cases.guildId, guildId)));
    return row ?? null;
  }

  async message(messageId: string) {
    const [row] = await this.db.select().from(modlogMessages).where(eq(modlogMessages.messageId, messageId));
    if (!row) return null;
    return { ...row, embeds: row.embeds as APIEmbed[], caseIds: row.caseIds as (string | null)[] };
  }

  async saveEditedMessage(messageId: string, embeds: APIEmbed[]): Promise<void> {
    await this.db
      .update(modlogMessages)
      .set({ embeds, editedAt: sql`now()` })
      .where(eq(modlogMessages.messageId, messageId));
  }
}
