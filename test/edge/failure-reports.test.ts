// What the scheduler tells a guild when its work keeps failing: a plain sentence in the mod-log's
// "Last error" and in the case's schedule_last_error, never the database's own error text (its SQL,
// parameters, host names, the driver's message); those go to the Worker's logs only. (An error that
// carries SQL is covered in functions/scheduled/backoff.test.ts: the sentence never reads the text.)
import { describe, expect, it, vi } from 'vitest';
import type { AuditEventData } from '../../shared/events.ts';
import {
  casesOf,
  injectDatabaseFault,
  outboxOf,
  runCommand,
  runTick,
  seedGuild,
  stringOption,
  userOption,
} from '../support/edge.ts';

const MINUTE = 60_000;

describe('schedule.failed reports', () => {
  it('say "The database was unreachable", with no SQL, parameters or host in the event or the case', async () => {
    const guild = await seedGuild();
    await runCommand({
      guild,
      name: 'ban',
      options: [
        userOption('user', guild.outsiderId),
        stringOption('reason', 'spam'),
        stringOption('duration', '1h'),
      ],
      resolve: [{ id: guild.outsiderId, roles: null }],
    });
    const [ban] = await casesOf(guild.guildId);
    const due = (ban!.expiresAt as Date).getTime();
    const logged: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => {
      logged.push(String(line));
    });
    try {
      // Each lift fails writing its intent; the run is reported after about an hour (six tries).
      let at = due + MINUTE;
      for (const wait of [1, 2, 4, 8, 16, 32]) {
        await injectDatabaseFault(`insert into "pending_actions"[\\s\\S]*${guild.guildId}`, 1);
        await runTick(new Date(at), { SCHEDULER_GUILD_IDS: guild.guildId });
        at += wait * MINUTE;
      }
    } finally {
      spy.mockRestore();
    }

    const [after] = await casesOf(guild.guildId);
    expect(after).toMatchObject({ state: 'active', scheduleAttempts: 6 });
    const reports = (await outboxOf(guild.guildId)).filter((row) => row.eventType === 'audit:logged');
    expect(reports).toHaveLength(1);
    const data = (reports[0]!.payload as { data: AuditEventData }).data;
    expect(data.action).toBe('schedule.failed');
    expect(data.details?.['Last error']).toBe('The database was unreachable.');
    expect(after!.scheduleLastError).toBe('The database was unreachable.');
    const shown = JSON.stringify(reports[0]!.payload) + after!.scheduleLastError;
    const leaks = ['pending_actions', 'insert into', 'params', '127.0.0.1', 'Failed query', 'NeonDbError'];
    for (const leak of [...leaks, 'injected outage', 'HTTP status 503']) {
      expect(shown).not.toContain(leak);
    }
    // The details still reach the operator's logs.
    expect(
      logged.some(
        (line) =>
          line.includes(`case ${ban!.id}`) &&
          line.includes('NeonDbError') &&
          line.includes('injected outage'),
      ),
    ).toBe(true);
  });
});
