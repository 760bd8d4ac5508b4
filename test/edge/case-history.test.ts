// /note and /history through the real Worker in workerd, against the real Postgres: a note is a
// case with no DM and no Discord action, shown in the mod-log; /history's counts, punishments in
// force and latest cases; deleted cases gone from /warnings, the mod-log History button and
// autocomplete, from lists and counts alike, but kept in the table.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { cases } from '../../db/schema.ts';
import { buildAutocompleteInteraction } from '../../dev/interactions.ts';
import { eventEmbed } from '../../shared/embeds.ts';
import {
  type CommandSpec,
  casesOf,
  discordRequests,
  moderatorBase,
  putGuild,
  seedGuild,
  seedUser,
  sendInteraction,
  snowflake,
  streamEventsOf,
  stringOption,
  testDatabase,
  testGuildSeed,
  userOption,
} from '../support/edge.ts';
import { click, command, markDeleted, numbersOf, seedCases } from './case-read-helpers.ts';

describe('/note', () => {
  it('records a note: no DM, no Discord action, the text as its reason, a note:added line', async () => {
    const guild = await seedGuild();
    const text = 'Keeps testing the limits in #general';
    const reply = await command({
      guild,
      name: 'note',
      options: [userOption('user', guild.targetId), stringOption('text', text)],
      resolve: [{ id: guild.targetId }],
    });
    expect(reply.data?.content).toBe(`**Noted** <@${guild.targetId}> — case #1.`);
    expect(reply.data?.flags).toBe(64);
    const [row] = await casesOf(guild.guildId);
    expect(row).toMatchObject({ action: 'note', reason: text, dmDelivered: null, source: 'command' });
    const dms = await discordRequests('/users/@me/channels');
    expect(dms.filter((r) => (r.body as { recipient_id?: string })?.recipient_id === guild.targetId)).toEqual(
      [],
    );
    // Only reads of the server (roles and owner for the hierarchy check); nothing changed at Discord.
    expect((await discordRequests(guild.guildId)).filter((r) => r.method !== 'GET')).toEqual([]);
    const events = await streamEventsOf(guild.guildId);
    expect(events.map((e) => e.eventType)).toEqual(['note:added']);
    expect(events[0]!.data).toMatchObject({ caseNumber: 1, userId: guild.targetId, reason: text });
    expect(eventEmbed(events[0]!).title).toBe('Note | Case #1');
  });

  it('refuses a missing text, oneself and a moderator without Timeout Members; a non-member can be noted', async () => {
    const guild = await seedGuild();
    const note = (userId: string, options: CommandSpec['options'], extra: Partial<CommandSpec> = {}) =>
      command({ guild, name: 'note', options: [userOption('user', userId), ...(options ?? [])], ...extra });
    expect((await note(guild.targetId, [stringOption('text', '   ')])).data?.content).toBe(
      'The `text` is required.',
    );
    expect((await note(guild.moderatorId, [stringOption('text', 'x')])).data?.content).toBe(
      'You cannot note yourself.',
    );
    const unprivileged = await note(guild.targetId, [stringOption('text', 'x')], {
      permissions: PermissionFlagsBits.BanMembers,
    });
    expect(unprivileged.data?.content).toBe('You need the **Timeout Members** permission to use /note.');
    expect(await casesOf(guild.guildId)).toEqual([]);
    const outsider = await note(guild.outsiderId, [stringOption('text', 'Alt of a banned raider')], {
      resolve: [{ id: guild.outsiderId, roles: null }],
    });
    expect(outsider.data?.content).toBe(`**Noted** <@${guild.outsiderId}> — case #1.`);
  });

  it('needs no rank of the bot: the owner notes a member ranked above it', async () => {
    const guild = await seedGuild();
    const [admin, adminRole] = [snowflake(), snowflake()];
    const seed = testGuildSeed(guild);
    await putGuild(guild.guildId, {
      ...seed,
      roles: [...seed.roles, { id: adminRole, name: 'admin', position: 10, permissions: '8' }],
      members: [...seed.members, { user: seedUser(admin, 'admin'), roles: [adminRole] }],
    });
    const asOwner = { guild, invokerId: guild.ownerId, invokerRoles: [] };
    const noted = await command({
      ...asOwner,
      name: 'note',
      options: [userOption('user', admin), stringOption('text', 'Asked for the raid logs')],
      resolve: [{ id: admin, roles: [adminRole] }],
    });
    expect(noted.data?.content).toBe(`**Noted** <@${admin}> — case #1.`);
    // A kick of the same member still needs the bot above them.
    const kicked = await command({
      ...asOwner,
      name: 'kick',
      options: [userOption('user', admin)],
      resolve: [{ id: admin, roles: [adminRole] }],
    });
    expect(kicked.data?.content).toBe(
      `I cannot kick <@${admin}>: their highest role is not below mine. Move my role above theirs.`,
    );
  });
});

