// /massban's file download against a real HTTP server playing a slow CDN (the Discord stand-in
// serves uploads promptly and has no fault for them): a server that never answers, and one that
// sends the headers and part of the body and then stalls, both end in the "could not download"
// refusal within the timeout; a prompt one gives the text.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIAttachment } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAttachmentText } from '../../functions/commands/raid/massban/attachment.ts';
import { CommandError } from '../../functions/interactions/errors.ts';

let server: Server;
let origin = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.endsWith('/silent.txt')) return; // never answers
    if (req.url?.endsWith('/stalls.txt')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('123456789012345678\n'); // then nothing more
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('123456789012345678\n234567890123456789\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const file = (name: string): APIAttachment => ({
  id: '1',
  filename: name,
  size: 40,
  url: `${origin}/attachments/1/2/${name}`,
  proxy_url: `${origin}/attachments/1/2/${name}`,
});

describe('massban attachment download', () => {
  it('gives up on a CDN that never answers, within the timeout, with a clear message', async () => {
    const started = Date.now();
    const failure = await readAttachmentText(file('silent.txt'), `${origin}/api/v10`, 300).catch((e) => e);
    expect(failure).toBeInstanceOf(CommandError);
    expect((failure as CommandError).message).toBe(
      'I could not download the file from Discord. Try again shortly.',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('gives up on a body that stalls midway the same way', async () => {
    const failure = await readAttachmentText(file('stalls.txt'), `${origin}/api/v10`, 300).catch((e) => e);
    expect(failure).toBeInstanceOf(CommandError);
    expect((failure as CommandError).message).toBe(
      'I could not download the file from Discord. Try again shortly.',
    );
  });

  it('reads a prompt one', async () => {
    await expect(readAttachmentText(file('ids.txt'), `${origin}/api/v10`, 300)).resolves.toBe(
      '123456789012345678\n234567890123456789\n',
    );
  });
});
