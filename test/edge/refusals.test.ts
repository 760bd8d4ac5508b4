// Refusals: missing permissions (moderator's or the bot's), hierarchy, invalid options. Each gets an
// ephemeral message saying what is wrong, and leaves no Discord action, no case and no event.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  type CommandSpec,
  casesOf,
  discordRequests,
  integerOption,
  outboxOf,
  runCommand,
  seedGuild,
  streamEventsOf,
  stringOption,
  subcommand,
  type TestGuild,
  userOption,
} from '../support/edge.ts';

async function expectRefused(spec: CommandSpec, message: string | RegExp) {
  const result = await runCommand(spec);
  expect(result.status).toBe(200);
  expect(result.body.type).toBe(4);
  expect(result.body.data?.flags).toBe(64);
  if (typeof message === 'string') expect(result.body.data?.content).toBe(message);
  else expect(result.body.data?.content).toMatch(message);
  await expectNothingChanged(spec.guild);
}

async function expectNothingChanged(guild: TestGuild) {
  const writes = (await discordRequests(guild.guildId)).filter((r) => r.method !== 'GET');
  expect(writes).toEqual([]);
  expect(await casesOf(guild.guildId)).toEqual([]);
  expect(await outboxOf(guild.guildId)).toEqual([]);
  expect(await streamEventsOf(guild.guildId)).toEqual([]);
}

const target = (guild: TestGuild, id = guild.targetId, roles?: string[]) => ({
  options: [userOption('user', id)],
  resolve: [{ id, roles }],
});

describe('permissions', () => {
  it('refuses a moderator without Ban Members', async () => {
    const guild = await seedGuild();
    await expectRefused(
      { guild, name: 'ban', ...target(guild), permissions: PermissionFlagsBits.KickMembers },
      'You need the **Ban Members** permission to use /ban.',
    );
  });

  it('refuses /kick without Kick Members and /mute without Timeout Members', async () => {
    const guild = await seedGuild();
    await expectRefused(
      { guild, name: 'kick', ...target(guild), permissions: PermissionFlagsBits.BanMembers },
      'You need the **Kick Members** permission to use /kick.',
    );
    await expectRefused(
      {
        guild,
        name: 'mute',
        options: [userOption('user', guild.targetId), stringOption('duration', '1h')],
        resolve: [{ id: guild.targetId }],
        permissions: 0n,
      },
      'You need the **Timeout Members** permission to use /mute.',
    );
  });

  it('lets Administrator stand in for every permission', async () => {
    const guild = await seedGuild();
    const result = await runCommand({
      guild,
      name: 'warn',
      options: [userOption('user', guild.targetId), stringOption('reason', 'x')],
      resolve: [{ id: guild.targetId }],
      permissions: PermissionFlagsBits.Administrator,
    });
    expect(result.body.data?.content).toMatch(/^\*\*Warned\*\*/);
  });

  it("names the bot's missing permission", async () => {
    const guild = await seedGuild();
    await expectRefused(
      { guild, name: 'ban', ...target(guild), appPermissions: PermissionFlagsBits.KickMembers },
      'I need the **Ban Members** permission in this server to do that. Ask an admin to grant it to my role.',
    );
  });
});

