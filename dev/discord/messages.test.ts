import { describe, expect, it } from 'vitest';
import { buildMessage, editMessage, publicMessage, resolveMentions } from './messages.ts';

const user = (id: string) => ({
  id,
  username: `u${id}`,
  discriminator: '0',
  global_name: null,
  avatar: null,
});

describe('resolveMentions', () => {
  const content = 'hey <@111> and <@!222>, <@&333> and @everyone';

  it('pings everything when allowed_mentions is absent', () => {
    expect(resolveMentions(content, undefined)).toEqual({
      users: ['111', '222'],
      roles: ['333'],
      everyone: true,
    });
  });

  it('pings nothing with parse: []', () => {
    expect(resolveMentions(content, { parse: [] })).toEqual({ users: [], roles: [], everyone: false });
  });

  it('pings only listed ids', () => {
    expect(resolveMentions(content, { users: ['222'] })).toEqual({
      users: ['222'],
      roles: [],
      everyone: false,
    });
  });
});

describe('messages', () => {
  const base = buildMessage({
    id: '5',
    channelId: '6',
    author: user('7'),
    payload: { content: 'hi <@111>', embeds: [{ title: 't' }], allowed_mentions: { parse: [] } },
    webhookId: '7',
    lookupUser: user,
    now: new Date('2025-01-01T00:00:00Z'),
  });

  it('builds what Discord returns: rich embeds, Discord timestamps, resolved mentions', () => {
    expect(base).toMatchObject({
      id: '5',
      channel_id: '6',
      content: 'hi <@111>',
      embeds: [{ type: 'rich', title: 't' }],
      mentions: [],
      timestamp: '2025-01-01T00:00:00.000000+00:00',
      edited_timestamp: null,
      webhook_id: '7',
      allowed_mentions: { parse: [] },
    });
  });

  it('edits only what the edit carries and stamps edited_timestamp', () => {
    const edited = editMessage(base, { content: 'bye' }, user, new Date('2025-01-02T00:00:00Z'));
    expect(edited).toMatchObject({
      content: 'bye',
      embeds: [{ title: 't' }],
      edited_timestamp: '2025-01-02T00:00:00.000000+00:00',
    });
  });

  it('leaves allowed_mentions out of the public form', () => {
    expect(publicMessage(base)).not.toHaveProperty('allowed_mentions');
  });
});
