// The Discord stand-in's channel-message routes over real HTTP, as /purge uses them: Get Channel
// Messages (limit 1–100, default 50, before/after, empty without Read Message History), Bulk Delete
// Messages (2–100 distinct snowflakes, the 14-day rule as 50034, unknown ids ignored, Manage
// Messages, guild channels only, MESSAGE_BULK_DELETE in the audit log, one call a second per guild),
// Delete Message, and the control route that posts a member's message dated in the past.
import type { APIAuditLogEntry, APIMessage } from 'discord-api-types/v10';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { GuildSeed } from '../../dev/discord/server.ts';
import { snowflakeAt, snowflakeTime } from '../../shared/snowflakes.ts';
import { bits, expectError, snowflake, standInClient } from './discord-client.ts';

const { api, control, controlRaw } = standInClient();

const DAY = 86_400_000;
const EVERYONE = bits(P.ViewChannel, P.SendMessages, P.ReadMessageHistory);
const BOT = bits(P.ViewChannel, P.SendMessages, P.ReadMessageHistory, P.ManageMessages);

interface World {
  guildId: string;
  botRoleId: string;
  memberId: string;
  general: string;
  /** The bot's role is denied Read Message History here. */
  noHistory: string;
  /** The bot's role is denied Manage Messages here. */
  noManage: string;
  /** Hidden from @everyone, the bot included. */
  hidden: string;
}

async function seed(controlOf: typeof control = control): Promise<World> {
  const w: World = {
    guildId: snowflake(),
    botRoleId: snowflake(),
    memberId: snowflake(),
    general: snowflake(),
    noHistory: snowflake(),
    noManage: snowflake(),
    hidden: snowflake(),
  };
  const deny = (permission: bigint) => [
    { id: w.botRoleId, type: 0 as const, allow: '0', deny: bits(permission) },
  ];
  const guildSeed: GuildSeed = {
    ownerId: snowflake(),
    roles: [
      { id: w.guildId, position: 0, permissions: EVERYONE },
      { id: w.botRoleId, position: 5, permissions: BOT },
    ],
    members: [{ user: { id: w.memberId, username: 'member' }, roles: [] }],
    channels: [
      { id: w.general, name: 'general' },
      { id: w.noHistory, name: 'no-history', permission_overwrites: deny(P.ReadMessageHistory) },
      { id: w.noManage, name: 'no-manage', permission_overwrites: deny(P.ManageMessages) },
      {
        id: w.hidden,
        name: 'hidden',
        permission_overwrites: [{ id: w.guildId, type: 0, allow: '0', deny: bits(P.ViewChannel) }],
      },
    ],
    botRoleIds: [w.botRoleId],
  };
  await controlOf(`/guilds/${w.guildId}`, 'PUT', guildSeed);
  return w;
}

/** A member's message through the control API, `ageMs` old. */
const post = (
  w: World,
  channelId: string,
  ageMs = 0,
  extra: Record<string, unknown> = {},
  controlOf: typeof control = control,
) =>
  controlOf<APIMessage>(`/channels/${channelId}/messages`, 'POST', {
    author_id: w.memberId,
    content: 'hello',
    at: new Date(Date.now() - ageMs).toISOString(),
    ...extra,
  });

const stored = async (channelId: string) =>
  (await control<APIMessage[]>(`/channels/${channelId}/messages`)).map((m) => m.id);
const auditLog = (w: World) => control<APIAuditLogEntry[]>(`/guilds/${w.guildId}/audit-log`);
const bulkDelete = (channelId: string, messages: unknown, reason?: string) =>
  api(
    `/channels/${channelId}/messages/bulk-delete`,
    'POST',
    { messages },
    reason ? { 'x-audit-log-reason': encodeURIComponent(reason) } : {},
  );

describe('posting a member message through the control API', () => {
  it('dates its id at `at`, keeps `pinned`, and refuses unknown authors', async () => {
    const w = await seed();
    const at = Date.now() - 20 * DAY;
    const message = await post(w, w.general, 20 * DAY, { pinned: true });
    expect(Math.abs(snowflakeTime(message.id) - at)).toBeLessThan(1000);
    expect(message).toMatchObject({ author: { id: w.memberId }, content: 'hello', pinned: true });
    expect(Date.parse(message.timestamp)).toBe(snowflakeTime(message.id));
    const unknown = await controlRaw(`/channels/${w.general}/messages`, 'POST', { author_id: snowflake() });
    expect(unknown.status).toBe(400);
    expect(
      (await controlRaw(`/channels/${snowflake()}/messages`, 'POST', { author_id: w.memberId })).status,
    ).toBe(404);
  });
});

