import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limits.ts';
import { classifyResponse, type RetryPolicy, redact, WebhookClient } from './webhook-client.ts';

const webhook = { id: '800000000000000001', token: 'secret-token-abc' };
const body = { embeds: [{ title: 'x' }], allowed_mentions: { parse: [] } };
const retry: RetryPolicy = { baseMs: 5, maxMs: 20, maxAttempts: 3 };

type Step = { status: number; body?: unknown; headers?: Record<string, string> } | Error;

function fakeFetch(steps: Step[]) {
  const calls: { url: string; method: string; at: number; body: string }[] = [];
  const impl = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), method: init?.method ?? 'GET', at: Date.now(), body: String(init?.body) });
    const step = steps.shift() ?? { status: 500 };
    if (step instanceof Error) throw step;
    return new Response(step.body === undefined ? '' : JSON.stringify(step.body), {
      status: step.status,
      headers: step.headers,
    });
  }) as typeof fetch;
  return { impl, calls };
}

function client(steps: Step[], extra: Partial<ConstructorParameters<typeof WebhookClient>[0]> = {}) {
  const f = fakeFetch(steps);
  const c = new WebhookClient({
    apiBase: 'http://discord.test/api/v10/',
    fetch: f.impl,
    limiter: new RateLimiter({ globalPerSecond: 10_000 }),
    random: () => 1,
    ...extra,
  });
  return { client: c, calls: f.calls };
}

describe('classifyResponse', () => {
  it('tells the answers apart', () => {
    expect(classifyResponse(200, null).kind).toBe('ok');
    expect(classifyResponse(204, null).kind).toBe('ok');
    expect(classifyResponse(429, null).kind).toBe('rate_limited');
    expect(classifyResponse(500, null).kind).toBe('retry');
    expect(classifyResponse(503, null).kind).toBe('retry');
    expect(classifyResponse(404, RESTJSONErrorCodes.UnknownWebhook).kind).toBe('invalid_webhook');
    expect(classifyResponse(401, RESTJSONErrorCodes.InvalidWebhookToken).kind).toBe('invalid_webhook');
    expect(classifyResponse(403, 50013).kind).toBe('invalid_webhook');
    expect(classifyResponse(404, RESTJSONErrorCodes.UnknownMessage).kind).toBe('unknown_message');
    expect(classifyResponse(400, 50035).kind).toBe('bad_request');
    expect(classifyResponse(413, 40005).kind).toBe('bad_request');
  });
});

describe('WebhookClient', () => {
  it('posts to the configured base with wait=true and returns the message id', async () => {
    const { client: c, calls } = client([{ status: 200, body: { id: '555' } }]);
    const outcome = await c.execute(webhook, body, { retry });
    expect(outcome).toEqual({ kind: 'ok', status: 200, messageId: '555' });
    expect(calls[0]).toMatchObject({
      url: `http://discord.test/api/v10/webhooks/${webhook.id}/${webhook.token}?wait=true`,
      method: 'POST',
    });
    expect(JSON.parse(calls[0]?.body ?? '')).toEqual(body);
  });

  it('edits with PATCH on the message route', async () => {
    const { client: c, calls } = client([{ status: 200, body: { id: '555' } }]);
    await c.editMessage(webhook, '555', body, { retry });
    expect(calls[0]).toMatchObject({
      url: `http://discord.test/api/v10/webhooks/${webhook.id}/${webhook.token}/messages/555`,
      method: 'PATCH',
    });
  });

  it('waits out a 429 for retry_after before asking again', async () => {
    const { client: c, calls } = client([
      { status: 429, body: { message: 'You are being rate limited.', retry_after: 0.12, global: false } },
      { status: 200, body: { id: '1' } },
    ]);
    expect((await c.execute(webhook, body, { retry })).kind).toBe('ok');
    expect(calls).toHaveLength(2);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(115);
  });

  it('retries 5xx and network errors, then succeeds', async () => {
    const { client: c, calls } = client([
      { status: 502 },
      new TypeError('fetch failed'),
      { status: 200, body: { id: '2' } },
    ]);
    expect(await c.execute(webhook, body, { retry })).toMatchObject({ kind: 'ok', messageId: '2' });
    expect(calls).toHaveLength(3);
  });

  it('gives up after maxAttempts', async () => {
    const { client: c, calls } = client([{ status: 500 }, { status: 500 }, { status: 500 }, { status: 200 }]);
    expect(await c.execute(webhook, body, { retry })).toMatchObject({ kind: 'gave_up', attempts: 3 });
    expect(calls).toHaveLength(3);
  });

  it('never retries an invalid webhook or a bad payload, and keeps the token out of details', async () => {
    const gone = client([{ status: 404, body: { message: 'Unknown Webhook', code: 10015 } }]);
    expect(await gone.client.execute(webhook, body, { retry })).toEqual({
      kind: 'invalid_webhook',
      status: 404,
      code: 10015,
      detail: 'Discord answered 404 (code 10015): Unknown Webhook',
    });
    expect(gone.calls).toHaveLength(1);
    const bad = client([
      { status: 400, body: { message: `Invalid Form Body ${webhook.token}`, code: 50035 } },
    ]);
    const outcome = await bad.client.execute(webhook, body, { retry });
    expect(outcome).toMatchObject({ kind: 'bad_request', code: 50035 });
    expect(JSON.stringify(outcome)).not.toContain(webhook.token);
  });

  it('times out a request that never answers', async () => {
    const hanging = ((_url: string, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as typeof fetch;
    const c = new WebhookClient({ apiBase: 'http://x', fetch: hanging, timeoutMs: 30, random: () => 0 });
    const outcome = await c.execute(webhook, body, { retry: { ...retry, maxAttempts: 2 } });
    expect(outcome).toEqual({ kind: 'gave_up', attempts: 2, detail: 'no answer within 30 ms' });
  });

  it('stops waiting when shutdown aborts, without sending', async () => {
    const { client: c, calls } = client([{ status: 429, body: { retry_after: 10, global: true } }]);
    const stop = new AbortController();
    const pending = c.execute(webhook, body, { retry, signal: stop.signal });
    setTimeout(() => stop.abort(), 20);
    expect(await pending).toEqual({ kind: 'stopped' });
    expect(calls).toHaveLength(1);
  });
});

describe('redact', () => {
  it('removes every occurrence of the secret', () => {
    expect(redact('a tok b tok', 'tok')).toBe('a [token] b [token]');
    expect(redact('abc', '')).toBe('abc');
  });
});
