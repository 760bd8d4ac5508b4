// /modlog import since: against the stand-in's audit log, the real Postgres and the Worker in
// workerd: history becomes cases once (one batch, for the mod-log's digests), only as far back as
// asked, never twice, and the regular sync goes on from where it was.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditSync } from '../../db/schema.ts';
import {
  ALL_MOD_PERMISSIONS,
  casesOf,
  inDiscordUi,
  outboxOf,
  runCommand,
  seedGuild,
  stringOption,
  subcommand,
  type TestGuild,
  testDatabase,
} from '../support/edge.ts';

const HOUR = 3_600_000;
const BOT = ALL_MOD_PERMISSIONS | PermissionFlagsBits.ViewAuditLog;

/** "In Discord's UI", by the guild's moderator unless said otherwise, dated `agoMs` back. */
const inDiscord = (g: TestGuild, body: Record<string, unknown>, agoMs: number) =>
  inDiscordUi(g.guildId, { actorId: g.moderatorId, at: new Date(Date.now() - agoMs).toISOString(), ...body });

const importSince = (g: TestGuild, since: string, appPermissions = BOT) =>
  runCommand({
    guild: g,
    name: 'modlog',
    options: [subcommand('import', [stringOption('since', since)])],
    appPermissions,
  });

describe('/modlog import', () => {
  it('records what the audit log shows since the time asked, once, as one batch', async () => {
    const g = await seedGuild();
    await inDiscord(g, { action: 'kick', targetId: g.closedDmsId, reason: 'too old' }, 5 * 24 * HOUR);
    await inDiscord(g, { action: 'ban', targetId: g.outsiderId, reason: 'scam links' }, 30 * HOUR);
    await inDiscord(g, { action: 'timeout', targetId: g.targetId, durationMs: HOUR, reason: 'spam' }, 0);

    const first = await importSince(g, '3d');
    expect(first.body.data?.content).toMatch(
      /^Imported 2 actions from the audit log since <t:\d+:f>; they reach the mod-log as digests\./,
    );
    const rows = await casesOf(g.guildId);
    expect(rows.map((c) => [c.action, c.reason, c.source])).toEqual([
      ['ban', 'scam links', 'discord'],
      ['mute', 'spam', 'discord'],
    ]);
    expect(new Set(rows.map((c) => c.batchId)).size).toBe(1);
    expect(rows[0]!.batchId).toBeTruthy();
    // Dated when they happened, not when imported.
    expect(rows[0]!.createdAt.getTime()).toBeLessThan(Date.now() - 29 * HOUR);
    const events = await outboxOf(g.guildId);
    expect(events.map((e) => (e.payload as { data: { batchId?: string } }).data.batchId)).toEqual([
      rows[0]!.batchId,
      rows[0]!.batchId,
    ]);
    // The regular sync starts from now: its cursor was set by the import.
    const [sync] = await testDatabase().select().from(auditSync).where(eq(auditSync.guildId, g.guildId));
    expect(sync?.cursor).toBeTruthy();

    const again = await importSince(g, '7d');
    expect(again.body.data?.content).toMatch(/^Imported 1 action from the audit log/);
    expect((await casesOf(g.guildId)).map((c) => c.reason)).toEqual(['scam links', 'spam', 'too old']);
    const none = await importSince(g, '7d');
    expect(none.body.data?.content).toMatch(/^Nothing new to import from the audit log since/);
    expect(none.body.data?.content).toContain('3 entries were already cases');
    expect(await casesOf(g.guildId)).toHaveLength(3);
  });

  it('refuses without View Audit Log, or a bad duration, changing nothing', async () => {
    const g = await seedGuild();
    const noPermission = await importSince(g, '1d', ALL_MOD_PERMISSIONS);
    expect(noPermission.body.data?.content).toMatch(/^I need the \*\*View Audit Log\*\* permission/);
    const tooFar = await importSince(g, '60d');
    expect(tooFar.body.data?.content).toMatch(/duration/i);
    expect(await casesOf(g.guildId)).toEqual([]);
    expect(await testDatabase().select().from(auditSync).where(eq(auditSync.guildId, g.guildId))).toEqual([]);
  });
});
