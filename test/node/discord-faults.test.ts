// The Discord stand-in's injected faults and its request log over real HTTP: the next `count`
// matching requests answered with a status as Discord (or Cloudflare, or the proxy) would answer it,
// 429s with retry_after and the rate-limit headers, hangs, delays, a request carried out but answered
// late or dropped; and the log of requests filtered by path and sequence.
import { describe, expect, it } from 'vitest';
import type { FaultSpec, GuildSnapshot } from '../../dev/discord/server.ts';
import { expectError, snowflake, useStandIn } from '../support/discord-stand-in.ts';

const { api, control, controlJson, seedWorld, createWebhook, requests } = useStandIn();

describe('faults', () => {
  const addFault = (spec: FaultSpec) => controlJson<{ id: string }>('/faults', 'POST', spec);

  it('answers the next `count` matching requests with the status, as Discord would, then recovers', async () => {
    const world = await seedWorld();
    await addFault({ method: 'PUT', path: `^/guilds/${world.guildId}/bans/`, count: 2, status: 500 });
    const ban = () => api(`/guilds/${world.guildId}/bans/${world.memberId}`, { method: 'PUT', body: '{}' });
    await expectError(await ban(), 500, { message: '500: Internal Server Error', code: 0 });
    await expectError(await ban(), 500, { message: '500: Internal Server Error', code: 0 });
    // A fault changes no state.
    expect((await controlJson<GuildSnapshot>(`/guilds/${world.guildId}`)).bans).toEqual([]);
    expect((await ban()).status).toBe(204);
  });

  it("gives 502 as Cloudflare's HTML page and 503 as the proxy's plain text", async () => {
    const id = snowflake();
    await addFault({ path: `^/users/${id}$`, count: 1, status: 502 });
    await addFault({ path: `^/users/${id}$`, count: 1, status: 503 });
    const gateway = await api(`/users/${id}`);
    expect(gateway.status).toBe(502);
    expect(gateway.headers.get('content-type')).toBe('text/html');
    expect(await gateway.text()).toContain('502 Bad Gateway');
    const unavailable = await api(`/users/${id}`);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('content-type')).toBe('text/plain');
  });

  it('answers a 429 fault with retry_after and the rate-limit headers', async () => {
    const world = await seedWorld();
    const webhook = await createWebhook(world.channelId);
    await addFault({ path: `^/webhooks/${webhook.id}/`, count: 1, status: 429, retryAfter: 3.5 });
    const response = await api(`/webhooks/${webhook.id}/${webhook.token}`, {
      bot: false,
      method: 'POST',
      body: '{"content":"x"}',
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('4');
    expect(response.headers.get('x-ratelimit-scope')).toBe('user');
    expect(await response.json()).toEqual({
      message: 'You are being rate limited.',
      retry_after: 3.5,
      global: false,
    });

    await addFault({ path: `^/webhooks/${webhook.id}/`, count: 1, status: 429, retryAfter: 1, global: true });
    const global = await api(`/webhooks/${webhook.id}/${webhook.token}`, {
      bot: false,
      method: 'POST',
      body: '{"content":"x"}',
    });
    expect(global.headers.get('x-ratelimit-global')).toBe('true');
    expect(await global.json()).toMatchObject({ global: true });
  });

  it('uses a custom code and message when given', async () => {
    const id = snowflake();
    await addFault({ path: `^/users/${id}$`, count: 1, status: 403, code: 50001, message: 'Missing Access' });
    await expectError(await api(`/users/${id}`), 403, { message: 'Missing Access', code: 50001 });
  });

  it('hangs with status 0 until the client gives up, recording the request unanswered', async () => {
    const world = await seedWorld();
    await addFault({ path: `^/guilds/${world.guildId}$`, count: 1, status: 0 });
    const started = Date.now();
    await expect(api(`/guilds/${world.guildId}`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const [recorded] = await requests(`/guilds/${world.guildId}`);
    expect(recorded?.status).toBe(0);
    expect((await api(`/guilds/${world.guildId}`)).status).toBe(200);
  });

  it('delays an answer by delayMs', async () => {
    const id = snowflake();
    await addFault({ path: `^/users/${id}$`, count: 1, status: 500, delayMs: 200 });
    const started = Date.now();
    expect((await api(`/users/${id}`)).status).toBe(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('with passThrough carries the request out but answers late (Discord did it, the client timed out)', async () => {
    const world = await seedWorld();
    await addFault({ path: `^/guilds/${world.guildId}/bans/`, count: 1, status: 0, passThrough: true });
    await expect(
      api(`/guilds/${world.guildId}/bans/${world.memberId}`, {
        method: 'PUT',
        body: '{}',
        signal: AbortSignal.timeout(200),
      }),
    ).rejects.toThrow();
    expect(
      (await controlJson<GuildSnapshot>(`/guilds/${world.guildId}`)).bans.map((ban) => ban.user.id),
    ).toEqual([world.memberId]);
  });

  it('with passThrough and drop carries the request out, then drops the connection; with a 5xx, answers it', async () => {
    const world = await seedWorld();
    await addFault({
      path: `^/guilds/${world.guildId}/bans/`,
      count: 1,
      status: 200,
      passThrough: true,
      drop: true,
    });
    await expect(
      api(`/guilds/${world.guildId}/bans/${world.memberId}`, { method: 'PUT', body: '{}' }),
    ).rejects.toThrow();
    await addFault({ path: `^/guilds/${world.guildId}/bans/`, count: 1, status: 503, passThrough: true });
    expect(
      (await api(`/guilds/${world.guildId}/bans/${world.closedDmId}`, { method: 'PUT', body: '{}' })).status,
    ).toBe(503);
    expect(
      (await controlJson<GuildSnapshot>(`/guilds/${world.guildId}`)).bans.map((ban) => ban.user.id).sort(),
    ).toEqual([world.memberId, world.closedDmId].sort());
  });

  it('can be removed before it is spent', async () => {
    const id = snowflake();
    const { id: faultId } = await addFault({ path: `^/users/${id}$`, count: 5, status: 500 });
    expect((await control(`/faults/${faultId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/users/${id}`)).status).toBe(404);
    expect((await control(`/faults/${faultId}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses a malformed fault', async () => {
    const response = await control('/faults', {
      method: 'POST',
      body: JSON.stringify({ path: '(', count: 1, status: 500 }),
    });
    expect(response.status).toBe(400);
  });
});

describe('request log', () => {
  it('filters by path substring and sequence, in arrival order, with query and body', async () => {
    const world = await seedWorld();
    await api(`/guilds/${world.guildId}/members/${world.memberId}`);
    const [first] = await requests(world.guildId);
    await api(`/guilds/${world.guildId}?with_counts=true`);
    await api(`/guilds/${world.guildId}/bans/${world.memberId}`, {
      method: 'PUT',
      body: JSON.stringify({ delete_message_seconds: 0 }),
    });

    const all = await requests(world.guildId);
    expect(all.map((r) => [r.method, r.path])).toEqual([
      ['GET', `/guilds/${world.guildId}/members/${world.memberId}`],
      ['GET', `/guilds/${world.guildId}`],
      ['PUT', `/guilds/${world.guildId}/bans/${world.memberId}`],
    ]);
    expect(all[1]?.query).toEqual({ with_counts: 'true' });
    expect(all[2]?.body).toEqual({ delete_message_seconds: 0 });
    expect(all.every((r, i) => i === 0 || r.seq > (all[i - 1]?.seq ?? 0))).toBe(true);
    const later = await requests(world.guildId, first?.seq);
    expect(later.map((r) => r.method)).toEqual(['GET', 'PUT']);
    expect(typeof later[0]?.at).toBe('number');
  });
});
