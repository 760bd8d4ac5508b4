// The Discord stand-in's addresses and routing over real HTTP: the API under /api/v10 and the control
// API under /__sandbox, 401 without the bot token (a bare token is a user's, refused too), 404 and 405
// with Discord's bodies, malformed JSON as 50109, a non-snowflake id as 50035; and close() resolving
// while a connection hangs.
import { describe, expect, it } from 'vitest';
import { type FaultSpec, startDiscordStandIn } from '../../dev/discord/server.ts';
import {
  APP_ID,
  BOT_TOKEN,
  client,
  expectError,
  snowflake,
  useStandIn,
} from '../support/discord-stand-in.ts';

const { api, seedWorld, standIn } = useStandIn();

describe('addresses', () => {
  it('serves the API under /api/v10 and the control API under /__sandbox', () => {
    expect(standIn().apiBase).toBe(`http://127.0.0.1:${standIn().port}/api/v10`);
    expect(standIn().controlUrl).toBe(`http://127.0.0.1:${standIn().port}/__sandbox`);
  });
});

describe('auth and routing', () => {
  it('answers 401 without the bot token', async () => {
    const { guildId } = await seedWorld();
    await expectError(await api(`/guilds/${guildId}`, { bot: false }), 401, {
      message: '401: Unauthorized',
      code: 0,
    });
    await expectError(
      await api(`/guilds/${guildId}`, { bot: false, headers: { authorization: 'Bot wrong' } }),
      401,
      { message: '401: Unauthorized', code: 0 },
    );
    // A bare token without the "Bot " prefix is a user token to Discord: refused too.
    await expectError(
      await api(`/guilds/${guildId}`, { bot: false, headers: { authorization: BOT_TOKEN } }),
      401,
      { message: '401: Unauthorized', code: 0 },
    );
  });

  it('answers 404 for unknown routes and 405 for a wrong method', async () => {
    await expectError(await api('/nothing/here'), 404, { message: '404: Not Found', code: 0 });
    await expectError(await api(`/guilds/${snowflake()}/roles`, { method: 'DELETE' }), 405, {
      message: '405: Method Not Allowed',
      code: 0,
    });
  });

  it('answers malformed JSON with 50109, as Discord does', async () => {
    const { guildId, memberId } = await seedWorld();
    await expectError(
      await api(`/guilds/${guildId}/bans/${memberId}`, { method: 'PUT', body: '{"delete_' }),
      400,
      {
        message: 'The request body contains invalid JSON.',
        code: 50109,
      },
    );
  });

  it('refuses an id that is not a snowflake with 50035', async () => {
    await expectError(await api('/users/not-a-number'), 400, {
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        user_id: {
          _errors: [{ code: 'NUMBER_TYPE_COERCE', message: 'Value "not-a-number" is not snowflake.' }],
        },
      },
    });
  });
});

describe('close', () => {
  it('drops hanging connections so it resolves', async () => {
    const own = await startDiscordStandIn({ botToken: BOT_TOKEN, applicationId: APP_ID });
    const ownClient = client(() => own);
    await ownClient.controlJson('/faults', 'POST', { path: '.*', count: 1, status: 0 } satisfies FaultSpec);
    const pending = ownClient.api('/users/@me');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await own.close();
    await expect(pending).rejects.toThrow();
  });
});
