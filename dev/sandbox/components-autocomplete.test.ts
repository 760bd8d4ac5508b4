// The sandbox server's component and autocomplete routes on a real Discord stand-in seeded with the
// sandbox guild, POSTing to a recorder that checks signatures as the Worker does (test-harness.ts):
// string selects on a webhook's message, a button's modal whose submit carries the button's message,
// answers Discord's client would not take, and autocomplete with the options typed so far and the
// focused one.
import { describe, expect, it } from 'vitest';
import { sandboxGuild as g } from './seed.ts';
import { banModal, useSandboxHarness } from './test-harness.ts';

const sandbox = useSandboxHarness();

const post = (path: string, body: unknown) => sandbox.post(path, body);
const last = () => sandbox.last();

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
    sandbox.answerWith({ type: 4, data: { content: 'Case #1', flags: 64 } });
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
    const before = sandbox.received.length;
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
    expect(sandbox.received.length).toBe(before);
  });

  it('opens a button’s modal, whose submit carries the button’s message and may update it', async () => {
    sandbox.answerWith({
      type: 9,
      data: { custom_id: 'case-reason:x', title: 'Edit reason', components: banModal.components.slice(0, 1) },
    });
    const clicked = await post('components', {
      customId: 'case:reason:x',
      channelId: g.channels.modLogs,
      message: webhookMessage,
    });
    expect(clicked.body.modal).toMatchObject({ custom_id: 'case-reason:x' });
    sandbox.answerWith({ type: 7, data: { content: 'Reason changed', components: [] } });
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
    sandbox.answerWith({ type: 9, data: banModal });
    const opened = await post('app-commands', { name: 'Kick', targetId: g.users.spammer });
    // A modal may not answer a modal's submit, nor may an update answer one a command opened.
    for (const next of [
      { type: 9, data: banModal },
      { type: 7, data: { content: 'x' } },
    ]) {
      sandbox.answerWith(next);
      const token = (opened.body.interaction as { token: string }).token;
      const result = await post('modals', { token, values: {} });
      expect(result.status).toBe(200);
      expect(String(result.body.failed)).toContain('does not answer');
    }
    sandbox.answerWith({ type: 9, data: { custom_id: '', title: 'x', components: [] } });
    const bad = await post('app-commands', { name: 'Kick', targetId: g.users.spammer });
    expect(String(bad.body.failed)).toContain('custom_id');
  });
});

describe('autocomplete', () => {
  it('sends the options typed so far, the focused one as typed, and answers the choices', async () => {
    sandbox.answerWith({
      type: 8,
      data: { choices: [{ name: 'spam — Posting spam', value: 'Posting spam' }] },
    });
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
    sandbox.answerWith({ type: 8, data: { choices: [] } });
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
    const before = sandbox.received.length;
    const refused = await post('autocomplete', { name: 'ban', options: {}, focused: 'duration' });
    expect(refused.status).toBe(400);
    expect(sandbox.received.length).toBe(before);
    sandbox.answerWith({ type: 4, data: { content: 'no' } });
    const wrong = await post('autocomplete', { name: 'warn', options: {}, focused: 'reason' });
    expect(String(wrong.body.failed)).toContain('does not answer');
  });
});
