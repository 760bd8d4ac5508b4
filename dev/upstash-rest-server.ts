// A local stand-in for Upstash's Redis REST API, over a real Redis through ioredis. It speaks what
// @upstash/redis sends: `POST /` with one command as a JSON array, `/pipeline` (array of commands,
// not atomic) and `/multi-exec` (atomic), bearer-token auth, `{result}` / `{error}` replies, and
// base64-encoded strings when the client asks with `Upstash-Encoding: base64`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import { listen, stopListening } from './net.ts';

type Reply = string | number | null | Reply[];

function encodeReply(raw: unknown, base64: boolean, topLevel = true): Reply {
  const value = raw instanceof Uint8Array ? Buffer.from(raw).toString('utf8') : raw;
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    // Upstash leaves the "OK" status reply as it is; the client decodes everything else.
    if (!base64 || (topLevel && value === 'OK')) return value;
    return Buffer.from(value, 'utf8').toString('base64');
  }
  if (Array.isArray(value)) return value.map((item) => encodeReply(item, base64, false));
  return String(value);
}

function isCommand(value: unknown): value is (string | number)[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === 'string' || typeof v === 'number')
  );
}

export interface UpstashRestServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startUpstashRestServer(options: {
  redisUrl: string;
  token: string;
  port?: number;
}): Promise<UpstashRestServer> {
  const redis = new Redis(options.redisUrl, {
    lazyConnect: false,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
  });
  redis.on('error', () => {});

  const call = (command: (string | number)[]) => {
    const [name, ...args] = command;
    return redis.call(String(name).toUpperCase(), ...args.map(String));
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST') return reply(405, { error: 'Method not allowed' });
    if (req.headers.authorization !== `Bearer ${options.token}`) return reply(401, { error: 'Unauthorized' });
    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return reply(400, { error: 'ERR failed to parse command' });
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/$/, '');

    if (path === '/pipeline' || path === '/multi-exec') {
      if (!Array.isArray(body) || !body.every(isCommand))
        return reply(400, { error: 'ERR invalid pipeline body' });
      const batch = path === '/multi-exec' ? redis.multi() : redis.pipeline();
      for (const [name, ...args] of body) batch.call(String(name).toUpperCase(), ...args.map(String));
      const results = await batch.exec();
      if (!results) return reply(400, { error: 'EXECABORT Transaction discarded' });
      return reply(
        200,
        results.map(([error, result]) =>
          error ? { error: error.message } : { result: encodeReply(result, base64) },
        ),
      );
    }
    if (path === '' || path === '/') {
      if (!isCommand(body)) return reply(400, { error: 'ERR invalid command' });
      try {
        return reply(200, { result: encodeReply(await call(body), base64) });
      } catch (error) {
        return reply(400, { error: (error as Error).message });
      }
    }
    return reply(404, { error: 'Not found' });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      // Redis unreachable: Upstash answers with a 5xx, which the client raises as an error.
      if (!res.headersSent) res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: (error as Error).message }));
    });
  });
  const port = await listen(server, options.port ?? 0, '127.0.0.1').catch((error: unknown) => {
    redis.disconnect();
    throw error;
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      server.closeAllConnections();
      await stopListening(server);
      redis.disconnect();
    },
  };
}