describe('Get Channel Messages', () => {
  it('answers newest first, 50 by default, `limit` 1–100, and pages with before and after', async () => {
    const w = await seed();
    const ids: string[] = [];
    for (let i = 60; i > 0; i--) ids.push((await post(w, w.general, i * 60_000)).id);
    const page = async (query: string) =>
      ((await (await api(`/channels/${w.general}/messages${query}`)).json()) as APIMessage[]).map(
        (m) => m.id,
      );
    const newestFirst = [...ids].reverse();
    expect(await page('')).toEqual(newestFirst.slice(0, 50));
    expect(await page('?limit=3')).toEqual(newestFirst.slice(0, 3));
    expect(await page(`?limit=2&before=${ids[10]}`)).toEqual([ids[9], ids[8]]);
    expect(await page(`?limit=2&after=${ids[10]}`)).toEqual([ids[12], ids[11]]);
    for (const limit of ['0', '101']) {
      await expectError(await api(`/channels/${w.general}/messages?limit=${limit}`), 400, 50035);
    }
  });

  it('is empty without Read Message History and refused without View Channel', async () => {
    const w = await seed();
    await post(w, w.noHistory);
    expect(await (await api(`/channels/${w.noHistory}/messages`)).json()).toEqual([]);
    await expectError(await api(`/channels/${w.hidden}/messages`), 403, 50001);
  });
});

describe('Bulk Delete Messages', () => {
  it('deletes the messages (pinned ones too) with 204 and writes one MESSAGE_BULK_DELETE entry', async () => {
    const w = await seed();
    const doomed = [await post(w, w.general, DAY), await post(w, w.general, 0, { pinned: true })];
    const kept = await post(w, w.general);
    const response = await bulkDelete(
      w.general,
      doomed.map((m) => m.id),
      'mod (1): /purge',
    );
    expect(response.status).toBe(204);
    expect(await stored(w.general)).toEqual([kept.id]);
    const [entry] = await auditLog(w);
    expect(entry).toMatchObject({
      action_type: 73,
      target_id: w.general,
      options: { count: '2' },
      reason: 'mod (1): /purge',
    });
  });

  it('ignores ids that name no message, though they count toward the limits', async () => {
    const w = await seed();
    const real = await post(w, w.general);
    expect((await bulkDelete(w.general, [real.id, snowflake()])).status).toBe(204);
    expect(await stored(w.general)).toEqual([]);
    expect((await auditLog(w))[0]).toMatchObject({ action_type: 73, options: { count: '1' } });
    // Two ids naming nothing: done, and nothing to log.
    expect((await bulkDelete(w.general, [snowflake(), snowflake()])).status).toBe(204);
    expect(await auditLog(w)).toHaveLength(1);
  });

  it('refuses fewer than 2 or more than 100 ids, repeats and non-snowflakes with 50035, deleting nothing', async () => {
    const w = await seed();
    const message = await post(w, w.general);
    const refused = async (messages: unknown) => {
      const response = await bulkDelete(w.general, messages);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { code: number; message: string; errors: unknown };
      expect(body.code).toBe(50035);
      expect(body.message).toBe('Invalid Form Body');
      return body.errors;
    };
    const badLength = {
      messages: {
        _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 2 and 100 in length.' }],
      },
    };
    expect(await refused([message.id])).toEqual(badLength);
    expect(await refused([])).toEqual(badLength);
    expect(await refused(Array.from({ length: 101 }, () => snowflake()))).toEqual(badLength);
    expect(await refused([message.id, message.id])).toEqual({
      messages: {
        1: {
          _errors: [
            { code: 'SET_TYPE_ALREADY_CONTAINS_VALUE', message: 'The set already contains this value' },
          ],
        },
      },
    });
    expect(await refused([message.id, 'abc'])).toEqual({
      messages: {
        1: { _errors: [{ code: 'NUMBER_TYPE_COERCE', message: 'Value "abc" is not snowflake.' }] },
      },
    });
    expect(await refused(undefined)).toEqual({
      messages: { _errors: [{ code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] },
    });
    expect(await stored(w.general)).toEqual([message.id]);
  });

  it('refuses the whole call with 50034 when one id is older than 14 days', async () => {
    const w = await seed();
    const young = await post(w, w.general);
    const old = await post(w, w.general, 14 * DAY + 60_000);
    const response = await bulkDelete(w.general, [young.id, old.id]);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      message: 'You can only bulk delete messages that are under 14 days old.',
      code: 50034,
    });
    // By the id's own time, whether or not it names a message.
    await expectError(
      await bulkDelete(w.general, [young.id, snowflakeAt(Date.now() - 15 * DAY)]),
      400,
      50034,
    );
    expect(await stored(w.general)).toEqual([young.id, old.id]);
    expect(await auditLog(w)).toEqual([]);
  });

  it('needs Manage Messages in the channel (50013) and sight of it (50001); not in DMs (50003); 10003 for no channel', async () => {
    const w = await seed();
    const ids = [(await post(w, w.noManage)).id, (await post(w, w.noManage)).id];
    await expectError(await bulkDelete(w.noManage, ids), 403, 50013);
    expect(await stored(w.noManage)).toEqual(ids);
    await expectError(await bulkDelete(w.hidden, [snowflake(), snowflake()]), 403, 50001);
    const dm = (await (await api('/users/@me/channels', 'POST', { recipient_id: w.memberId })).json()) as {
      id: string;
    };
    await expectError(await bulkDelete(dm.id, [snowflake(), snowflake()]), 403, 50003);
    await expectError(await bulkDelete(snowflake(), [snowflake(), snowflake()]), 404, 10003);
  });
});

