// The read and edit commands: /warnings (paged, newest first), /case, /reason (with its audit event).
import { describe, expect, it } from 'vitest';
import {
  casesOf,
  integerOption,
  runCommand,
  seedGuild,
  streamEventsOf,
  stringOption,
  subcommand,
  type TestGuild,
  userOption,
} from '../support/edge.ts';

async function warn(guild: TestGuild, reason: string) {
  await runCommand({
    guild,
    name: 'warn',
    options: [userOption('user', guild.targetId), stringOption('reason', reason)],
    resolve: [{ id: guild.targetId }],
  });
}

describe('/warnings', () => {
  it('lists a member’s cases newest first, ten to a page', async () => {
    const guild = await seedGuild();
    for (let i = 1; i <= 12; i += 1) await warn(guild, `reason ${i}`);
    const first = await runCommand({
      guild,
      name: 'warnings',
      options: [userOption('user', guild.targetId)],
      resolve: [{ id: guild.targetId }],
    });
    const embed = first.body.data?.embeds?.[0] as { description: string; footer: { text: string } };
    expect(embed.footer.text).toBe('Page 1 of 2');
    expect(embed.description).toContain(`<@${guild.targetId}> has 12 cases.`);
    const numbers = [...embed.description.matchAll(/`#(\d+)`/g)].map((m) => Number(m[1]));
    expect(numbers).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect(first.body.data?.flags).toBe(64);

    const second = await runCommand({
      guild,
      name: 'warnings',
      options: [userOption('user', guild.targetId), integerOption('page', 2)],
      resolve: [{ id: guild.targetId }],
    });
    const page2 = second.body.data?.embeds?.[0] as { description: string; footer: { text: string } };
    expect([...page2.description.matchAll(/`#(\d+)`/g)].map((m) => Number(m[1]))).toEqual([2, 1]);
    expect(page2.footer.text).toBe('Page 2 of 2');

    const third = await runCommand({
      guild,
      name: 'warnings',
      options: [userOption('user', guild.targetId), integerOption('page', 3)],
      resolve: [{ id: guild.targetId }],
    });
    expect(third.body.data?.content).toBe(`<@${guild.targetId}> has 2 pages of cases.`);
  });

  it('stays inside the embed limit with ten 512-character reasons', async () => {
    const guild = await seedGuild();
    for (let i = 0; i < 10; i += 1) await warn(guild, 'x'.repeat(512));
    const result = await runCommand({
      guild,
      name: 'warnings',
      options: [userOption('user', guild.targetId)],
      resolve: [{ id: guild.targetId }],
    });
    const embed = result.body.data?.embeds?.[0] as { description: string };
    expect(embed.description.length).toBeLessThanOrEqual(4096);
    expect([...embed.description.matchAll(/`#(\d+)`/g)]).toHaveLength(10);
  });

  it('says so when there are none', async () => {
    const guild = await seedGuild();
    const result = await runCommand({
      guild,
      name: 'warnings',
      options: [userOption('user', guild.targetId)],
      resolve: [{ id: guild.targetId }],
    });
    expect(result.body.data?.content).toBe(`<@${guild.targetId}> has no cases.`);
  });
});

describe('/case', () => {
  it('shows the case with its status', async () => {
    const guild = await seedGuild();
    await warn(guild, 'Rule 3');
    const result = await runCommand({
      guild,
      name: 'case',
      options: [subcommand('view', [integerOption('number', 1)])],
    });
    const embed = result.body.data?.embeds?.[0] as {
      title: string;
      fields: { name: string; value: string }[];
    };
    expect(embed.title).toBe('Warning | Case #1');
    expect(embed.fields).toEqual(
      expect.arrayContaining([
        { name: 'Member', value: `<@${guild.targetId}> (\`${guild.targetId}\`)`, inline: true },
        { name: 'Reason', value: 'Rule 3', inline: false },
        { name: 'Status', value: 'In force', inline: true },
      ]),
    );
  });
});

describe('/reason', () => {
  it('edits the reason and publishes audit:logged with the old one', async () => {
    const guild = await seedGuild();
    await warn(guild, 'typo');
    const result = await runCommand({
      guild,
      name: 'reason',
      options: [integerOption('case', 1), stringOption('reason', 'Rule 3: spam')],
    });
    expect(result.body.data?.content).toBe('Updated the reason of case #1.');
    const [row] = await casesOf(guild.guildId);
    expect(row?.reason).toBe('Rule 3: spam');
    const events = await streamEventsOf(guild.guildId);
    expect(events.map((e) => e.eventType)).toEqual(['warning:added', 'audit:logged']);
    expect(events[1]!.data).toMatchObject({
      action: 'case.reason_edited',
      id: row!.id,
      caseNumber: 1,
      userId: guild.targetId,
      moderatorId: guild.moderatorId,
      reason: 'Rule 3: spam',
      details: { 'Previous reason': 'typo' },
    });
  });
});
