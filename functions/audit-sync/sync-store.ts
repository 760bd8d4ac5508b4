// The audit-log sync's own columns of `audit_sync` (cursor, missing permission, incident alerts,
// last error); the scheduling columns belong to the fan-out. Every write is an upsert of only these
// columns, so a guild's row may be made by either side first. Reports that must be posted once (the
// missing permission, each Discord incident) are queued in the outbox in the same transaction that
// marks them, under a per-guild advisory lock, so two syncs racing post them once.
import { eq, type SQL, sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../db/edge.ts';
import { auditSync } from '../../db/schema.ts';
import type { LockdownEvent } from '../../shared/events.ts';
import { bumpEventSequenceIf, queueEventIfChanged, sequenced } from '../events/outbox.ts';

export type SyncRow = typeof auditSync.$inferSelect;

export async function readSyncRow(db: EdgeDatabase, guildId: string): Promise<SyncRow | undefined> {
  const [row] = await db.select().from(auditSync).where(eq(auditSync.guildId, guildId)).limit(1);
  return row;
}

/**
 * Moves the cursor to `cursor` (never back: ids compare as numbers) and clears what a working read
 * disproves: the missing permission (so it is reported again if lost again) and the last error.
 */
export async function saveCursor(
  db: EdgeDatabase,
  guildId: string,
  cursor: string,
  now: Date,
): Promise<void> {
  await db
    .insert(auditSync)
    .values({ guildId, cursor, updatedAt: now })
    .onConflictDoUpdate({
      target: auditSync.guildId,
      set: {
        cursor: sql`case when ${auditSync.cursor} is null or excluded.cursor::numeric > ${auditSync.cursor}::numeric
          then excluded.cursor else ${auditSync.cursor} end`,
        missingPermissionAt: null,
        missingReportedAt: null,
        lastError: null,
        updatedAt: now,
      },
    });
}

export async function saveError(db: EdgeDatabase, guildId: string, error: string, now: Date): Promise<void> {
  await db
    .insert(auditSync)
    .values({ guildId, lastError: error, updatedAt: now })
    .onConflictDoUpdate({ target: auditSync.guildId, set: { lastError: error, updatedAt: now } });
}

const lockGuild = (db: EdgeDatabase, guildId: string) =>
  db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`audit_sync:${guildId}`}, 0))`);

const rowWhere = (guildId: string, condition: SQL) =>
  sql`exists (select 1 from ${auditSync} where ${auditSync.guildId} = ${guildId} and ${condition})`;

/**
 * Marks View Audit Log missing (since the first time seen) and, if not reported yet, queues `event`
 * and marks it reported, in one transaction. Returns the event if it was queued by this call.
 */
export async function markMissingPermission(
  db: EdgeDatabase,
  guildId: string,
  event: LockdownEvent,
  now: Date,
): Promise<LockdownEvent | null> {
  const [, , queued] = await db.batch([
    lockGuild(db, guildId),
    db
      .insert(auditSync)
      .values({ guildId, missingPermissionAt: now, lastError: 'missing View Audit Log', updatedAt: now })
      .onConflictDoUpdate({
        target: auditSync.guildId,
        set: {
          missingPermissionAt: sql`coalesce(${auditSync.missingPermissionAt}, excluded.missing_permission_at)`,
          lastError: 'missing View Audit Log',
          updatedAt: now,
        },
      }),
    queueEventIfChanged(
      db,
      bumpEventSequenceIf(guildId, rowWhere(guildId, sql`${auditSync.missingReportedAt} is null`)),
      event,
      now,
    ),
    db
      .update(auditSync)
      .set({
        missingReportedAt: sql`coalesce(${auditSync.missingReportedAt}, ${now.toISOString()}::timestamptz)`,
      })
      .where(eq(auditSync.guildId, guildId)),
  ]);
  return queued.rows.length ? sequenced(event, queued) : null;
}

export type IncidentKind = 'raid' | 'dm_spam';

/**
 * Stores `detectedAt` as the incident of `kind` alerted and queues `event` — only if a different
 * detection was stored before (or none), so each incident is posted once. Returns the event if queued.
 */
export async function markIncidentAlerted(
  db: EdgeDatabase,
  guildId: string,
  kind: IncidentKind,
  detectedAt: string,
  event: LockdownEvent,
  now: Date,
): Promise<LockdownEvent | null> {
  const column = kind === 'raid' ? auditSync.raidAlertedAt : auditSync.dmSpamAlertedAt;
  const set = kind === 'raid' ? { raidAlertedAt: detectedAt } : { dmSpamAlertedAt: detectedAt };
  const [, , queued] = await db.batch([
    lockGuild(db, guildId),
    db.insert(auditSync).values({ guildId, updatedAt: now }).onConflictDoNothing(),
    queueEventIfChanged(
      db,
      bumpEventSequenceIf(guildId, rowWhere(guildId, sql`${column} is distinct from ${detectedAt}`)),
      event,
      now,
    ),
    db
      .update(auditSync)
      .set({ ...set, updatedAt: now })
      .where(eq(auditSync.guildId, guildId)),
  ]);
  return queued.rows.length ? sequenced(event, queued) : null;
}
