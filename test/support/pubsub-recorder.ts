// A real Redis pub/sub subscriber for tests: it subscribes to every event channel and serves what it
// heard over HTTP, so tests running inside workerd (which cannot hold a Redis connection) can check
// that an action was PUBLISHed, not just written to the stream.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { eventTypes } from '../../shared/events.ts';

export interface HeardMessage {
  channel: string;
  message: string;
  at: number;
}

export async function startPubSubRecorder(redisUrl: string) {
  const subscriber = new Redis(redisUrl);
  subscriber.on('error', () => {});
  const heard: HeardMessage[] = [];
  subscriber.on('message', (channel: string, message: string) =>
    heard.push({ channel, message, at: Date.now() }),
  );
  await subscriber.subscribe(...eventTypes);

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const contains = url.searchParams.get('contains');
    const matches = contains ? heard.filter((m) => m.message.includes(contains)) : heard;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(matches));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      subscriber.disconnect();
    },
  };
}
