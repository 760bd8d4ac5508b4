// The sandbox server's Apps-menu routes on a real Discord stand-in seeded with the sandbox guild,
// POSTing to a recorder that checks signatures as the Worker does (test-harness.ts): the entries a
// member is shown (default_member_permissions), user and message commands built as Discord builds
// them, their modals kept and submitted only as opened and checked as Discord's client checks them,
// and members' plain messages posted only where they may write.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { mayUse } from './app-commands.ts';
import { sandboxGuild as g } from './seed.ts';
import { banModal, useSandboxHarness } from './test-harness.ts';

const sandbox = useSandboxHarness();

const post = (path: string, body: unknown) => sandbox.post(path, body);
const last = () => sandbox.last();
const apps = (as: string, channel: string = g.channels.general) =>
  sandbox.get<{ user: string[]; message: string[] }>(`apps?as=${as}&channel=${channel}`);

describe('the Apps menu', () => {
  it('shows each member the entries their permissions allow, as Discord does', async () => {
    expect(await apps(g.users.owner)).toEqual({
      user: ['Warn', 'Timeout', 'Kick', 'Ban'],
      message: ['Warn for this message', 'Delete and warn'],
    });
    expect(await apps(g.users.moderator)).toEqual(await apps(g.users.owner));
    // Hugo holds Moderate Members only: no Kick, no Ban, and no Manage Messages to delete with.
    expect(await apps(g.users.helper)).toEqual({
      user: ['Warn', 'Timeout'],
      message: ['Warn for this message'],
    });
    expect(await apps(g.users.troublemaker)).toEqual({ user: [], message: [] });
  });

  it('follows Discord’s rule for default_member_permissions', () => {
    expect(mayUse(null, 0n)).toBe(true);
    expect(mayUse('0', PermissionFlagsBits.BanMembers)).toBe(false);
    expect(mayUse('0', PermissionFlagsBits.Administrator)).toBe(true);
    const both = String(PermissionFlagsBits.ModerateMembers | PermissionFlagsBits.ManageMessages);
    expect(mayUse(both, PermissionFlagsBits.ModerateMembers)).toBe(false);
    expect(mayUse(both, PermissionFlagsBits.ModerateMembers | PermissionFlagsBits.ManageMessages)).toBe(true);
  });
});

describe('a user command and its modal', () => {
  it('sends the member right-clicked, keeps the modal, and submits it once as Discord sends submits', async () => {
    sandbox.answerWith({ type: 9, data: banModal });
    const opened = await post('app-commands', {
      name: 'Ban',
      targetId: g.users.troublemaker,
      invokerId: g.users.moderator,
    });
    expect(opened.status).toBe(200);
    expect(opened.body.modal).toEqual(banModal);
    const command = last();
    expect(sandbox.received.at(-1)!.verified).toBe(true);
    expect(command).toMatchObject({
      type: 2,
      channel_id: g.channels.general,
      channel: { id: g.channels.general, name: 'general' },
      member: { user: { id: g.users.moderator, global_name: 'Maya' } },
      data: {
        type: 2,
        name: 'Ban',
        target_id: g.users.troublemaker,
        resolved: {
          users: { [g.users.troublemaker]: { username: 'troublemaker_tom', global_name: 'Tom' } },
          members: { [g.users.troublemaker]: { roles: [g.roles.member] } },
        },
      },
    });

    sandbox.answerWith({ type: 4, data: { content: 'Banned @Tom.', flags: 64 } });
    const token = (opened.body.interaction as { token: string }).token;
    const submitted = await post('modals', { token, values: { reason: 'Spam', duration: '1h' } });
    expect(submitted.status).toBe(200);
    expect(last()).toMatchObject({
      type: 5,
      channel_id: g.channels.general,
      member: { user: { id: g.users.moderator } },
      data: {
        custom_id: 'ctx:ban:1',
        components: [
          { type: 1, components: [{ type: 4, custom_id: 'reason', value: 'Spam' }] },
          { type: 1, components: [{ type: 4, custom_id: 'duration', value: '1h' }] },
        ],
      },
    });
    expect(last().message).toBeUndefined();
    expect(submitted.body.message).toMatchObject({
      content: 'Banned @Tom.',
      flags: 64,
      interaction_metadata: {
        type: 5,
        triggering_interaction_metadata: {
          id: command.id,
          type: 2,
          target_user: { id: g.users.troublemaker },
        },
      },
    });
    // Discord closes a modal once the bot answers it.
    const again = await post('modals', { token, values: { reason: 'Spam' } });
    expect(again.status).toBe(400);
    expect(String(again.body.message)).toContain('not open');
  });

  it('refuses what Discord’s client would not send: entries not shown, fields left wrong', async () => {
    sandbox.answerWith({ type: 9, data: banModal });
    const before = sandbox.received.length;
    const hidden = await post('app-commands', {
      name: 'Ban',
      targetId: g.users.spammer,
      invokerId: g.users.helper,
    });
    expect(hidden.status).toBe(400);
    expect(sandbox.received.length).toBe(before);
    const required = {
      ...banModal,
      components: [
        { type: 1, components: [{ type: 4, custom_id: 'reason', label: 'Reason', style: 1, min_length: 3 }] },
      ],
    };
    sandbox.answerWith({ type: 9, data: required });
    const opened = await post('app-commands', {
      name: 'Warn',
      targetId: g.users.spammer,
      invokerId: g.users.helper,
    });
    const token = (opened.body.interaction as { token: string }).token;
    const sent = sandbox.received.length;
    for (const [values, why] of [
      [{}, 'required'],
      [{ reason: '   ' }, 'required'],
      [{ reason: 'ab' }, 'at least 3'],
      [{ reason: 'two\nlines' }, 'one line'],
    ] as const) {
      const result = await post('modals', { token, values });
      expect(result.status, why).toBe(400);
      expect(String(result.body.message)).toContain(why);
    }
    const stranger = await post('modals', {
      token,
      values: { reason: 'fine' },
      invokerId: g.users.moderator,
    });
    expect(stranger.status).toBe(400);
    expect(sandbox.received.length).toBe(sent);
  });
});

