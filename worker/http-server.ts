// The relay's HTTP side on PORT: `/healthz` (200 when Redis answers and the consumer loop is alive,
// 503 otherwise), `/stats` (JSON) and `/metrics` (Prometheus text), both from figures the relay
// refreshes on a timer, so a scrape costs no Redis or SQL work. Binds 127.0.0.1 unless `host` says
// otherwise (HOST in the environment). Nothing here shows a token.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './observability/log.ts';
import type { Relay } from './relay.ts';

export interface RelayHttpServer {
  port: number;
  /** The address it is bound to. */
  host: string;
  url: string;
  close(): Promise<void>;
}

export async function startHttpServer(options: {
  relay: Relay;
  port: number;
  host?: string;
  logger?: Logger;
}): Promise<RelayHttpServer> {
  const { relay, logger } = options;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://relay').pathname;
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, 'application/json', JSON.stringify({ error: 'method not allowed' }));
      return;
    }
    const handle = async () => {
      switch (path) {
        case '/healthz': {
          const health = await relay.health();
          return send(health.ok ? 200 : 503, 'application/json', JSON.stringify(health));
        }
        case '/stats':
          return send(200, 'application/json', JSON.stringify(await relay.stats(), null, 2));
        case '/metrics':
          return send(200, relay.metricsContentType, await relay.metricsText());
        default:
          return send(
            404,
            'application/json',
            JSON.stringify({ error: 'not found', paths: ['/healthz', '/stats', '/metrics'] }),
          );
      }
    };
    handle().catch((error: unknown) => {
      logger?.error('http request failed', { path, error });
      if (!res.headersSent) send(503, 'application/json', JSON.stringify({ error: 'unavailable' }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  const local = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address;
  return {
    port,
    host: address,
    url: `http://${local.includes(':') ? `[${local}]` : local}:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
