// The limits the Discord stand-in puts on a message, as Discord documents them, over real HTTP
// (Execute Webhook): at most 10 embeds, 6000 characters across them, 1024 per field value, 2000 of
// content; each refused with 50035 and its field tree, and nothing posted.
import { describe, expect, it } from 'vitest';
import type { SandboxMessage } from '../../dev/discord/server.ts';
import { expectError, json, useStandIn } from '../support/discord-stand-in.ts';

const { api, controlJson, seedWorld, createWebhook } = useStandIn();

describe('message limits', () => {
  async function execute(payload: unknown) {
    const world = await seedWorld();
    const webhook = await createWebhook(world.channelId);
    const response = await api(`/webhooks/${webhook.id}/${webhook.token}`, {
      bot: false,
      method: 'POST',
      body: JSON.stringify(payload),
    });
    const history = await controlJson<SandboxMessage[]>(`/channels/${world.channelId}/messages`);
    return { response, history };
  }

  it('refuses 11 embeds', async () => {
    const { response, history } = await execute({
      embeds: Array.from({ length: 11 }, (_, i) => ({ title: `#${i}` })),
    });
    await expectError(response, 400, {
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        embeds: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' }] },
      },
    });
    expect(history).toEqual([]);
  });

  it('refuses 6001 characters across the embeds', async () => {
    const { response } = await execute({
      embeds: [{ description: 'd'.repeat(4096) }, { description: 'd'.repeat(1905) }],
    });
    await expectError(response, 400, {
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        embeds: {
          _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' }],
        },
      },
    });
  });

  it('accepts exactly 6000 characters', async () => {
    const { response } = await execute({
      embeds: [{ description: 'd'.repeat(4096) }, { description: 'd'.repeat(1904) }],
    });
    expect(response.status).toBe(204);
  });

  it('refuses a 1025-character field value', async () => {
    const { response } = await execute({
      embeds: [{ fields: [{ name: 'Reason', value: 'r'.repeat(1025) }] }],
    });
    await expectError(response, 400, {
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        embeds: {
          0: {
            fields: {
              0: {
                value: {
                  _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 1024 or fewer in length.' }],
                },
              },
            },
          },
        },
      },
    });
  });

  it('refuses content over 2000 characters', async () => {
    const { response } = await execute({ content: 'c'.repeat(2001) });
    expect(await json(response)).toMatchObject({
      code: 50035,
      errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } },
    });
  });
});
