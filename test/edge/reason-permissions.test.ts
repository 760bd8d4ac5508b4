// Who may change a case's reason: its own moderator, or someone who could have taken the action
// themselves — the action's permission (Ban Members for a ban or unban, Kick Members for a kick,
// Timeout Members for a mute, unmute or warning) and a rank above the case's member.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  banOutsider,
  casesOf,
  integerOption,
  runCommand,
  seedGuild,
  stringOption,
  subcommand,
  type TestGuild,
  userOption,
} from '../support/edge.ts';

const TIMEOUT_ONLY = PermissionFlagsBits.ModerateMembers;

function editReason(
  guild: TestGuild,
  caseNumber: number,
  by: Partial<Parameters<typeof runCommand>[0]> = {},
) {
  return runCommand({
    guild,
    name: 'reason',
    options: [integerOption('case', caseNumber), stringOption('reason', 'rewritten')],
    ...by,
  });
}

describe('/reason permissions', () => {
  it("refuses someone without the action's own permission on another moderator's case", async () => {
    const guild = await seedGuild();
    await runCommand({
      ...banOutsider(guild, 'spam'),
      invokerId: guild.seniorId,
      invokerRoles: [guild.roles.senior],
    });
    const result = await editReason(guild, 1, { permissions: TIMEOUT_ONLY });
    expect(result.body.data?.content).toBe(
      'You need the **Ban Members** permission to change the reason of a ban case you did not give.',
    );
    expect(result.body.data?.flags).toBe(64);
    expect((await casesOf(guild.guildId))[0]?.reason).toBe('spam');
  });

  it('refuses a moderator ranked below the case’s member, unless the case is theirs', async () => {
    const guild = await seedGuild();
    // The owner warns the senior member (ranked above the moderator).
    await runCommand({
      guild,
      name: 'warn',
      options: [userOption('user', guild.seniorId), stringOption('reason', 'be nice')],
      resolve: [{ id: guild.seniorId, roles: [guild.roles.senior] }],
      invokerId: guild.ownerId,
      invokerRoles: [],
    });
    const result = await editReason(guild, 1);
    expect(result.body.data?.content).toBe(
      `You cannot change the reason of case #1: <@${guild.seniorId}>'s highest role is not below yours.`,
    );
    expect((await casesOf(guild.guildId))[0]?.reason).toBe('be nice');
  });

  it('lets the case’s own moderator edit it, with only the command’s permission', async () => {
    const guild = await seedGuild();
    await runCommand(banOutsider(guild, 'spam'));
    const result = await editReason(guild, 1, { permissions: TIMEOUT_ONLY });
    expect(result.body.data?.content).toBe('Updated the reason of case #1.');
    expect((await casesOf(guild.guildId))[0]?.reason).toBe('rewritten');
  });

  it('lets a senior moderator with the permission edit a case on a member below them', async () => {
    const guild = await seedGuild();
    await runCommand({
      guild,
      name: 'warn',
      options: [userOption('user', guild.targetId), stringOption('reason', 'typo')],
      resolve: [{ id: guild.targetId }],
    });
    const result = await editReason(guild, 1, {
      invokerId: guild.seniorId,
      invokerRoles: [guild.roles.senior],
    });
    expect(result.body.data?.content).toBe('Updated the reason of case #1.');
    const [edited] = await casesOf(guild.guildId);
    expect(edited?.reason).toBe('rewritten');
    // The case keeps who changed its reason and when, and /case shows it under the original moderator.
    expect(edited?.reasonEditedBy).toBe(guild.seniorId);
    expect(edited?.reasonEditedAt).toBeInstanceOf(Date);
    const shown = await runCommand({
      guild,
      name: 'case',
      options: [subcommand('view', [integerOption('number', 1)])],
    });
    const embed = shown.body.data?.embeds?.[0] as { fields: { name: string; value: string }[] } | undefined;
    const fields = embed?.fields ?? [];
    expect(fields.find((f) => f.name === 'Reason edited')?.value).toMatch(
      new RegExp(`^by <@${guild.seniorId}> <t:\\d+:[a-zA-Z]>`),
    );
  });
});
