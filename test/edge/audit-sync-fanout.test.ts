// The audit-log sync at scale, inside workerd: the cron step claims exactly the due guilds and sends
// them to the queue (the producer binding is replaced by a recorder, so this file sees what was
// sent and the real queue does not deliver it elsewhere); the Worker's own `queue` handler, called
// with a batch built by cloudflare:test, syncs each guild against the Discord stand-in under the
// shared Redis budget and reschedules it by the adaptive interval; one failing guild does not stop
// the others of its message.
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditSync, guilds } from '../../db/schema.ts';
import { type AuditSyncMessage, CLAIM_MS } from '../../functions/audit-sync/fan-out.ts';
import {
  ACTIVE_INTERVAL_MS,
  FAILED_RETRY_MS,
  MISSING_PERMISSION_RETRY_MS,
} from '../../functions/audit-sync/schedule.ts';
import worker from '../../functions/index.ts';
import {
  ALL_MOD_PERMISSIONS,
  casesOf,
  inDiscordUi,
  putGuild,
  runTick,
  seedUser,
  snowflake,
  streamEventsOf,
  testDatabase,
  workerEnv,
} from '../support/edge.ts';

const MINUTE = 60_000;

/** Stands in for the Queue binding: keeps what the producer sent; `fail` makes sendBatch throw. */
function recordingQueue(fail = false) {
  const sent: AuditSyncMessage[] = [];
  const queue = {
    async send(body: AuditSyncMessage) {
      sent.push(body);
    },
    async sendBatch(messages: Iterable<MessageSendRequest<AuditSyncMessage>>) {
      if (fail) throw new Error('queue unavailable');
      for (const message of messages) sent.push(message.body);
    },
  };
  return { sent, queue: queue as unknown as Queue<AuditSyncMessage> };
}

const rowsOf = async (guildIds: string[]) =>
  new Map(
    (await testDatabase().select().from(auditSync).where(inArray(auditSync.guildId, guildIds))).map((row) => [
      row.guildId,
      row,
    ]),
  );

async function knownGuilds(count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => snowflake());
  await testDatabase()
    .insert(guilds)
    .values(ids.map((guildId) => ({ guildId })));
  return ids;
}

/** A guild at the stand-in whose bot holds (or lacks) View Audit Log, with a moderator and a member. */
async function standInGuild(viewAuditLog: boolean) {
  const g = { guildId: snowflake(), ownerId: snowflake(), moderatorId: snowflake(), targetId: snowflake() };
  const bot = snowflake();
  const mod = snowflake();
  const permissions = ALL_MOD_PERMISSIONS | (viewAuditLog ? PermissionFlagsBits.ViewAuditLog : 0n);
  await putGuild(g.guildId, {
    name: 'Fan-out Server',
    ownerId: g.ownerId,
    roles: [
      { id: mod, name: 'mod', position: 5, permissions: String(ALL_MOD_PERMISSIONS) },
      { id: bot, name: 'Lockdown', position: 9, permissions: String(permissions) },
    ],
    members: [
      { user: seedUser(g.ownerId, 'owner'), roles: [] },
      { user: seedUser(g.moderatorId, 'moderator'), roles: [mod] },
      { user: seedUser(g.targetId, 'target'), roles: [] },
    ],
    channels: [{ id: snowflake(), name: 'general', type: 0 }],
    botRoleIds: [bot],
  });
  await testDatabase().insert(guilds).values({ guildId: g.guildId });
  return g;
}

/** Runs the Worker's queue handler on one message, as Queues would deliver it. */
async function deliver(body: unknown) {
  const id = crypto.randomUUID();
  const batch = createMessageBatch('lockdown-audit-sync', [{ id, timestamp: new Date(), attempts: 1, body }]);
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, workerEnv());
  return { id, result: await getQueueResult(batch, ctx) };
}

