// The Discord stand-in's webhooks over real HTTP: Create Webhook shaped as Discord returns it (names
// refused as Discord does, 10003, 50013 without Manage Webhooks), Execute (204, or the message with
// wait=true), edit / read / delete a webhook message, 10015 and 50027, get and delete by id (bot) or
// by token (no auth), webhooks seeded with a known token, and 50006 for an empty message.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { GuildSeed, GuildSnapshot, SandboxMessage } from '../../dev/discord/server.ts';
import { APP_ID, bits, expectError, json, snowflake, useStandIn } from '../support/discord-stand-in.ts';

const { api, control, controlJson, seedWorld, createWebhook, requests } = useStandIn();

describe('webhooks', () => {
  it('creates a webhook shaped as Discord returns it', async () => {
    const world = await seedWorld();
    const webhook = await createWebhook(world.channelId);
    expect(webhook).toMatchObject({
      type: 1,
      channel_id: world.channelId,
      guild_id: world.guildId,
      name: 'Lockdown mod-log',
      application_id: APP_ID,
      user: { id: APP_ID },
    });
    expect(webhook.token).toMatch(/^[\w-]{60,}$/);
    expect(webhook.url).toBe(`https://discord.com/api/webhooks/${webhook.id}/${webhook.token}`);
    const snapshot = await controlJson<GuildSnapshot>(`/guilds/${world.guildId}`);
    expect(snapshot.webhooks.map((w) => w.id)).toEqual([webhook.id]);
  });

  it('refuses bad names, unknown channels and a bot without Manage Webhooks', async () => {
    const world = await seedWorld();
    const create = (channelId: string, name: unknown) =>
      api(`/channels/${channelId}/webhooks`, { method: 'POST', body: JSON.stringify({ name }) });
    await expectError(await create(world.channelId, 'Clyde logs'), 400, {
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        name: {
          _errors: [{ code: 'USERNAME_INVALID_CONTAINS', message: 'Username cannot contain "clyde"' }],
        },
      },
    });
    expect(await json(await create(world.channelId, 'x'.repeat(81)))).toMatchObject({
      code: 50035,
      errors: { name: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } },
    });
    await expectError(await create(snowflake(), 'logs'), 404, { message: 'Unknown Channel', code: 10003 });

    const channelId = snowflake();
    await seedWorld({
      ownerId: snowflake(),
      roles: [{ id: world.botRoleId, position: 10, permissions: bits(PermissionFlagsBits.BanMembers) }],
      members: [],
      channels: [{ id: channelId, name: 'logs' }],
      botRoleIds: [world.botRoleId],
    });
    await expectError(await create(channelId, 'logs'), 403, { message: 'Missing Permissions', code: 50013 });
  });

  it('executes: 204 without wait, the message with wait=true; both kept in the channel', async () => {
    const world = await seedWorld();
    const webhook = await createWebhook(world.channelId);
    const path = `/webhooks/${webhook.id}/${webhook.token}`;
    const embed = { title: 'Member banned', description: `<@${world.memberId}>`, color: 0xed4245 };
    const first = await api(path, {
      bot: false,
      method: 'POST',
      body: JSON.stringify({ embeds: [embed], allowed_mentions: { parse: [] } }),
    });
    expect(first.status).toBe(204);
    const second = await api(`${path}?wait=true`, {
      bot: false,
      method: 'POST',
      body: JSON.stringify({ content: 'second', allowed_mentions: { parse: [] } }),
    });
    expect(second.status).toBe(200);
    const message = await json<{
      id: string;
      webhook_id: string;
      channel_id: string;
      author: { id: string };
    }>(second);
    expect(message).toMatchObject({
      webhook_id: webhook.id,
      channel_id: world.channelId,
      author: { id: webhook.id },
    });
    expect(message).not.toHaveProperty('allowed_mentions');

    const history = await controlJson<SandboxMessage[]>(`/channels/${world.channelId}/messages`);
    expect(history).toEqual([
      expect.objectContaining({
        content: '',
        embeds: [{ type: 'rich', ...embed }],
        allowed_mentions: { parse: [] },
        webhook_id: webhook.id,
        edited_timestamp: null,
      }),
      expect.objectContaining({ id: message.id, content: 'second' }),
    ]);
    const [recorded] = await requests(`/webhooks/${webhook.id}/`);
    expect(recorded).toMatchObject({ method: 'POST', query: {}, status: 204 });
    expect(recorded?.headers.authorization).toBeUndefined();
  });

  it('edits, reads and deletes a webhook message in place', async () => {
    const world = await seedWorld();
    const webhook = await createWebhook(world.channelId);
    const base = `/webhooks/${webhook.id}/${webhook.token}`;
    const sent = await json<{ id: string }>(
      await api(`${base}?wait=true`, { bot: false, method: 'POST', body: JSON.stringify({ content: 'v1' }) }),
    );
    const edited = await api(`${base}/messages/${sent.id}`, {
      bot: false,
      method: 'PATCH',
      body: JSON.stringify({ content: 'v2' }),
    });
    expect(edited.status).toBe(200);
    expect(await json(edited)).toMatchObject({
      id: sent.id,
      content: 'v2',
      edited_timestamp: expect.any(String),
    });
    expect(await json(await api(`${base}/messages/${sent.id}`, { bot: false }))).toMatchObject({
      content: 'v2',
    });
    const history = await controlJson<SandboxMessage[]>(`/channels/${world.channelId}/messages`);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ content: 'v2', edited_timestamp: expect.any(String) });

    expect((await api(`${base}/messages/${sent.id}`, { bot: false, method: 'DELETE' })).status).toBe(204);
    await expectError(await api(`${base}/messages/${sent.id}`, { bot: false }), 404, {
      message: 'Unknown Message',
      code: 10008,
    });
    await expectError(
      await api(`${base}/messages/${snowflake()}`, { bot: false, method: 'PATCH', body: '{"content":"x"}' }),
      404,
      { message: 'Unknown Message', code: 10008 },
    );
  });

  it('answers 10015 for an unknown webhook and 50027 for a wrong token', async () => {
    const world = await seedWorld();
    const webhook = await createWebhook(world.channelId);
    const body = JSON.stringify({ content: 'x' });
    await expectError(
      await api(`/webhooks/${snowflake()}/${webhook.token}`, { bot: false, method: 'POST', body }),
      404,
      {
        message: 'Unknown Webhook',
        code: 10015,
      },
    );
    await expectError(
      await api(`/webhooks/${webhook.id}/wrong-token`, { bot: false, method: 'POST', body }),
      401,
      {
        message: 'Invalid Webhook Token',
        code: 50027,
      },
    );
    await expectError(await api(`/webhooks/${webhook.id}/wrong-token`, { bot: false }), 401, {
      message: 'Invalid Webhook Token',
      code: 50027,
    });
  });

  it('gets a webhook by token without auth (no user) and by id with the bot token (with user)', async () => {
    const world = await seedWorld();
    const webhook = await createWebhook(world.channelId);
    const byToken = await json<Record<string, unknown>>(
      await api(`/webhooks/${webhook.id}/${webhook.token}`, { bot: false }),
    );
    expect(byToken).toMatchObject({ id: webhook.id, token: webhook.token, channel_id: world.channelId });
    expect(byToken).not.toHaveProperty('user');
    expect(await json(await api(`/webhooks/${webhook.id}`))).toMatchObject({
      id: webhook.id,
      user: { id: APP_ID },
    });
    expect((await api(`/webhooks/${webhook.id}`, { bot: false })).status).toBe(401);
  });

  it('deletes by id (bot) and by token; a webhook deleted in the channel settings is gone', async () => {
    const world = await seedWorld();
    const one = await createWebhook(world.channelId, 'one');
    const two = await createWebhook(world.channelId, 'two');
    const three = await createWebhook(world.channelId, 'three');
    expect((await api(`/webhooks/${one.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/webhooks/${two.id}/${two.token}`, { bot: false, method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await control(`/webhooks/${three.id}`, { method: 'DELETE' })).status).toBe(204);
    for (const webhook of [one, two, three]) {
      await expectError(
        await api(`/webhooks/${webhook.id}/${webhook.token}`, {
          bot: false,
          method: 'POST',
          body: '{"content":"x"}',
        }),
        404,
        { message: 'Unknown Webhook', code: 10015 },
      );
    }
    expect((await controlJson<GuildSnapshot>(`/guilds/${world.guildId}`)).webhooks).toEqual([]);
  });

  it('seeds webhooks with a known id and token', async () => {
    const channelId = snowflake();
    const webhookId = snowflake();
    const guildId = snowflake();
    await controlJson(`/guilds/${guildId}`, 'PUT', {
      ownerId: snowflake(),
      roles: [],
      members: [],
      channels: [{ id: channelId, name: 'mod-logs' }],
      webhooks: [{ id: webhookId, token: 'seeded-token', channel_id: channelId }],
    } satisfies GuildSeed);
    const response = await api(`/webhooks/${webhookId}/seeded-token?wait=true`, {
      bot: false,
      method: 'POST',
      body: JSON.stringify({ content: 'hello' }),
    });
    expect(response.status).toBe(200);
  });

  it('refuses an empty message with 50006', async () => {
    const world = await seedWorld();
    const webhook = await createWebhook(world.channelId);
    await expectError(
      await api(`/webhooks/${webhook.id}/${webhook.token}`, {
        bot: false,
        method: 'POST',
        body: JSON.stringify({ embeds: [] }),
      }),
      400,
      { message: 'Cannot send an empty message', code: 50006 },
    );
  });
});
