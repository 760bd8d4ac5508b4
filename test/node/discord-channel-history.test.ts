// The Discord stand-in's Get Channel Messages over real HTTP: newest first, paged by after / before /
// around and limit (50035 above 100), webhook posts carrying webhook_id; 50001 without View Channel
// and an empty list without Read Message History, as Discord answers.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { bits, expectError, json, snowflake, useStandIn } from '../support/discord-stand-in.ts';

const { api, controlJson } = useStandIn();

describe('get channel messages', () => {
  /** A guild whose bot role has exactly these permissions, with one channel. */
  async function readerGuild(permissions: string) {
    const guildId = snowflake();
    const channelId = snowflake();
    const roleId = snowflake();
    await controlJson(`/guilds/${guildId}`, 'PUT', {
      name: 'Reader',
      ownerId: snowflake(),
      roles: [{ id: roleId, name: 'Lockdown', position: 10, permissions }],
      members: [],
      channels: [{ id: channelId, name: 'mod-logs' }],
      botRoleIds: [roleId],
    });
    return { guildId, channelId };
  }

  it('lists newest first, pages with after / before / around and limit, and shows webhook posts with webhook_id', async () => {
    const guild = await readerGuild(
      bits(PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ReadMessageHistory),
    );
    const webhook = await controlJson<{ id: string; token: string }>(
      `/channels/${guild.channelId}/webhooks`,
      'POST',
      { name: 'Lockdown' },
    );
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const posted = await api(`/webhooks/${webhook.id}/${webhook.token}?wait=true`, {
        method: 'POST',
        body: JSON.stringify({ content: `line ${i}` }),
      });
      ids.push((await json<{ id: string }>(posted)).id);
    }
    const list = async (query: string) =>
      (
        await json<{ id: string; webhook_id?: string }[]>(
          await api(`/channels/${guild.channelId}/messages${query}`),
        )
      ).map((m) => ids.indexOf(m.id));
    expect(await list('')).toEqual([4, 3, 2, 1, 0]);
    expect(await list('?limit=2')).toEqual([4, 3]);
    expect(await list(`?after=${ids[0]}&limit=2`)).toEqual([2, 1]);
    expect(await list(`?before=${ids[3]}`)).toEqual([2, 1, 0]);
    expect(await list(`?around=${ids[2]}&limit=3`)).toEqual([3, 2, 1]);
    const [newest] = await json<{ webhook_id?: string }[]>(
      await api(`/channels/${guild.channelId}/messages`),
    );
    expect(newest?.webhook_id).toBe(webhook.id);
    await expectError(await api(`/channels/${guild.channelId}/messages?limit=101`), 400, {
      code: 50035,
      message: 'Invalid Form Body',
      errors: {
        limit: {
          _errors: [{ code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 100.' }],
        },
      },
    });
  });

  it('needs View Channel (50001); without Read Message History the list is empty, as Discord answers', async () => {
    const blind = await readerGuild('0');
    await expectError(await api(`/channels/${blind.channelId}/messages`), 403, {
      code: 50001,
      message: 'Missing Access',
    });
    const forgetful = await readerGuild(bits(PermissionFlagsBits.ViewChannel));
    await controlJson(`/channels/${forgetful.channelId}/webhooks`, 'POST', { name: 'Lockdown' });
    expect(await json(await api(`/channels/${forgetful.channelId}/messages`))).toEqual([]);
    expect((await api(`/channels/${forgetful.channelId}/messages`, { bot: false })).status).toBe(401);
  });
});
