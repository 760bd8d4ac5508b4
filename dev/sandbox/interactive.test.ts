// The sandbox server's interactive routes on a real Discord stand-in seeded with the sandbox guild,
// POSTing to a recorder that checks signatures as the Worker does and answers what each test sets:
// the Apps entries a member is shown (default_member_permissions), user and message commands built as
// Discord builds them, modals kept and submitted only as opened (checked as Discord's client checks
// them, with the button's message when a button opened one), string selects, autocomplete with the
// focused option, members' plain messages, and answers Discord's client would not take.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { verifyKey } from 'discord-interactions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscordStandIn, startDiscordStandIn } from '../discord/server.ts';
import { generateSigningKeys } from '../local-stack.ts';
import { mayUse } from './app-commands.ts';
import { sandboxGuild as g, sandboxGuildSeed, sandboxOutsiders } from './seed.ts';
import { createSandboxPages } from './server.ts';

const APPLICATION_ID = '1100000000000000001';

let discord: DiscordStandIn;
let worker: Server;
let base: string;
type Received = Record<string, unknown> & {
  type: number;
  token: string;
  id: string;
  member: { user: { id: string }; permissions: string };
  data: Record<string, unknown>;
  message?: Record<string, unknown>;
};
const received: { verified: boolean; interaction: Received }[] = [];
/** What the recorder answers next. */
let answer: unknown = { type: 4, data: { content: 'ok', flags: 64 } };

