// The interaction endpoint limits a body while reading it: a chunked body (no Content-Length) past
// 256 KiB is refused with 413 without being read to its end, and a chunked body within the limit
// still gets through.
import { describe, expect, it } from 'vitest';
import { importSigningKey, signatureHeaders } from '../../dev/interactions.ts';
import { MAX_INTERACTION_BYTES } from '../../functions/interactions/verify.ts';
import { callWorker, testConfig } from '../support/edge.ts';

const CHUNK_BYTES = 16 * 1024;

/** A body sent in chunks, with no Content-Length, that counts how much of it was pulled. */
function chunkedBody(text: string) {
  const bytes = new TextEncoder().encode(text);
  const pulled = { bytes: 0 };
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      const chunk = bytes.slice(offset, offset + CHUNK_BYTES);
      offset += chunk.length;
      pulled.bytes += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled };
}

async function chunkedRequest(text: string) {
  const key = await importSigningKey(testConfig().signingKeyPkcs8);
  const { stream, pulled } = chunkedBody(text);
  const request = new Request('http://lockdown.test/interactions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await signatureHeaders(key, text)) },
    body: stream,
  });
  return { request, pulled };
}

describe('POST /interactions body limit', () => {
  it('refuses a chunked body past the limit with 413, reading no further than the limit', async () => {
    const huge = JSON.stringify({ type: 1, padding: 'x'.repeat(16 * MAX_INTERACTION_BYTES) });
    const { request, pulled } = await chunkedRequest(huge);
    expect(request.headers.get('content-length')).toBeNull();
    const response = await callWorker(request);
    expect(response.status).toBe(413);
    // The stream may have one chunk queued ahead of the reader, never the rest of the body.
    expect(pulled.bytes).toBeLessThanOrEqual(MAX_INTERACTION_BYTES + 2 * CHUNK_BYTES);
  });

  it('accepts a signed chunked body within the limit', async () => {
    const ping = JSON.stringify({ type: 1, id: '1', application_id: '1', token: 't', version: 1 });
    const { request } = await chunkedRequest(ping);
    const response = await callWorker(request);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ type: 1 });
  });
});