describe('audit-sync fan-out (the cron step)', () => {
  it('creates rows for known guilds, claims exactly the due ones and sends them to the queue', async () => {
    const now = Date.now();
    const [fresh, due, later, claimed] = await knownGuilds(4);
    const db = testDatabase();
    await db.insert(auditSync).values([
      { guildId: due as string, nextSyncAt: new Date(now - MINUTE) },
      { guildId: later as string, nextSyncAt: new Date(now + 5 * MINUTE) },
      {
        guildId: claimed as string,
        nextSyncAt: new Date(now - MINUTE),
        claimedUntil: new Date(now + MINUTE),
      },
    ]);
    const scope = [fresh, due, later, claimed] as string[];
    const { sent, queue } = recordingQueue();
    await runTick(new Date(now), { SCHEDULER_GUILD_IDS: scope.join(','), AUDIT_SYNC_QUEUE: queue });

    expect(sent.flatMap((m) => m.guildIds).sort()).toEqual([fresh, due].sort());
    expect(sent.every((m) => m.at === now)).toBe(true);
    const rows = await rowsOf(scope);
    expect(rows.get(fresh as string)?.claimedUntil?.getTime()).toBe(now + CLAIM_MS);
    expect(rows.get(due as string)?.claimedUntil?.getTime()).toBe(now + CLAIM_MS);
    expect(rows.get(later as string)?.claimedUntil).toBeNull();
    expect(rows.get(claimed as string)?.claimedUntil?.getTime()).toBe(now + MINUTE);

    // Claimed guilds are not sent again by an overlapping tick, until their claim lapses.
    const again = recordingQueue();
    await runTick(new Date(now + 1_000), {
      SCHEDULER_GUILD_IDS: scope.join(','),
      AUDIT_SYNC_QUEUE: again.queue,
    });
    expect(again.sent).toEqual([]);
    const lapsed = recordingQueue();
    await runTick(new Date(now + CLAIM_MS), {
      SCHEDULER_GUILD_IDS: scope.join(','),
      AUDIT_SYNC_QUEUE: lapsed.queue,
    });
    expect(lapsed.sent.flatMap((m) => m.guildIds).sort()).toEqual([fresh, due, claimed, later].sort());
  });

  it('splits many due guilds into messages of twenty, oldest due first', async () => {
    const now = Date.now();
    const ids = await knownGuilds(45);
    await testDatabase()
      .insert(auditSync)
      .values(ids.map((guildId, i) => ({ guildId, nextSyncAt: new Date(now - (i + 1) * 1_000) })));
    const { sent, queue } = recordingQueue();
    await runTick(new Date(now), { SCHEDULER_GUILD_IDS: ids.join(','), AUDIT_SYNC_QUEUE: queue });
    expect(sent.map((m) => m.guildIds.length)).toEqual([20, 20, 5]);
    expect(sent.flatMap((m) => m.guildIds)).toEqual([...ids].reverse());
  });

  it('releases its claims when the queue refuses the batch', async () => {
    const now = Date.now();
    const ids = await knownGuilds(2);
    const { queue } = recordingQueue(true);
    await runTick(new Date(now), { SCHEDULER_GUILD_IDS: ids.join(','), AUDIT_SYNC_QUEUE: queue });
    const rows = await rowsOf(ids);
    expect([...rows.values()].map((row) => row.claimedUntil)).toEqual([null, null]);
    const retried = recordingQueue();
    await runTick(new Date(now + MINUTE), {
      SCHEDULER_GUILD_IDS: ids.join(','),
      AUDIT_SYNC_QUEUE: retried.queue,
    });
    expect(retried.sent.flatMap((m) => m.guildIds).sort()).toEqual([...ids].sort());
  });
});