beforeAll(async () => {
  const keys = await generateSigningKeys();
  worker = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const verified = await verifyKey(
      body,
      String(req.headers['x-signature-ed25519']),
      String(req.headers['x-signature-timestamp']),
      keys.publicKey,
    );
    received.push({ verified, interaction: JSON.parse(body) });
    res.writeHead(verified ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => worker.listen(0, '127.0.0.1', resolve));
  let pages: ReturnType<typeof createSandboxPages> | null = null;
  discord = await startDiscordStandIn({
    botToken: 'sandbox-test-token',
    applicationId: APPLICATION_ID,
    rateLimits: false,
    pages: (req, res, url) => (pages ? pages(req, res, url) : false),
  });
  pages = createSandboxPages({
    controlUrl: discord.controlUrl,
    workerUrl: `http://127.0.0.1:${(worker.address() as AddressInfo).port}`,
    applicationId: APPLICATION_ID,
    signingKeyPkcs8: keys.privateKey,
    guild: g,
    outsiders: sandboxOutsiders(g),
    runCron: async () => ({ status: 200, outcome: 'ok' }),
  });
  const seeded = await fetch(`${discord.controlUrl}/guilds/${g.guildId}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(sandboxGuildSeed(g)),
  });
  expect(seeded.status).toBe(200);
  base = discord.apiBase.replace(/\/api\/v10$/, '');
});

afterAll(async () => {
  await discord?.close();
  worker?.closeAllConnections();
  await new Promise<void>((resolve) => (worker ? worker.close(() => resolve()) : resolve()));
});

async function post(path: string, body: unknown) {
  const response = await fetch(`${base}/sandbox/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const last = () => received.at(-1)!.interaction;
const apps = async (as: string, channel: string = g.channels.general) =>
  (await (await fetch(`${base}/sandbox/api/apps?as=${as}&channel=${channel}`)).json()) as {
    user: string[];
    message: string[];
  };

const banModal = {
  custom_id: 'ctx:ban:1',
  title: 'Ban member',
  components: [
    {
      type: 1,
      components: [
        { type: 4, custom_id: 'reason', label: 'Reason', style: 2, required: false, max_length: 512 },
      ],
    },
    {
      type: 1,
      components: [
        { type: 4, custom_id: 'duration', label: 'Duration', style: 1, required: false, max_length: 32 },
      ],
    },
  ],
};

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
    answer = { type: 9, data: banModal };
    const opened = await post('app-commands', {
      name: 'Ban',
      targetId: g.users.troublemaker,
      invokerId: g.users.moderator,
    });
    expect(opened.status).toBe(200);
    expect(opened.body.modal).toEqual(banModal);
    const command = last();
    expect(received.at(-1)!.verified).toBe(true);
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

    answer = { type: 4, data: { content: 'Banned @Tom.', flags: 64 } };
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
    answer = { type: 9, data: banModal };
    const before = received.length;
    const hidden = await post('app-commands', {
      name: 'Ban',
      targetId: g.users.spammer,
      invokerId: g.users.helper,
    });
    expect(hidden.status).toBe(400);
    expect(received.length).toBe(before);
    const required = {
      ...banModal,
      components: [
        { type: 1, components: [{ type: 4, custom_id: 'reason', label: 'Reason', style: 1, min_length: 3 }] },
      ],
    };
    answer = { type: 9, data: required };
    const opened = await post('app-commands', {
      name: 'Warn',
      targetId: g.users.spammer,
      invokerId: g.users.helper,
    });
    const token = (opened.body.interaction as { token: string }).token;
    const sent = received.length;
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
    expect(received.length).toBe(sent);
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
    answer = { type: 9, data: { ...banModal, custom_id: 'ctx:delete-warn:1' } };
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

describe('components on a message', () => {
  const caseSelect = {
    type: 1,
    components: [
      {
        type: 3,
        custom_id: 'case:pick',
        placeholder: 'Act on a case in this message…',
        options: [
          { label: '#1 Ban', value: 'a' },
          { label: '#2 Ban', value: 'b' },
        ],
      },
    ],
  };
  const webhookMessage = {
    id: '1310000000000008888',
    channel_id: g.channels.modLogs,
    webhook_id: '1310000000000007777',
    author: { id: '1310000000000007777', username: 'Lockdown', bot: true },
    content: '',
    embeds: [{ title: 'Ban ×2' }],
    components: [
      caseSelect,
      { type: 1, components: [{ type: 2, style: 2, label: 'Edit reason', custom_id: 'case:reason:x' }] },
    ],
  };

  it('sends a string select’s pick with the webhook message, refusing values it does not offer', async () => {
    answer = { type: 4, data: { content: 'Case #1', flags: 64 } };
    const picked = await post('components', {
      customId: 'case:pick',
      values: ['b'],
      channelId: g.channels.modLogs,
      message: webhookMessage,
    });
    expect(picked.status).toBe(200);
    expect(last()).toMatchObject({
      type: 3,
      channel_id: g.channels.modLogs,
      data: { custom_id: 'case:pick', component_type: 3, values: ['b'] },
      message: { id: webhookMessage.id, webhook_id: webhookMessage.webhook_id },
    });
    expect(picked.body.message).toMatchObject({
      content: 'Case #1',
      flags: 64,
      channel_id: g.channels.modLogs,
    });
    const before = received.length;
    for (const [values, why] of [
      [['c'], 'not one of the options'],
      [['a', 'b'], 'Pick 1'],
      [[], 'Pick 1'],
      [undefined, 'values picked'],
    ] as const) {
      const result = await post('components', {
        customId: 'case:pick',
        values,
        channelId: g.channels.modLogs,
        message: webhookMessage,
      });
      expect(result.status, why).toBe(400);
      expect(String(result.body.message)).toContain(why);
    }
    expect(received.length).toBe(before);
  });

  it('opens a button’s modal, whose submit carries the button’s message and may update it', async () => {
    answer = {
      type: 9,
      data: { custom_id: 'case-reason:x', title: 'Edit reason', components: banModal.components.slice(0, 1) },
    };
    const clicked = await post('components', {
      customId: 'case:reason:x',
      channelId: g.channels.modLogs,
      message: webhookMessage,
    });
    expect(clicked.body.modal).toMatchObject({ custom_id: 'case-reason:x' });
    answer = { type: 7, data: { content: 'Reason changed', components: [] } };
    const token = (clicked.body.interaction as { token: string }).token;
    const submitted = await post('modals', { token, values: { reason: 'Raid' } });
    expect(submitted.status).toBe(200);
    expect(last()).toMatchObject({
      type: 5,
      data: { custom_id: 'case-reason:x' },
      message: { id: webhookMessage.id, webhook_id: webhookMessage.webhook_id },
    });
    expect(submitted.body.message).toMatchObject({
      id: webhookMessage.id,
      content: 'Reason changed',
      components: [],
    });
  });

  it('says when an answer is not one Discord’s client takes', async () => {
    answer = { type: 9, data: banModal };
    const opened = await post('app-commands', { name: 'Kick', targetId: g.users.spammer });
    // A modal may not answer a modal's submit, nor may an update answer one a command opened.
    for (const next of [
      { type: 9, data: banModal },
      { type: 7, data: { content: 'x' } },
    ]) {
      answer = next;
      const token = (opened.body.interaction as { token: string }).token;
      const result = await post('modals', { token, values: {} });
      expect(result.status).toBe(200);
      expect(String(result.body.failed)).toContain('does not answer');
    }
    answer = { type: 9, data: { custom_id: '', title: 'x', components: [] } };
    const bad = await post('app-commands', { name: 'Kick', targetId: g.users.spammer });
    expect(String(bad.body.failed)).toContain('custom_id');
  });
});

describe('autocomplete', () => {
  it('sends the options typed so far, the focused one as typed, and answers the choices', async () => {
    answer = { type: 8, data: { choices: [{ name: 'spam — Posting spam', value: 'Posting spam' }] } };
    const result = await post('autocomplete', {
      name: 'warn',
      options: { user: g.users.spammer, reason: 'spa' },
      focused: 'reason',
      channelId: g.channels.chat,
    });
    expect(result.status).toBe(200);
    expect(result.body.choices).toEqual([{ name: 'spam — Posting spam', value: 'Posting spam' }]);
    expect(last()).toMatchObject({
      type: 4,
      channel_id: g.channels.chat,
      data: {
        type: 1,
        name: 'warn',
        options: [
          { name: 'user', type: 6, value: g.users.spammer },
          { name: 'reason', type: 3, value: 'spa', focused: true },
        ],
      },
    });
  });

  it('types what reads as its type, nests subcommands, and refuses options that do not autocomplete', async () => {
    answer = { type: 8, data: { choices: [] } };
    await post('autocomplete', { name: 'reason', options: { case: '12', reason: '' }, focused: 'reason' });
    expect((last().data as { options: unknown }).options).toEqual([
      { name: 'case', type: 4, value: 12 },
      { name: 'reason', type: 3, value: '', focused: true },
    ]);
    await post('autocomplete', { name: 'reason', options: { case: '1' }, focused: 'case' });
    expect((last().data as { options: unknown }).options).toEqual([
      { name: 'case', type: 4, value: '1', focused: true },
    ]);
    await post('autocomplete', {
      name: 'reasons',
      subcommand: 'remove',
      options: { name: 'sp' },
      focused: 'name',
    });
    expect((last().data as { options: unknown }).options).toEqual([
      { name: 'remove', type: 1, options: [{ name: 'name', type: 3, value: 'sp', focused: true }] },
    ]);
    const before = received.length;
    const refused = await post('autocomplete', { name: 'ban', options: {}, focused: 'duration' });
    expect(refused.status).toBe(400);
    expect(received.length).toBe(before);
    answer = { type: 4, data: { content: 'no' } };
    const wrong = await post('autocomplete', { name: 'warn', options: {}, focused: 'reason' });
    expect(String(wrong.body.failed)).toContain('does not answer');
  });
});