describe('a message command', () => {
  it('carries the message exactly as the stand-in keeps it, its author resolved', async () => {
    const posted = await post('messages', {
      channelId: g.channels.chat,
      invokerId: g.users.spammer,
      content: 'free nitro at <https://example.com>',
    });
    expect(posted.status).toBe(200);
    sandbox.answerWith({ type: 9, data: { ...banModal, custom_id: 'ctx:delete-warn:1' } });
    const opened = await post('app-commands', {
      name: 'Delete and warn',
      messageId: posted.body.id,
      channelId: g.channels.chat,
      invokerId: g.users.moderator,
    });
    expect(opened.status).toBe(200);
    const data = last().data as {
      type: number;
      target_id: string;
      resolved: { messages: Record<string, Record<string, unknown>>; members: Record<string, unknown> };
    };
    expect(data).toMatchObject({ type: 3, target_id: posted.body.id });
    const message = data.resolved.messages[posted.body.id as string]!;
    expect(message).toMatchObject({
      id: posted.body.id,
      channel_id: g.channels.chat,
      content: 'free nitro at <https://example.com>',
      author: { id: g.users.spammer, username: 'spammy_sam' },
      attachments: [],
      timestamp: posted.body.timestamp,
    });
    expect(message).not.toHaveProperty('allowed_mentions');
    expect(data.resolved.members[g.users.spammer]).toMatchObject({ roles: [g.roles.member] });
    expect(last().channel_id).toBe(g.channels.chat);
    const gone = await post('app-commands', {
      name: 'Warn for this message',
      messageId: '1310000000000000999',
      channelId: g.channels.chat,
    });
    expect(gone.status).toBe(400);
  });

  it('posts members’ messages only where Discord would let them write', async () => {
    const locked = await post('messages', {
      channelId: g.channels.announcements,
      invokerId: g.users.troublemaker,
      content: 'hi',
    });
    expect(locked.status).toBe(400);
    expect(String(locked.body.message)).toContain('permission to send messages');
    const hiddenChannel = await post('messages', {
      channelId: g.channels.staff,
      invokerId: g.users.troublemaker,
      content: 'hi',
    });
    expect(hiddenChannel.status).toBe(400);
    expect((await post('messages', { channelId: g.channels.general, content: '' })).status).toBe(400);
  });
});
