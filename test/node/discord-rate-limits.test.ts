// The Discord stand-in's rate limits over real HTTP, on an injected clock: the headers on every
// response, a webhook's 5 per 2 s, 30 messages a minute per channel (scope shared), the global 50
// requests a second per bot token, bans per guild; and a stand-in without limits that never 429s
// but for the guilds a test turned them on for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscordStandIn, type SandboxMessage, startDiscordStandIn } from '../../dev/discord/server.ts';
import { APP_ID, BOT_TOKEN, client, snowflake } from '../support/discord-stand-in.ts';

describe('rate limits (injected clock)', () => {
  let clockMs = 1_800_000_000_000;
  let limited: DiscordStandIn;
  const limitedClient = client(() => limited);

  beforeAll(async () => {
    limited = await startDiscordStandIn({ botToken: BOT_TOKEN, applicationId: APP_ID, now: () => clockMs });
  });
  afterAll(async () => {
    await limited.close();
  });

  it('sends the rate-limit headers on bot and webhook responses', async () => {
    const world = await limitedClient.seedWorld();
    const response = await limitedClient.api(`/guilds/${world.guildId}/members/${snowflake()}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
    expect(response.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    expect(response.headers.get('x-ratelimit-reset')).toMatch(/^\d+\.\d{3}$/);
    expect(response.headers.get('x-ratelimit-reset-after')).toMatch(/^\d+\.\d{3}$/);
    expect(response.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('429s the 6th webhook execution within 2 s, changes nothing, and lets it through after the reset', async () => {
    const world = await limitedClient.seedWorld();
    const webhook = await limitedClient.createWebhook(world.channelId);
    const execute = (content: string) =>
      limitedClient.api(`/webhooks/${webhook.id}/${webhook.token}`, {
        bot: false,
        method: 'POST',
        body: JSON.stringify({ content }),
      });
    for (let i = 1; i <= 5; i++) {
      const response = await execute(`#${i}`);
      expect(response.status).toBe(204);
      expect(response.headers.get('x-ratelimit-limit')).toBe('5');
      expect(response.headers.get('x-ratelimit-remaining')).toBe(String(5 - i));
    }
    clockMs += 500;
    const refused = await execute('#6');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(refused.headers.get('x-ratelimit-scope')).toBe('user');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('x-ratelimit-reset-after')).toBe('1.500');
    expect(refused.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{32}$/);
    expect(await refused.json()).toEqual({
      message: 'You are being rate limited.',
      retry_after: 1.5,
      global: false,
    });
    expect(
      await limitedClient.controlJson<SandboxMessage[]>(`/channels/${world.channelId}/messages`),
    ).toHaveLength(5);

    clockMs += 1500;
    expect((await execute('#6 again')).status).toBe(204);
    expect(
      await limitedClient.controlJson<SandboxMessage[]>(`/channels/${world.channelId}/messages`),
    ).toHaveLength(6);
  });

  it('limits webhook messages to 30 a minute per channel, with scope shared', async () => {
    const world = await limitedClient.seedWorld();
    const hooks = [
      await limitedClient.createWebhook(world.channelId, 'a'),
      await limitedClient.createWebhook(world.channelId, 'b'),
    ];
    let sent = 0;
    while (sent < 30) {
      for (const hook of hooks) {
        for (let i = 0; i < 5 && sent < 30; i++, sent++) {
          const response = await limitedClient.api(`/webhooks/${hook.id}/${hook.token}`, {
            bot: false,
            method: 'POST',
            body: JSON.stringify({ content: `${sent}` }),
          });
          expect(response.status).toBe(204);
        }
      }
      clockMs += 2000;
    }
    const refused = await limitedClient.api(`/webhooks/${hooks[0]?.id}/${hooks[0]?.token}`, {
      bot: false,
      method: 'POST',
      body: JSON.stringify({ content: '31' }),
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-ratelimit-scope')).toBe('shared');
    expect(await refused.json()).toMatchObject({
      message: 'The resource is being rate limited.',
      global: false,
    });
    clockMs += 60_000;
  });

  it('enforces the global 50 requests a second per bot token', async () => {
    clockMs += 10_000;
    const world = await limitedClient.seedWorld();
    const statuses: number[] = [];
    for (let i = 0; i < 51; i++) statuses.push((await limitedClient.api(`/users/${world.memberId}`)).status);
    expect(statuses.slice(0, 50).every((status) => status === 200)).toBe(true);
    expect(statuses[50]).toBe(429);
    const refused = await limitedClient.api(`/users/${world.memberId}`);
    expect(refused.headers.get('x-ratelimit-global')).toBe('true');
    expect(refused.headers.get('x-ratelimit-scope')).toBe('global');
    expect(await refused.json()).toMatchObject({ global: true });
    clockMs += 1000;
    expect((await limitedClient.api(`/users/${world.memberId}`)).status).toBe(200);
  });

  it('limits bans per guild', async () => {
    clockMs += 10_000;
    const world = await limitedClient.seedWorld();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (
          await limitedClient.api(`/guilds/${world.guildId}/bans/${world.outsiderId}`, {
            method: 'PUT',
            body: '{}',
          })
        ).status,
      );
    }
    expect(statuses).toEqual([204, 204, 204, 204, 204, 429]);
    const other = await limitedClient.seedWorld();
    expect(
      (
        await limitedClient.api(`/guilds/${other.guildId}/bans/${other.outsiderId}`, {
          method: 'PUT',
          body: '{}',
        })
      ).status,
    ).toBe(204);
  });
});

describe('without rate limits', () => {
  it('never 429s and sends no rate-limit headers', async () => {
    const free = await startDiscordStandIn({ botToken: BOT_TOKEN, applicationId: APP_ID, rateLimits: false });
    try {
      const freeClient = client(() => free);
      const world = await freeClient.seedWorld();
      const webhook = await freeClient.createWebhook(world.channelId);
      for (let i = 0; i < 40; i++) {
        const response = await freeClient.api(`/webhooks/${webhook.id}/${webhook.token}`, {
          bot: false,
          method: 'POST',
          body: JSON.stringify({ content: `${i}` }),
        });
        expect(response.status).toBe(204);
        expect(response.headers.get('x-ratelimit-limit')).toBeNull();
      }
    } finally {
      await free.close();
    }
  });

  it("limits a guild's routes once a test turns them on, and no other guild's", async () => {
    const free = await startDiscordStandIn({ botToken: BOT_TOKEN, applicationId: APP_ID, rateLimits: false });
    try {
      const freeClient = client(() => free);
      const world = await freeClient.seedWorld();
      const other = await freeClient.seedWorld();
      const refused = await fetch(`${free.controlUrl}/guilds/not-a-guild/rate-limits`, { method: 'PUT' });
      expect(refused.status).toBe(400);
      const turnedOn = await fetch(`${free.controlUrl}/guilds/${world.guildId}/rate-limits`, {
        method: 'PUT',
      });
      expect(turnedOn.status).toBe(204);
      const ban = (guildId: string, userId: string) =>
        freeClient.api(`/guilds/${guildId}/bans/${userId}`, { method: 'PUT', body: '{}' });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await ban(world.guildId, world.outsiderId)).status);
      expect(statuses).toEqual([204, 204, 204, 204, 204, 429]);
      const first = await ban(other.guildId, other.outsiderId);
      expect(first.headers.get('x-ratelimit-bucket')).toBeNull();
      for (let i = 0; i < 9; i++) expect((await ban(other.guildId, other.outsiderId)).status).toBe(204);
    } finally {
      await free.close();
    }
  });
});