describe('targets', () => {
  it('refuses acting on oneself', async () => {
    const guild = await seedGuild();
    await expectRefused(
      { guild, name: 'ban', ...target(guild, guild.moderatorId, [guild.roles.mod]) },
      'You cannot ban yourself.',
    );
  });

  it('refuses acting on the bot', async () => {
    const guild = await seedGuild();
    const { DISCORD_APPLICATION_ID } = (await import('../support/edge.ts')).testConfig().bindings;
    await expectRefused(
      { guild, name: 'kick', ...target(guild, DISCORD_APPLICATION_ID, [guild.roles.bot]) },
      'I will not kick myself.',
    );
  });

  it('refuses acting on the owner', async () => {
    const guild = await seedGuild();
    await expectRefused(
      { guild, name: 'ban', ...target(guild, guild.ownerId, []) },
      'You cannot ban the server owner.',
    );
  });

  it('refuses a member whose highest role is not below the moderator’s', async () => {
    const guild = await seedGuild();
    await expectRefused(
      {
        guild,
        name: 'mute',
        options: [userOption('user', guild.seniorId), stringOption('duration', '1h')],
        resolve: [{ id: guild.seniorId, roles: [guild.roles.senior] }],
      },
      `You cannot mute <@${guild.seniorId}>: their highest role is not below yours.`,
    );
    await expectRefused(
      {
        guild,
        name: 'warn',
        options: [userOption('user', guild.seniorId), stringOption('reason', 'x')],
        resolve: [{ id: guild.seniorId, roles: [guild.roles.mod] }],
      },
      `You cannot warn <@${guild.seniorId}>: their highest role is not below yours.`,
    );
  });

  it('refuses a member ranked at or above the bot, even for the owner', async () => {
    const guild = await seedGuild();
    await expectRefused(
      {
        guild,
        name: 'kick',
        ...target(guild, guild.seniorId, [guild.roles.bot]),
        invokerId: guild.ownerId,
        invokerRoles: [],
      },
      `I cannot kick <@${guild.seniorId}>: their highest role is not below mine. Move my role above theirs.`,
    );
  });

  it('refuses /kick, /mute and /warn on someone who is not a member', async () => {
    const guild = await seedGuild();
    await expectRefused(
      {
        guild,
        name: 'kick',
        options: [userOption('user', guild.outsiderId)],
        resolve: [{ id: guild.outsiderId, roles: null }],
      },
      `<@${guild.outsiderId}> is not a member of this server.`,
    );
  });
});

describe('invalid options', () => {
  it.each([
    ['soon', '"soon" is not a duration. Write it like 30m, 2h, 7d or 1w2d.'],
    ['30s', 'The duration must be at least 1 minute.'],
    ['2y', 'The duration can be at most 1 year.'],
  ])('refuses the ban duration %j', async (duration, message) => {
    const guild = await seedGuild();
    await expectRefused(
      {
        guild,
        name: 'ban',
        options: [userOption('user', guild.targetId), stringOption('duration', duration)],
        resolve: [{ id: guild.targetId }],
      },
      message,
    );
  });

  it('refuses a mute without a usable duration', async () => {
    const guild = await seedGuild();
    await expectRefused(
      {
        guild,
        name: 'mute',
        options: [userOption('user', guild.targetId), stringOption('duration', '5 fortnights')],
        resolve: [{ id: guild.targetId }],
      },
      'Unknown unit "fortnights" in duration "5 fortnights". Use s, m, h, d, w or y.',
    );
  });

  it('refuses a reason over 512 characters', async () => {
    const guild = await seedGuild();
    await expectRefused(
      {
        guild,
        name: 'ban',
        options: [userOption('user', guild.targetId), stringOption('reason', 'é'.repeat(513))],
        resolve: [{ id: guild.targetId }],
      },
      'The reason is 513 characters long; the limit is 512. Shorten it and try again.',
    );
  });

  it('refuses an unknown delete_messages choice', async () => {
    const guild = await seedGuild();
    await expectRefused(
      {
        guild,
        name: 'ban',
        options: [userOption('user', guild.targetId), stringOption('delete_messages', '2w')],
        resolve: [{ id: guild.targetId }],
      },
      '`delete_messages` must be one of: none, 1h, 6h, 12h, 24h, 3d, 7d.',
    );
  });

  it('refuses /warn without a reason', async () => {
    const guild = await seedGuild();
    await expectRefused({ guild, name: 'warn', ...target(guild) }, 'A reason is required.');
  });

  it('answers an unknown case number', async () => {
    const guild = await seedGuild();
    await expectRefused(
      { guild, name: 'case', options: [subcommand('view', [integerOption('number', 42)])] },
      'There is no case #42 in this server.',
    );
    await expectRefused(
      { guild, name: 'reason', options: [integerOption('case', 42), stringOption('reason', 'x')] },
      'There is no case #42 in this server.',
    );
  });

  it('answers an unknown command', async () => {
    const guild = await seedGuild();
    await expectRefused({ guild, name: 'frobnicate' }, 'I do not know the command /frobnicate.');
  });
});
