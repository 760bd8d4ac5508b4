// The sandbox server's raid-tool routes on a real Discord stand-in seeded with the sandbox guild,
// POSTing to a recorder that checks signatures as the Worker does (test-harness.ts): channels as one member sees them,
// commands typed in a channel (permissions computed there), pasted files resolved as attachments,
// and button clicks sent as Discord's MESSAGE_COMPONENT interactions, refused as Discord's client
// refuses them.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { ChannelView } from './channel-views.ts';
import { sandboxGuild as g } from './seed.ts';
import { APPLICATION_ID, useSandboxHarness } from './test-harness.ts';

const sandbox = useSandboxHarness();

const post = (path: string, body: unknown) => sandbox.post(path, body);
const views = (as: string) => sandbox.get<ChannelView[]>(`channels?as=${as}`);
const last = () => sandbox.last();
const has = (bits: string, bit: bigint) => (BigInt(bits) & bit) === bit;

describe('channels as a member sees them', () => {
  it('hides #staff from members, marks read-only #announcements, and knows who may write there', async () => {
    const tom = await views(g.users.troublemaker);
    const maya = await views(g.users.moderator);
    const of = (list: ChannelView[], id: string) => list.find((v) => v.id === id)!;
    expect(of(tom, g.channels.staff)).toMatchObject({ private: true, canView: false, canSend: false });
    expect(of(maya, g.channels.staff)).toMatchObject({ private: true, canView: true, canSend: true });
    expect(of(tom, g.channels.announcements)).toMatchObject({ locked: true, canView: true, canSend: false });
    expect(of(maya, g.channels.announcements)).toMatchObject({ locked: true, canSend: true });
    expect(of(tom, g.channels.chat)).toMatchObject({ locked: false, canSend: true, slowmode: 0 });
    expect(tom.map((v) => v.name)).toEqual([
      'general',
      'chat',
      'art',
      'announcements',
      'staff',
      'mod-logs',
      'Lounge',
    ]);
  });
});

describe('commands typed in a channel', () => {
  it('carries the channel and the permissions Discord computes there', async () => {
    sandbox.answerWith({ type: 4, data: { content: 'ok', flags: 64 } });
    const result = await post('commands', {
      name: 'lockdown',
      subcommand: 'channel',
      channelId: g.channels.announcements,
      invokerId: g.users.helper,
      options: {},
    });
    expect(result.status).toBe(200);
    const interaction = last();
    expect(interaction.channel_id).toBe(g.channels.announcements);
    expect(interaction.channel).toMatchObject({
      id: g.channels.announcements,
      name: 'announcements',
      type: 5,
    });
    // @everyone's deny of Send Messages in #announcements applies to Hugo, who has no allow there.
    expect(has(interaction.member.permissions, PermissionFlagsBits.SendMessages)).toBe(false);
    expect(has(interaction.member.permissions, PermissionFlagsBits.ViewChannel)).toBe(true);
    expect(has(interaction.app_permissions, PermissionFlagsBits.ManageRoles)).toBe(true);
  });

  it('uploads a pasted file and resolves it as Discord resolves attachments', async () => {
    const text = `${g.users.spammer}\n${g.users.quiet}\n`;
    const result = await post('commands', {
      name: 'massban',
      options: { reason: 'spam' },
      files: { file: { filename: 'list.txt', text } },
      channelId: g.channels.chat,
    });
    expect(result.status).toBe(200);
    const data = last().data as {
      options: { name: string; type: number; value: string }[];
      resolved: { attachments: Record<string, { id: string; filename: string; url: string; size: number }> };
    };
    const option = data.options.find((o) => o.name === 'file')!;
    expect(option.type).toBe(11);
    const attachment = data.resolved.attachments[option.value]!;
    expect(attachment).toMatchObject({ id: option.value, filename: 'list.txt', size: text.length });
    expect(attachment.url).toContain(`/attachments/${g.channels.chat}/${option.value}/list.txt`);
    expect(await (await fetch(attachment.url)).text()).toBe(text);
  });

  it('refuses what Discord’s client would not send', async () => {
    const before = sandbox.received.length;
    const cases: [unknown, string][] = [
      [{ name: 'case', subcommand: 'view', options: { number: '2147483648' } }, 'at most 2147483647'],
      [{ name: 'raidmode', subcommand: 'on', options: { dms: 'maybe' } }, 'True or False'],
      [{ name: 'slowmode', options: { interval: '3m' } }, 'one of the choices'],
      [{ name: 'massban', options: {} }, '`reason` is required'],
      [{ name: 'ban', channelId: '1', options: { user: g.users.spammer } }, 'no such channel'],
    ];
    for (const [request, message] of cases) {
      const result = await post('commands', request);
      expect(result.status, message).toBe(400);
      expect(String(result.body.message)).toContain(message);
    }
    expect(sandbox.received.length).toBe(before);
  });
});

describe('button clicks', () => {
  const buttons = (disabled = false) => [
    {
      type: 1,
      components: [
        { type: 2, style: 4, label: 'Confirm', custom_id: 'massban:confirm:x', disabled },
        { type: 2, style: 2, label: 'Cancel', custom_id: 'massban:cancel:x' },
      ],
    },
  ];

  it('sends a MESSAGE_COMPONENT interaction with the message, and applies an update in place', async () => {
    sandbox.answerWith({ type: 4, data: { content: 'Preview', flags: 64, components: buttons() } });
    const command = await post('commands', {
      name: 'massban',
      options: { reason: 'r', users: g.users.spammer },
    });
    const commandInteraction = last();
    const message = command.body.message as Record<string, unknown>;
    expect(message).toMatchObject({ content: 'Preview', flags: 64, components: buttons() });
    sandbox.answerWith({ type: 7, data: { content: 'Banning…', components: [] } });
    const click = await post('components', {
      customId: 'massban:confirm:x',
      channelId: g.channels.general,
      message,
      token: commandInteraction.token,
      invokerId: g.users.moderator,
    });
    expect(click.status).toBe(200);
    const { verified, interaction } = sandbox.received.at(-1)!;
    expect(verified).toBe(true);
    expect(interaction).toMatchObject({
      type: 3,
      application_id: APPLICATION_ID,
      guild_id: g.guildId,
      channel_id: g.channels.general,
      channel: { id: g.channels.general, name: 'general' },
      data: { custom_id: 'massban:confirm:x', component_type: 2 },
      member: { user: { id: g.users.moderator, username: 'maya_mod', global_name: 'Maya' } },
      message: {
        id: message.id,
        content: 'Preview',
        flags: 64,
        components: buttons(),
        interaction_metadata: { id: commandInteraction.id, type: 2, user: { id: g.users.moderator } },
      },
    });
    expect(interaction.token).not.toBe(commandInteraction.token);
    expect(has(interaction.member.permissions, PermissionFlagsBits.BanMembers)).toBe(true);
    expect(has(interaction.app_permissions, PermissionFlagsBits.BanMembers)).toBe(true);
    expect(click.body.message).toMatchObject({ id: message.id, content: 'Banning…', components: [] });
  });

  it('refuses a click on a disabled button or one the message does not have', async () => {
    const before = sandbox.received.length;
    const message = { id: '1310000000000009999', content: 'x', components: buttons(true) };
    for (const [customId, why] of [
      ['massban:confirm:x', 'disabled'],
      ['massban:nope', 'no button'],
    ]) {
      const result = await post('components', { customId, channelId: g.channels.general, message });
      expect(result.status, why).toBe(400);
      expect(String(result.body.message)).toContain(why);
    }
    expect(sandbox.received.length).toBe(before);
  });
});
