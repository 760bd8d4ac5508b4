// What `/modlog status` and the dashboard's settings page report about a server's mod-log, read in
// one round trip: where it goes and whether the relay found it broken, the last delivery, events
// waiting since it was set (neither posted nor parked), dead letters not replayed, and whether the
// audit-log sync (functions/audit-sync) can read the audit log. Each caller renders it its own way.
import { and, count, eq, gte, isNull, max, notExists, sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../../db/edge.ts';
import { auditSync, deadLetters, guilds, modlogDeliveries, outbox } from '../../../db/schema.ts';

export interface ModlogStatus {
  /** Null when the mod-log is off. */
  channelId: string | null;
  /** Whether Lockdown made the webhook (and so deletes it when replaced); false for an adopted URL. */
  webhookOwned: boolean;
  brokenAt: Date | null;
  brokenReason: string | null;
  lastDeliveryAt: Date | null;
  waiting: number;
  deadLetters: number;
  /** Since when the audit log cannot be read (View Audit Log missing), or null. */
  auditLogMissingSince: Date | null;
}

export async function readModlogStatus(db: EdgeDatabase, guildId: string): Promise<ModlogStatus> {
  const delivered = db
    .select({ one: sql`1` })
    .from(modlogDeliveries)
    .where(eq(modlogDeliveries.eventId, outbox.eventId));
  const parked = db
    .select({ one: sql`1` })
    .from(deadLetters)
    .where(and(eq(deadLetters.eventId, outbox.eventId), isNull(deadLetters.replayedAt)));
  const setAt = sql`(select max(o.created_at) from ${outbox} o where o.guild_id = ${guildId}
    and o.event_type = 'audit:logged' and o.payload->'data'->>'action' = 'modlog.set')`;
  const [[settings], [last], [waiting], [dead], [sync]] = await db.batch([
    db.select().from(guilds).where(eq(guilds.guildId, guildId)).limit(1),
    db
      .select({ at: max(modlogDeliveries.deliveredAt) })
      .from(modlogDeliveries)
      .where(eq(modlogDeliveries.guildId, guildId)),
    db
      .select({ n: count() })
      .from(outbox)
      .where(
        and(
          eq(outbox.guildId, guildId),
          gte(outbox.createdAt, setAt),
          notExists(delivered),
          notExists(parked),
        ),
      ),
    db
      .select({ n: count() })
      .from(deadLetters)
      .where(and(eq(deadLetters.guildId, guildId), isNull(deadLetters.replayedAt))),
    db
      .select({ missingSince: auditSync.missingPermissionAt })
      .from(auditSync)
      .where(eq(auditSync.guildId, guildId))
      .limit(1),
  ]);
  const on = Boolean(settings?.modlogWebhookId);
  return {
    channelId: on ? (settings?.modlogChannelId ?? null) : null,
    webhookOwned: on && Boolean(settings?.modlogWebhookOwned),
    brokenAt: on ? (settings?.modlogBrokenAt ?? null) : null,
    brokenReason: settings?.modlogBrokenReason ?? null,
    lastDeliveryAt: last?.at ? new Date(last.at) : null,
    waiting: waiting?.n ?? 0,
    deadLetters: dead?.n ?? 0,
    auditLogMissingSince: sync?.missingSince ?? null,
  };
}
