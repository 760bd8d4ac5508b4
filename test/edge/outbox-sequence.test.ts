// Every event of a guild gets the next number of that guild's sequence (1, 2, 3…, no gaps), given in
// the transaction that writes its outbox row and carried in the envelope as `sequence`: case events
// from commands and from the scheduler, and audit events. The relay uses it to keep a guild's events
// in order when one publish was lost (a Redis blip) and the next went through.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema.ts';
import {
  banOutsider,
  integerOption,
  outboxOf,
  runCommand,
  runTick,
  seedGuild,
  streamEventsOf,
  stringOption,
  type TestGuild,
  testDatabase,
  userOption,
} from '../support/edge.ts';

const warn = (guild: TestGuild, reason = 'spam') =>
  runCommand({
    guild,
    name: 'warn',
    options: [userOption('user', guild.targetId), stringOption('reason', reason)],
    resolve: [{ id: guild.targetId }],
  });

describe('outbox sequences', () => {
  it('numbers case, audit and scheduler events of a guild 1, 2, 3… in the outbox and the envelope', async () => {
    const guild = await seedGuild();
    await warn(guild, 'typo');
    await runCommand({
      guild,
      name: 'modlog',
      options: [{ name: 'set', type: 1, options: [{ name: 'channel', type: 7, value: guild.channelId }] }],
    });
    await runCommand({
      guild,
      name: 'reason',
      options: [integerOption('case', 1), stringOption('reason', 'Rule 3')],
    });
    const ban = banOutsider(guild);
    await runCommand({ ...ban, options: [...ban.options!, stringOption('duration', '1h')] });
    await runTick(new Date(Date.now() + 2 * 60 * 60_000), { SCHEDULER_GUILD_IDS: guild.guildId });

    const rows = await outboxOf(guild.guildId);
    expect(rows.map((row) => row.eventType)).toEqual([
      'warning:added',
      'audit:logged',
      'audit:logged',
      'ban:created',
      'ban:removed',
    ]);
    expect(rows.map((row) => row.sequence)).toEqual([1, 2, 3, 4, 5]);
    for (const row of rows) expect((row.payload as { sequence?: number }).sequence).toBe(row.sequence);
    const published = await streamEventsOf(guild.guildId);
    expect(published.map((event) => [event.eventType, event.sequence])).toEqual(
      rows.map((row) => [row.eventType, row.sequence]),
    );
  });

  it('gives events written at once distinct numbers with no gaps', async () => {
    const guild = await seedGuild();
    await Promise.all(Array.from({ length: 6 }, (_, i) => warn(guild, `reason ${i}`)));
    const sequences = (await outboxOf(guild.guildId)).map((row) => row.sequence).sort((a, b) => a! - b!);
    expect(sequences).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('finds a guild event by its sequence', async () => {
    const guild = await seedGuild();
    await warn(guild, 'first');
    await warn(guild, 'second');
    const [row] = await testDatabase()
      .select()
      .from(outbox)
      .where(and(eq(outbox.guildId, guild.guildId), eq(outbox.sequence, 2)));
    expect((row!.payload as { data: { reason: string } }).data.reason).toBe('second');
  });
});
