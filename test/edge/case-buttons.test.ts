// The buttons under mod-log lines, through the real Worker in workerd: Edit reason (a modal, then
// /reason's path), Undo (a confirmation, then /unban or /unmute, exactly once however it is
// clicked), History and the case menu. Nothing in a custom_id is trusted: another server's case, a
// case that does not exist and a malformed id are all refused without a change.
import type { APIMessage } from 'discord-api-types/v10';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  buildComponentInteraction,
  buildMessage,
  buildModalSubmitInteraction,
} from '../../dev/interactions.ts';
import {
  casesOf,
  discordGuildState,
  integerOption,
  moderatorBase,
  runCommand,
  seedGuild,
  sendInteraction,
  snowflake,
  streamEventsOf,
  stringOption,
  subcommand,
  type TestGuild,
  userOption,
} from '../support/edge.ts';

type Spec = Parameters<typeof moderatorBase>[1];

/** The mod-log message the button is on (the relay's webhook post). */
const modlogMessage = (guild: TestGuild): APIMessage =>
  buildMessage({
    channelId: guild.channelId,
    webhookId: snowflake(),
    author: { id: snowflake(), username: 'Lockdown mod-log' },
  });

function click(guild: TestGuild, customId: string, spec: Spec = {}, values?: string[]) {
  return sendInteraction(
    buildComponentInteraction({
      ...moderatorBase(guild, spec),
      message: modlogMessage(guild),
      customId,
      ...(values ? { values } : {}),
    }),
  );
}

async function banOutsider(guild: TestGuild, reason = 'Raid account') {
  await runCommand({
    guild,
    name: 'ban',
    options: [userOption('user', guild.outsiderId), stringOption('reason', reason)],
    resolve: [{ id: guild.outsiderId, roles: null }],
  });
  const [ban] = await casesOf(guild.guildId);
  if (!ban) throw new Error('the ban was not recorded');
  return ban;
}

type Body = {
  type: number;
  data?: {
    content?: string;
    flags?: number;
    embeds?: unknown[];
    components?: { components: { custom_id: string; label?: string }[] }[];
    custom_id?: string;
  };
};
const bodyOf = (result: { body: unknown }) => result.body as Body;

