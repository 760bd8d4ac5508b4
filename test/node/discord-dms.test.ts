// The Discord stand-in's DMs over real HTTP: a stable DM channel per user, messages delivered to a
// user with open DMs, 50007 when they closed them or no longer share a guild with the bot, and the
// bot deleting its own message (then 10008).
import { describe, expect, it } from 'vitest';
import type { SandboxMessage } from '../../dev/discord/server.ts';
import { APP_ID, expectError, json, useStandIn } from '../support/discord-stand-in.ts';

const { api, controlJson, seedWorld } = useStandIn();

describe('DMs', () => {
  it('opens a stable DM channel and delivers to a user with open DMs', async () => {
    const world = await seedWorld();
    const open = async () =>
      json<{ id: string; type: number; recipients: { id: string }[] }>(
        await api('/users/@me/channels', {
          method: 'POST',
          body: JSON.stringify({ recipient_id: world.memberId }),
        }),
      );
    const channel = await open();
    expect(channel).toMatchObject({ type: 1, recipients: [{ id: world.memberId }] });
    expect((await open()).id).toBe(channel.id);

    const sent = await api(`/channels/${channel.id}/messages`, {
      method: 'POST',
      body: JSON.stringify({ content: 'You were warned in Test Guild.' }),
    });
    expect(sent.status).toBe(200);
    expect(await json(sent)).toMatchObject({
      channel_id: channel.id,
      author: { id: APP_ID },
      content: 'You were warned in Test Guild.',
    });
    const dm = await controlJson<{ channel: { id: string }; messages: SandboxMessage[] }>(
      `/users/${world.memberId}/dm`,
    );
    expect(dm.channel.id).toBe(channel.id);
    expect(dm.messages.map((message) => message.content)).toEqual(['You were warned in Test Guild.']);
  });

  it('answers 50007 when the user has closed their DMs', async () => {
    const world = await seedWorld();
    const channel = await json<{ id: string }>(
      await api('/users/@me/channels', {
        method: 'POST',
        body: JSON.stringify({ recipient_id: world.closedDmId }),
      }),
    );
    await expectError(
      await api(`/channels/${channel.id}/messages`, {
        method: 'POST',
        body: JSON.stringify({ content: 'hello' }),
      }),
      403,
      { message: 'Cannot send messages to this user', code: 50007 },
    );
    expect((await controlJson<SandboxMessage[]>(`/channels/${channel.id}/messages`)).length).toBe(0);
  });

  it('answers 50007 once the bot no longer shares a guild with the user', async () => {
    const world = await seedWorld();
    const channel = await json<{ id: string }>(
      await api('/users/@me/channels', {
        method: 'POST',
        body: JSON.stringify({ recipient_id: world.memberId }),
      }),
    );
    await api(`/guilds/${world.guildId}/members/${world.memberId}`, { method: 'DELETE' });
    const response = await api(`/channels/${channel.id}/messages`, {
      method: 'POST',
      body: JSON.stringify({ content: 'bye' }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 50007 });
  });

  it('deletes its own message, then answers 10008', async () => {
    const world = await seedWorld();
    const sent = await json<{ id: string }>(
      await api(`/channels/${world.channelId}/messages`, {
        method: 'POST',
        body: JSON.stringify({ content: 'x' }),
      }),
    );
    expect((await api(`/channels/${world.channelId}/messages/${sent.id}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    await expectError(
      await api(`/channels/${world.channelId}/messages/${sent.id}`, { method: 'DELETE' }),
      404,
      {
        message: 'Unknown Message',
        code: 10008,
      },
    );
  });
});