describe('/history', () => {
  it('counts per action, punishments in force with their ends, the latest five; deleted cases left out', async () => {
    const guild = await seedGuild();
    const on = (name: string, options: CommandSpec['options'] = []) =>
      command({
        guild,
        name,
        options: [userOption('user', guild.targetId), ...(options ?? [])],
        resolve: [{ id: guild.targetId }],
      });
    await on('warn', [stringOption('reason', 'one')]); // 1
    await on('warn', [stringOption('reason', 'two')]); // 2
    await on('note', [stringOption('text', 'to be deleted')]); // 3
    await on('warn', [stringOption('reason', 'three')]); // 4
    await on('note', [stringOption('text', 'watch them')]); // 5
    await on('mute', [stringOption('duration', '2h')]); // 6
    await on('ban', [stringOption('duration', '1d')]); // 7
    await markDeleted(guild, [3]);
    const mutedUntil = (await casesOf(guild.guildId))[5]!.expiresAt!;
    const bannedUntil = (await casesOf(guild.guildId))[6]!.expiresAt!;
    const reply = await on('history');
    const embed = reply.data?.embeds?.[0];
    const lines = embed?.description?.split('\n') ?? [];
    expect(lines[0]).toBe(
      `<@${guild.targetId}> (\`${guild.targetId}\`): 6 cases — Ban 1 · Mute 1 · Warning 3 · Note 1`,
    );
    expect(numbersOf(reply)).toEqual([7, 6, 5, 4, 2]);
    const unix = (d: Date) => Math.floor(d.getTime() / 1000);
    expect(embed?.fields).toEqual([
      {
        name: 'In force',
        value: `Temporary ban — ends <t:${unix(bannedUntil)}:R> (case #7)\nMute — ends <t:${unix(mutedUntil)}:R> (case #6)`,
        inline: false,
      },
    ]);
    const nobody = await command({
      guild,
      name: 'history',
      options: [userOption('user', guild.seniorId)],
      resolve: [{ id: guild.seniorId, roles: [guild.roles.senior] }],
    });
    expect(nobody.data?.content).toBe(`<@${guild.seniorId}> has no cases.`);
  });
});

describe('deleted cases in /warnings, the History button and autocomplete', () => {
  it('are neither listed nor counted, and stay in the table', async () => {
    const guild = await seedGuild();
    await seedCases(guild, [
      { userId: guild.targetId },
      { userId: guild.targetId },
      { userId: guild.targetId },
    ]);
    await markDeleted(guild, [2]);
    const warnings = await command({
      guild,
      name: 'warnings',
      options: [userOption('user', guild.targetId)],
      resolve: [{ id: guild.targetId }],
    });
    expect(warnings.data?.embeds?.[0]?.description).toContain(`<@${guild.targetId}> has 2 cases.`);
    expect(numbersOf(warnings)).toEqual([3, 1]);
    const [, , third] = await casesOf(guild.guildId);
    const history = (await click(guild, `case:history:${third!.id}`)).body;
    expect(numbersOf(history)).toEqual([3, 1]);
    const suggested = await sendInteraction(
      buildAutocompleteInteraction({
        ...moderatorBase(guild),
        name: 'case',
        options: [
          { name: 'view', type: 1, options: [{ name: 'number', type: 4, value: '', focused: true }] },
        ] as never,
      }),
    );
    const choices = (suggested.body.data as unknown as { choices: { value: number }[] }).choices;
    expect(choices.map((c) => c.value)).toEqual([3, 1]);
    const kept = await testDatabase().execute<{ n: number }>(
      sql`select count(*)::int as n from ${cases} where ${cases.guildId} = ${guild.guildId}`,
    );
    expect(kept.rows[0]?.n).toBe(3);
  });
});
