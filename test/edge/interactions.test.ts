// The interaction endpoint itself: who gets in (signatures), what gets a 4xx, and PING.
import { describe, expect, it } from 'vitest';
import { MAX_INTERACTION_BYTES } from '../../functions/interactions/verify.ts';
import {
  callWorker,
  casesOf,
  commandInteraction,
  discordRequests,
  seedGuild,
  signedRequest,
  userOption,
} from '../support/edge.ts';

const ping = JSON.stringify({ type: 1, id: '1', application_id: '1', token: 't', version: 1 });

describe('POST /interactions signature check', () => {
  it('answers a signed PING with PONG', async () => {
    const response = await callWorker(await signedRequest(ping));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ type: 1 });
  });

  it('refuses a request without signature headers', async () => {
    const response = await callWorker(
      new Request('http://lockdown.test/interactions', { method: 'POST', body: ping }),
    );
    expect(response.status).toBe(401);
  });

  it('refuses a body that was changed after signing', async () => {
    const signed = await signedRequest(ping);
    const forged = new Request(signed, { body: ping.replace('"type":1', '"type":2') });
    expect((await callWorker(forged)).status).toBe(401);
  });

  it('refuses a signature made with another key', async () => {
    const other = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
    const response = await callWorker(
      await signedRequest(ping, { key: (other as CryptoKeyPair).privateKey }),
    );
    expect(response.status).toBe(401);
  });

  it('refuses a stale or future timestamp even with a valid signature', async () => {
    // Each timestamp is taken right before its request: a busy machine must not age it further.
    const at = (offset: number) => ({ timestamp: Math.floor(Date.now() / 1000) + offset });
    expect((await callWorker(await signedRequest(ping, at(-301)))).status).toBe(401);
    expect((await callWorker(await signedRequest(ping, at(301)))).status).toBe(401);
    expect((await callWorker(await signedRequest(ping, at(-290)))).status).toBe(200);
  });

  it('touches nothing for a forged /ban', async () => {
    const guild = await seedGuild();
    const body = JSON.stringify(
      commandInteraction({
        guild,
        name: 'ban',
        options: [userOption('user', guild.targetId)],
        resolve: [{ id: guild.targetId }],
      }),
    );
    const signed = await signedRequest(body);
    const forged = new Request(signed, {
      headers: { ...Object.fromEntries(signed.headers), 'x-signature-ed25519': '00'.repeat(64) },
    });
    expect((await callWorker(forged)).status).toBe(401);
    expect(await discordRequests(guild.guildId)).toEqual([]);
    expect(await casesOf(guild.guildId)).toEqual([]);
  });
});

describe('POST /interactions bad bodies', () => {
  it('answers malformed JSON with 400', async () => {
    const response = await callWorker(await signedRequest('{"type": 2,'));
    expect(response.status).toBe(400);
  });

  it('answers JSON that is not an interaction with 400', async () => {
    expect((await callWorker(await signedRequest('[1,2,3]'))).status).toBe(400);
    expect((await callWorker(await signedRequest('"hello"'))).status).toBe(400);
  });

  it('answers an oversized body with 413', async () => {
    const huge = JSON.stringify({ type: 1, padding: 'x'.repeat(MAX_INTERACTION_BYTES) });
    expect((await callWorker(await signedRequest(huge))).status).toBe(413);
  });

  it('answers other paths with 404', async () => {
    expect((await callWorker(new Request('http://lockdown.test/nope'))).status).toBe(404);
  });
});
