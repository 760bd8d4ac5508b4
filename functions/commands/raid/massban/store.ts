// The massbans table and the cases a massban records. The row is the massban's intent: written at
// the preview, turned to `banning` by one conditional update at the confirmation (so two clicks
// confirm once), and advanced chunk by chunk by whoever holds its claim (`work_claimed_until`).
// A chunk's record is one transaction: the guild's case counter and event sequence bumped by n,
// n cases (consecutive numbers, one batch id), n `ban:created` outbox rows, earlier active bans of
// those users ended, and the row's `next_index` moved past the chunk — conditional on `next_index`
// still being where the holder read it, so a stale holder writes nothing. A user with a case of
// this batch already is never recorded again.
import { and, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { EdgeDatabase } from '../../../../db/edge.ts';
import { cases, massbans } from '../../../../db/schema.ts';
import { actions } from '../../../../shared/actions.ts';
import { MASSBAN_CONFIRM_WINDOW_MS } from '../../../../shared/command-definitions.ts';
import type { CaseEventData, LockdownEvent } from '../../../../shared/events.ts';
import type { Skip } from './parse.ts';

export type MassbanRow = typeof massbans.$inferSelect;

/** How long a claim on a massban's banning holds before a tick may take it over. */
export const MASSBAN_CLAIM_MS = 60_000;
/** An interaction token lives 15 minutes; edits stop a little before. */
const REPLY_TOKEN_MS = 14 * 60_000;

export interface MassbanPlan {
  id: string;
  guildId: string;
  moderatorId: string;
  reason: string;
  banSeconds: number | null;
  deleteMessageSeconds: number;
  userIds: string[];
  skipped: Skip[];
  now: Date;
}

/** Stores the preview; returns its confirmation deadline. */
export async function createMassban(db: EdgeDatabase, plan: MassbanPlan): Promise<Date> {
  const { now, ...fields } = plan;
  const confirmBy = new Date(now.getTime() + MASSBAN_CONFIRM_WINDOW_MS);
  await db.insert(massbans).values({ ...fields, confirmBy, createdAt: now, updatedAt: now });
  return confirmBy;
}

export async function readMassban(db: EdgeDatabase, id: string): Promise<MassbanRow | null> {
  const [row] = await db.select().from(massbans).where(eq(massbans.id, id)).limit(1);
  return row ?? null;
}

const previewOf = (id: string, guildId: string, moderatorId: string, now: Date) =>
  and(
    eq(massbans.id, id),
    eq(massbans.guildId, guildId),
    eq(massbans.moderatorId, moderatorId),
    eq(massbans.state, 'previewed'),
    sql`${massbans.confirmBy} > ${now.toISOString()}::timestamptz`,
  );

/** `previewed` → `banning`, claimed by the caller; null when it was not that moderator's open preview. */
export async function confirmMassban(
  db: EdgeDatabase,
  key: { id: string; guildId: string; moderatorId: string },
  replyToken: string,
  now: Date,
): Promise<MassbanRow | null> {
  const [row] = await db
    .update(massbans)
    .set({
      state: 'banning',
      confirmedAt: now,
      replyToken,
      replyTokenExpiresAt: new Date(now.getTime() + REPLY_TOKEN_MS),
      workClaimedUntil: new Date(now.getTime() + MASSBAN_CLAIM_MS),
      updatedAt: now,
    })
    .where(previewOf(key.id, key.guildId, key.moderatorId, now))
    .returning();
  return row ?? null;
}

export async function cancelMassban(
  db: EdgeDatabase,
  key: { id: string; guildId: string; moderatorId: string },
  now: Date,
): Promise<boolean> {
  const rows = await db
    .update(massbans)
    .set({ state: 'cancelled', updatedAt: now })
    .where(previewOf(key.id, key.guildId, key.moderatorId, now))
    .returning({ id: massbans.id });
  return rows.length > 0;
}

/** Previews past their deadline become `expired` (their buttons then say so): one, or those of `guildIds` (null: all). */
export async function expireMassbans(
  db: EdgeDatabase,
  now: Date,
  scope: { id: string } | { guildIds: readonly string[] | null },
): Promise<number> {
  const rows = await db
    .update(massbans)
    .set({ state: 'expired', updatedAt: now })
    .where(
      and(
        eq(massbans.state, 'previewed'),
        lte(massbans.confirmBy, now),
        'id' in scope ? eq(massbans.id, scope.id) : undefined,
        'guildIds' in scope && scope.guildIds ? inArray(massbans.guildId, [...scope.guildIds]) : undefined,
      ),
    )
    .returning({ id: massbans.id });
  return rows.length;
}

/** Massbans still banning whose claim is free or lapsed, oldest first. */
export function massbansDue(db: EdgeDatabase, now: Date, limit: number, guildIds: readonly string[] | null) {
  return db
    .select({ id: massbans.id })
    .from(massbans)
    .where(
      and(
        eq(massbans.state, 'banning'),
        or(isNull(massbans.workClaimedUntil), lt(massbans.workClaimedUntil, now)),
        guildIds ? inArray(massbans.guildId, [...guildIds]) : undefined,
      ),
    )
    .orderBy(massbans.confirmedAt)
    .limit(limit);
}

/** Takes a banning massban's work if its claim is free or lapsed; the row, or null. */
export async function claimMassban(db: EdgeDatabase, id: string, now: Date): Promise<MassbanRow | null> {
  const [row] = await db
    .update(massbans)
    .set({ workClaimedUntil: new Date(now.getTime() + MASSBAN_CLAIM_MS) })
    .where(
      and(
        eq(massbans.id, id),
        eq(massbans.state, 'banning'),
        or(isNull(massbans.workClaimedUntil), lt(massbans.workClaimedUntil, now)),
      ),
    )
    .returning();
  return row ?? null;
}

export async function releaseMassban(db: EdgeDatabase, id: string): Promise<void> {
  await db.update(massbans).set({ workClaimedUntil: null }).where(eq(massbans.id, id));
}

/** Users of `userIds` that already have a case of this massban. */
export async function recordedUsers(
  db: EdgeDatabase,
  batchId: string,
  userIds: readonly string[],
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .select({ userId: cases.userId })
    .from(cases)
    .where(and(eq(cases.batchId, batchId), inArray(cases.userId, [...userIds])));
  return new Set(rows.map((r) => r.userId));
}

export interface ChunkRecord {
  row: MassbanRow;
  /** Where the chunk starts (`next_index` as read) and how many user ids it covers. */
  from: number;
  length: number;
  banned: readonly string[];
  failed: readonly string[];
  now: Date;
}

/**
 * Records one chunk (see the header); returns its events, numbered, or null when `next_index` had
 * moved (another holder recorded it) and nothing was written.
 */
export async function recordChunk(db: EdgeDatabase, chunk: ChunkRecord): Promise<LockdownEvent[] | null> {
  const { row, now } = chunk;
  const n = chunk.banned.length;
  const to = chunk.from + chunk.length;
  const done = to >= row.userIds.length;
  const at = now.toISOString();
  const expiresAt = row.banSeconds ? new Date(now.getTime() + row.banSeconds * 1000).toISOString() : null;
  const items = chunk.banned.map((userId, i) => {
    const data: CaseEventData = {
      id: crypto.randomUUID(),
      caseNumber: 0,
      guildId: row.guildId,
      userId,
      moderatorId: row.moderatorId,
      reason: row.reason,
      expiresAt,
      dmDelivered: null,
      batchId: row.id,
    };
    const eventId = crypto.randomUUID();
    const payload = { eventId, eventType: actions.ban.eventType, timestamp: at, data };
    return { ord: i + 1, caseId: data.id, userId, eventId, payload };
  });
  const itemsJson = JSON.stringify(items);
  // A re-ban ends the user's earlier active bans, as /ban does (shared/actions.ts `ends`).
  const ends = actions.ban.ends;
  const moved = sql`exists (select 1 from massbans where id = ${row.id}::uuid and next_index = ${to})`;

  const advance = db
    .update(massbans)
    .set({
      nextIndex: to,
      bannedCount: sql`${massbans.bannedCount} + ${n}`,
      failedUserIds: sql`${massbans.failedUserIds} || ${`{${chunk.failed.join(',')}}`}::text[]`,
      updatedAt: now,
      ...(done
        ? { state: 'done' as const, replyToken: null, replyTokenExpiresAt: null, workClaimedUntil: null }
        : { workClaimedUntil: new Date(now.getTime() + MASSBAN_CLAIM_MS) }),
    })
    .where(and(eq(massbans.id, row.id), eq(massbans.state, 'banning'), eq(massbans.nextIndex, chunk.from)))
    .returning({ id: massbans.id });
  if (n === 0) {
    const [advanced] = await db.batch([advance]);
    return advanced.length > 0 ? [] : null;
  }
  const bump = db.execute(sql`
    insert into guilds (guild_id, case_counter, event_sequence, updated_at)
    select ${row.guildId}, ${n}, ${n}, ${at}::timestamptz where ${moved}
    on conflict (guild_id) do update set case_counter = guilds.case_counter + ${n},
      event_sequence = guilds.event_sequence + ${n}, updated_at = excluded.updated_at`);
  const banned = sql`jsonb_to_recordset(${itemsJson}::jsonb) as i(ord int, "caseId" uuid, "userId" text, "eventId" uuid, payload jsonb)`;
  const counters = sql`(select case_counter, event_sequence from guilds where guild_id = ${row.guildId}) g`;
  const endEarlier = db.execute(sql`
    update cases set state = ${ends.state}, ended_at = ${at}::timestamptz,
      ended_by_case_id = i."caseId"
    from ${banned}
    where ${moved} and cases.guild_id = ${row.guildId} and cases.user_id = i."userId"
      and cases.state = 'active' and cases.action in (${sql.join(
        ends.actions.map((a) => sql`${a}`),
        sql`, `,
      )})
      and (cases.batch_id is null or cases.batch_id <> ${row.id}::uuid)`);
  const insertCases = db.execute(sql`
    insert into cases (id, guild_id, case_number, action, user_id, moderator_id, reason, created_at,
      expires_at, batch_id)
    select i."caseId", ${row.guildId}, g.case_counter - ${n} + i.ord, 'ban', i."userId",
      ${row.moderatorId}, ${row.reason}, ${at}::timestamptz, ${expiresAt}::timestamptz, ${row.id}::uuid
    from ${banned}, ${counters}
    where ${moved}`);
  const queue = db.execute<{ payload: LockdownEvent }>(sql`
    insert into outbox (event_id, guild_id, event_type, payload, created_at, sequence)
    select i."eventId", ${row.guildId}, ${actions.ban.eventType},
      jsonb_set(jsonb_set(i.payload, '{data,caseNumber}', to_jsonb(g.case_counter - ${n} + i.ord)),
        '{sequence}', to_jsonb(g.event_sequence - ${n} + i.ord)),
      ${at}::timestamptz, g.event_sequence - ${n} + i.ord
    from ${banned}, ${counters}
    where ${moved}
    returning payload`);
  const [advanced, , , , queued] = await db.batch([advance, bump, endEarlier, insertCases, queue]);
  if (advanced.length === 0) return null;
  return queued.rows.map((r) => r.payload).sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0));
}
