// The Discord stand-in's interaction webhooks and application commands over real HTTP: the original
// response and follow-ups kept per interaction token without auth (validated like any message), and
// Bulk Overwrite of guild and global commands keeping ids by name (50001 for another application's).
import { describe, expect, it } from 'vitest';
import type { InteractionMessage } from '../../dev/discord/server.ts';
import { APP_ID, expectError, json, snowflake, useStandIn } from '../support/discord-stand-in.ts';

const { api, controlJson, seedWorld } = useStandIn();

describe('interactions', () => {
  it('keeps the original response and follow-ups per interaction token, without auth', async () => {
    const token = `aW50ZXJhY3Rpb246${snowflake()}`;
    const base = `/webhooks/${APP_ID}/${token}`;
    await expectError(await api(`${base}/messages/@original`, { bot: false }), 404, {
      message: 'Unknown Message',
      code: 10008,
    });

    const first = await api(`${base}/messages/@original`, {
      bot: false,
      method: 'PATCH',
      body: JSON.stringify({ content: 'Banning…' }),
    });
    expect(first.status).toBe(200);
    const edited = await api(`${base}/messages/@original`, {
      bot: false,
      method: 'PATCH',
      body: JSON.stringify({ content: 'Banned <@1>. Case #12.', allowed_mentions: { parse: [] }, flags: 64 }),
    });
    expect(await json(edited)).toMatchObject({ content: 'Banned <@1>. Case #12.', flags: 64 });
    const followup = await api(base, {
      bot: false,
      method: 'POST',
      body: JSON.stringify({ content: 'DM could not be sent.' }),
    });
    expect(followup.status).toBe(200);
    expect(await json(await api(`${base}/messages/@original`, { bot: false }))).toMatchObject({
      content: 'Banned <@1>. Case #12.',
    });

    const messages = await controlJson<InteractionMessage[]>(`/interactions/${token}`);
    expect(messages.map((message) => [message.original, message.content])).toEqual([
      [true, 'Banned <@1>. Case #12.'],
      [false, 'DM could not be sent.'],
    ]);
    expect(messages[0]?.allowed_mentions).toEqual({ parse: [] });
    expect(await controlJson<InteractionMessage[]>(`/interactions/never-used-${snowflake()}`)).toEqual([]);
  });

  it('validates interaction messages like any other', async () => {
    const token = `token-${snowflake()}`;
    const response = await api(`/webhooks/${APP_ID}/${token}/messages/@original`, {
      bot: false,
      method: 'PATCH',
      body: JSON.stringify({ embeds: Array.from({ length: 11 }, () => ({ title: 'x' })) }),
    });
    expect(response.status).toBe(400);
  });
});

describe('application commands', () => {
  it('bulk-overwrites guild and global commands, keeping ids by name', async () => {
    const world = await seedWorld();
    const path = `/applications/${APP_ID}/guilds/${world.guildId}/commands`;
    const first = await json<{ id: string; name: string; application_id: string; guild_id: string }[]>(
      await api(path, {
        method: 'PUT',
        body: JSON.stringify([
          { name: 'ban', description: 'Ban a member', default_member_permissions: '4' },
          { name: 'kick', description: 'Kick a member' },
        ]),
      }),
    );
    expect(first).toEqual([
      expect.objectContaining({
        name: 'ban',
        application_id: APP_ID,
        guild_id: world.guildId,
        default_member_permissions: '4',
      }),
      expect.objectContaining({ name: 'kick', default_member_permissions: null }),
    ]);
    const second = await json<{ id: string; name: string }[]>(
      await api(path, {
        method: 'PUT',
        body: JSON.stringify([{ name: 'ban', description: 'Ban a member' }]),
      }),
    );
    expect(second.map((command) => [command.name, command.id])).toEqual([['ban', first[0]?.id]]);
    expect(await json(await api(path))).toEqual(second);

    const global = await api(`/applications/${APP_ID}/commands`, {
      method: 'PUT',
      body: JSON.stringify([{ name: 'warn', description: 'Warn a member' }]),
    });
    expect(global.status).toBe(200);
    await expectError(
      await api(`/applications/${snowflake()}/commands`, { method: 'PUT', body: '[]' }),
      403,
      { message: 'Missing Access', code: 50001 },
    );
    expect(
      (await api(path, { method: 'PUT', body: JSON.stringify([{ name: 'Bad Name', description: 'x' }]) }))
        .status,
    ).toBe(400);
  });
});