describe('audit-sync consumer (the queue handler)', () => {
  it('syncs each guild of a message, publishes its cases and reschedules it adaptively', async () => {
    const active = await standInGuild(true);
    const quiet = await standInGuild(true);
    const blind = await standInGuild(false);
    // Known to Lockdown but unknown to Discord: its sync fails, the others go on.
    const [gone] = await knownGuilds(1);
    const ids = [active.guildId, gone as string, quiet.guildId, blind.guildId];
    // Ticks a little ahead of the real clock: the schedule runs on the sending tick's time.
    const first = Date.now() + 10_000;
    await testDatabase()
      .insert(auditSync)
      .values(
        ids.map((guildId) => ({
          guildId,
          nextSyncAt: new Date(first),
          claimedUntil: new Date(first + CLAIM_MS),
        })),
      );

    // The first sync of each sets its cursor: nothing recorded, so quiet (interval doubled).
    const one = await deliver({ guildIds: ids, at: first });
    expect(one.result.explicitAcks).toEqual([one.id]);
    let rows = await rowsOf(ids);
    for (const id of [active.guildId, quiet.guildId]) {
      expect(rows.get(id)?.cursor).not.toBeNull();
      expect(rows.get(id)?.intervalMs).toBe(2 * MINUTE);
      expect(rows.get(id)?.claimedUntil).toBeNull();
      expect(rows.get(id)?.nextSyncAt.getTime()).toBeLessThanOrEqual(first + 2 * MINUTE);
      expect(rows.get(id)?.nextSyncAt.getTime()).toBeGreaterThan(first + 1.7 * MINUTE);
    }
    expect(rows.get(blind.guildId)?.nextSyncAt.getTime()).toBe(first + MISSING_PERMISSION_RETRY_MS);
    expect(rows.get(blind.guildId)?.missingPermissionAt).not.toBeNull();
    // A failure retries within FAILED_RETRY_MS, no later than the guild's own interval (1 minute).
    expect(rows.get(gone as string)?.nextSyncAt.getTime()).toBe(
      first + Math.min(FAILED_RETRY_MS, ACTIVE_INTERVAL_MS),
    );
    expect(rows.get(gone as string)?.intervalMs).toBe(ACTIVE_INTERVAL_MS);
    expect(rows.get(gone as string)?.lastError).toBeTruthy();
    expect(rows.get(gone as string)?.claimedUntil).toBeNull();

    // A moderator bans in Discord's own UI: the next sync records the case and speeds the guild up.
    await inDiscordUi(active.guildId, {
      action: 'ban',
      actorId: active.moderatorId,
      targetId: active.targetId,
      reason: 'spam',
    });
    const second = first + 2 * MINUTE;
    const two = await deliver({ guildIds: [gone, active.guildId, quiet.guildId], at: second });
    expect(two.result.explicitAcks).toEqual([two.id]);
    rows = await rowsOf(ids);
    expect(rows.get(active.guildId)).toMatchObject({ intervalMs: ACTIVE_INTERVAL_MS, claimedUntil: null });
    expect(rows.get(active.guildId)?.nextSyncAt.getTime()).toBe(second + ACTIVE_INTERVAL_MS);
    expect(rows.get(active.guildId)?.lastActivityAt?.getTime()).toBe(second);
    expect(rows.get(quiet.guildId)?.intervalMs).toBe(4 * MINUTE);
    const recorded = await casesOf(active.guildId);
    expect(recorded).toMatchObject([
      {
        action: 'ban',
        userId: active.targetId,
        moderatorId: active.moderatorId,
        reason: 'spam',
        source: 'discord',
      },
    ]);
    const events = await streamEventsOf(active.guildId);
    expect(events.map((e) => e.eventType)).toEqual(['ban:created']);
    expect(await casesOf(quiet.guildId)).toEqual([]);
  });

  it('acks a message that is not a list of guild ids, changing nothing', async () => {
    const { id, result } = await deliver({ guildIds: ['not-a-snowflake'], at: Date.now() });
    expect(result.explicitAcks).toEqual([id]);
    expect(result.retryMessages).toEqual([]);
  });
});