describe('Undo', () => {
  it('asks first, then unbans once; a second click is refused and nothing happens twice', async () => {
    const guild = await seedGuild();
    const ban = await banOutsider(guild);
    const asked = bodyOf(await click(guild, `case:undo:${ban.id}`));
    expect(asked.type).toBe(4);
    expect(asked.data?.flags).toBe(64);
    expect(asked.data?.content).toBe(`Undo case #1? This will **unban** <@${guild.outsiderId}>.`);
    const buttons = asked.data?.components?.[0]?.components.map((b) => b.custom_id);
    expect(buttons).toEqual([`case:undo-confirm:${ban.id}`, `case:undo-cancel:${ban.id}`]);
    // Asking changed nothing.
    expect((await discordGuildState(guild.guildId)).bans).toHaveLength(1);

    const done = bodyOf(await click(guild, `case:undo-confirm:${ban.id}`));
    expect(done.type).toBe(7);
    expect(done.data?.content).toMatch(/\*\*Unbanned\*\* <@\d+> — case #2/);
    expect(done.data?.components).toEqual([]);
    expect((await discordGuildState(guild.guildId)).bans).toHaveLength(0);
    const rows = await casesOf(guild.guildId);
    const unban = rows.find((c) => c.action === 'unban');
    expect(unban).toMatchObject({
      reason: 'Undo of case #1',
      moderatorId: guild.moderatorId,
      source: 'command',
    });
    expect(rows.find((c) => c.id === ban.id)).toMatchObject({ state: 'lifted', endedByCaseId: unban?.id });

    const again = bodyOf(await click(guild, `case:undo-confirm:${ban.id}`));
    expect(again.type).toBe(4);
    expect(again.data?.content).toBe('Case #1 is already undone; nothing was done.');
    const undoAgain = bodyOf(await click(guild, `case:undo:${ban.id}`));
    expect(undoAgain.data?.content).toBe('Case #1 is already undone; nothing was done.');
    expect(await casesOf(guild.guildId)).toHaveLength(2);
    expect((await streamEventsOf(guild.guildId)).map((e) => e.eventType)).toEqual([
      'ban:created',
      'ban:removed',
    ]);
    // /case view says how it ended, and by which case.
    const viewed = await runCommand({
      guild,
      name: 'case',
      options: [subcommand('view', [integerOption('number', 1)])],
    });
    expect(JSON.stringify(viewed.body.data?.embeds)).toContain(`Undone — case #2 by <@${guild.moderatorId}>`);
  });

  it('undoes a mute once when two confirmations arrive together', async () => {
    const guild = await seedGuild();
    await runCommand({
      guild,
      name: 'mute',
      options: [userOption('user', guild.targetId), stringOption('duration', '1h')],
      resolve: [{ id: guild.targetId }],
    });
    const [mute] = await casesOf(guild.guildId);
    const results = await Promise.all([
      click(guild, `case:undo-confirm:${mute?.id}`),
      click(guild, `case:undo-confirm:${mute?.id}`),
    ]);
    const contents = results.map((r) => bodyOf(r).data?.content ?? '');
    expect(contents.filter((c) => /\*\*Unmuted\*\*/.test(c))).toHaveLength(1);
    expect((await casesOf(guild.guildId)).filter((c) => c.action === 'unmute')).toHaveLength(1);
    const target = (await discordGuildState(guild.guildId)).members.find((m) => m.user.id === guild.targetId);
    expect(target?.communication_disabled_until ?? null).toBeNull();
  });

  it('refuses a presser without the permission, one ranked too low, and what cannot be undone', async () => {
    const guild = await seedGuild();
    const ban = await banOutsider(guild);
    const noBan = bodyOf(
      await click(guild, `case:undo-confirm:${ban.id}`, { permissions: PermissionFlagsBits.ModerateMembers }),
    );
    expect(noBan.data?.content).toBe('You need the **Ban Members** permission to use /unban.');

    // The owner mutes the senior member; a moderator ranked below the senior may not lift it.
    await runCommand({
      guild,
      name: 'mute',
      invokerId: guild.ownerId,
      invokerRoles: [],
      options: [userOption('user', guild.seniorId), stringOption('duration', '1h')],
      resolve: [{ id: guild.seniorId, roles: [guild.roles.senior] }],
    });
    const mute = (await casesOf(guild.guildId)).find((c) => c.action === 'mute');
    const lower = bodyOf(await click(guild, `case:undo-confirm:${mute?.id}`));
    expect(lower.data?.content).toContain('their highest role is not below yours');

    await runCommand({
      guild,
      name: 'kick',
      options: [userOption('user', guild.targetId)],
      resolve: [{ id: guild.targetId }],
    });
    const kick = (await casesOf(guild.guildId)).find((c) => c.action === 'kick');
    const notUndoable = bodyOf(await click(guild, `case:undo:${kick?.id}`));
    expect(notUndoable.data?.content).toBe('A kick cannot be undone.');
    expect(
      (await casesOf(guild.guildId)).filter((c) => c.action === 'unban' || c.action === 'unmute'),
    ).toHaveLength(0);
  });

  it('Cancel leaves everything as it was', async () => {
    const guild = await seedGuild();
    const ban = await banOutsider(guild);
    const cancelled = bodyOf(await click(guild, `case:undo-cancel:${ban.id}`));
    expect(cancelled).toMatchObject({ type: 7, data: { content: 'Nothing was changed.', components: [] } });
    expect((await discordGuildState(guild.guildId)).bans).toHaveLength(1);
  });
});

describe('forged custom_ids', () => {
  it('refuses another server’s case, a case that does not exist and malformed ids', async () => {
    const guild = await seedGuild();
    const other = await seedGuild();
    const theirs = await banOutsider(other);
    for (const kind of ['undo', 'undo-confirm', 'reason', 'history']) {
      const foreign = bodyOf(await click(guild, `case:${kind}:${theirs.id}`));
      expect(foreign.data?.content).toBe('That case does not exist in this server; nothing was done.');
    }
    const missing = bodyOf(await click(guild, `case:undo-confirm:${crypto.randomUUID()}`));
    expect(missing.data?.content).toBe('That case does not exist in this server; nothing was done.');
    for (const id of [
      'case:undo-confirm:1',
      `case:explode:${theirs.id}`,
      `case:undo:${theirs.id}:extra`,
      'case',
    ]) {
      expect(bodyOf(await click(guild, id)).data?.content).toBe(
        'That button is not one of mine; nothing was done.',
      );
    }
    expect((await discordGuildState(other.guildId)).bans).toHaveLength(1);
    expect(await casesOf(other.guildId)).toHaveLength(1);
  });
});

describe('Edit reason, History and the case menu', () => {
  it('Edit reason opens a modal with the reason, and its submit edits the case as /reason does', async () => {
    const guild = await seedGuild();
    const ban = await banOutsider(guild, 'old reason');
    const opened = bodyOf(await click(guild, `case:reason:${ban.id}`));
    expect(opened.type).toBe(9);
    expect(opened.data?.custom_id).toBe(`case-reason:${ban.id}`);
    expect(JSON.stringify(opened.data)).toContain('old reason');

    const submitted = await sendInteraction(
      buildModalSubmitInteraction({
        ...moderatorBase(guild),
        customId: `case-reason:${ban.id}`,
        fields: { reason: 'new reason' },
      }),
    );
    expect(bodyOf(submitted).data?.content).toBe('Updated the reason of case #1.');
    const [row] = await casesOf(guild.guildId);
    expect(row).toMatchObject({ reason: 'new reason', reasonEditedBy: guild.moderatorId });
    const events = await streamEventsOf(guild.guildId);
    expect(events.at(-1)).toMatchObject({
      eventType: 'audit:logged',
      data: { action: 'case.reason_edited', caseNumber: 1 },
    });
  });

  it('Edit reason is refused to a moderator who could not have taken the action', async () => {
    const guild = await seedGuild();
    const ban = await banOutsider(guild);
    const refused = bodyOf(
      await click(guild, `case:reason:${ban.id}`, {
        invokerId: guild.targetId,
        invokerRoles: [guild.roles.member],
        permissions: PermissionFlagsBits.ModerateMembers,
      }),
    );
    expect(refused.type).toBe(4);
    expect(refused.data?.content).toContain('You need the **Ban Members** permission to change the reason');
  });

  it('History shows the member’s cases; the menu shows one case with its buttons', async () => {
    const guild = await seedGuild();
    const ban = await banOutsider(guild);
    const history = bodyOf(await click(guild, `case:history:${ban.id}`));
    expect(history.data?.flags).toBe(64);
    expect(JSON.stringify(history.data?.embeds)).toContain(`<@${guild.outsiderId}> has 1 case.`);

    const picked = bodyOf(await click(guild, 'case:pick', {}, [ban.id]));
    expect(picked.data?.flags).toBe(64);
    expect(JSON.stringify(picked.data?.embeds)).toContain('Case #1');
    expect(picked.data?.components?.[0]?.components.map((b) => b.custom_id)).toEqual([
      `case:reason:${ban.id}`,
      `case:undo:${ban.id}`,
      `case:history:${ban.id}`,
    ]);
    const noPerm = bodyOf(
      await click(guild, `case:history:${ban.id}`, { permissions: PermissionFlagsBits.ManageGuild }),
    );
    expect(noPerm.data?.content).toBe('You need the **Timeout Members** permission to use /warnings.');
  });
});