describe('Delete Message', () => {
  it("needs Manage Messages for another author's message and logs it; the bot's own needs neither", async () => {
    const w = await seed();
    const theirs = await post(w, w.noManage);
    await expectError(await api(`/channels/${w.noManage}/messages/${theirs.id}`, 'DELETE'), 403, 50013);
    const own = (await (
      await api(`/channels/${w.noManage}/messages`, 'POST', { content: 'mine' })
    ).json()) as APIMessage;
    expect((await api(`/channels/${w.noManage}/messages/${own.id}`, 'DELETE')).status).toBe(204);
    expect(await auditLog(w)).toEqual([]);
    const other = await post(w, w.general, 30 * DAY);
    const response = await api(`/channels/${w.general}/messages/${other.id}`, 'DELETE', undefined, {
      'x-audit-log-reason': encodeURIComponent('mod (1): /purge'),
    });
    expect(response.status).toBe(204);
    expect((await auditLog(w))[0]).toMatchObject({
      action_type: 72,
      target_id: w.memberId,
      options: { channel_id: w.general, count: '1' },
      reason: 'mod (1): /purge',
    });
    await expectError(await api(`/channels/${w.general}/messages/${other.id}`, 'DELETE'), 404, 10008);
  });

  it('says Missing Access in a channel the bot cannot see, before saying anything of its messages', async () => {
    const w = await seed();
    const message = await post(w, w.hidden);
    await expectError(await api(`/channels/${w.hidden}/messages/${message.id}`, 'DELETE'), 403, 50001);
    await expectError(await api(`/channels/${w.hidden}/messages/${snowflake()}`, 'DELETE'), 403, 50001);
    expect(await stored(w.hidden)).toEqual([message.id]);
  });
});

describe('Bulk Delete Messages rate limit', () => {
  const limited = standInClient({ rateLimits: true });

  it('allows one call a second per guild, with its bucket headers, then 429 with retry_after', async () => {
    const w = await seed(limited.control);
    const ids = async (channelId: string) => [
      (await post(w, channelId, 0, {}, limited.control)).id,
      (await post(w, channelId, 0, {}, limited.control)).id,
    ];
    const first = await limited.api(`/channels/${w.general}/messages/bulk-delete`, 'POST', {
      messages: await ids(w.general),
    });
    expect(first.status).toBe(204);
    expect(first.headers.get('x-ratelimit-limit')).toBe('1');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('0');
    // Another channel of the same guild shares the guild's one call a second.
    const second = await limited.api(`/channels/${w.noHistory}/messages/bulk-delete`, 'POST', {
      messages: await ids(w.noHistory),
    });
    expect(second.status).toBe(429);
    const body = (await second.json()) as { retry_after: number; global: boolean };
    expect(body.global).toBe(false);
    expect(body.retry_after).toBeGreaterThan(0);
    expect(body.retry_after).toBeLessThanOrEqual(1);
  });
});
