// The Worker for benchmarks: started in workerd through wrangler's unstable_startWorker with the
// local stack's bindings (tokens and the database URL as secrets, so wrangler never prints them),
// signed interactions sent to it, and scheduled ticks dispatched through miniflare's
// /cdn-cgi/local/scheduled with an explicit scheduledTime (which waits for the tick's waitUntil).
import { unstable_startWorker } from 'wrangler';
import { createNodeDatabase } from '../../db/node.ts';
import type { RecordedRequest } from '../../dev/discord/types.ts';
import { buildCommandInteraction, importSigningKey, signatureHeaders } from '../../dev/interactions.ts';
import { type LocalStack, startLocalStack } from '../../dev/local-stack.ts';

const SECRETS = new Set([
  'DISCORD_BOT_TOKEN',
  'UPSTASH_REDIS_REST_TOKEN',
  'DATABASE_URL',
  'DISCORD_PUBLIC_KEY',
]);

process.env.WRANGLER_SEND_METRICS ??= 'false';
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';

type WorkerFetch = Awaited<ReturnType<typeof unstable_startWorker>>['fetch'];

export interface BenchWorker {
  /** Sends any interaction payload, signed as Discord signs it; its response and how long it took. */
  send(payload: object): Promise<{ reply: unknown; ms: number }>;
  /** Sends a signed slash command built from `spec`. */
  command(spec: Parameters<typeof buildCommandInteraction>[0]): Promise<{ reply: unknown; ms: number }>;
  /** Any request to the Worker, as a browser would send it (the dashboard); the URL's origin is kept. */
  fetch(url: string, init?: Parameters<WorkerFetch>[1]): ReturnType<WorkerFetch>;
  /** Runs one scheduled tick at `scheduledTime` and waits for it; its wall time in ms. */
  tick(scheduledTime: number): Promise<number>;
  dispose(): Promise<void>;
}

export async function startBenchWorker(
  name: string,
  bindings: Record<string, string>,
  signingKeyPkcs8: string,
): Promise<BenchWorker> {
  const worker = await unstable_startWorker({
    name,
    config: 'wrangler.toml',
    bindings: Object.fromEntries(
      Object.entries(bindings).map(([key, value]) => [
        key,
        { type: SECRETS.has(key) ? 'secret_text' : 'plain_text', value },
      ]),
    ),
    dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, watch: false, logLevel: 'log' },
  } as Parameters<typeof unstable_startWorker>[0]);
  await worker.ready;
  const key = await importSigningKey(signingKeyPkcs8);
  const send = async (payload: object) => {
    const body = JSON.stringify(payload);
    const headers = { 'content-type': 'application/json', ...(await signatureHeaders(key, body)) };
    const started = performance.now();
    const response = await worker.fetch('http://127.0.0.1/interactions', { method: 'POST', headers, body });
    const reply = await response.json();
    return { reply, ms: performance.now() - started };
  };
  return {
    send,
    command: (spec) => send(buildCommandInteraction(spec)),
    fetch: (url, init) => worker.fetch(url, init),
    async tick(scheduledTime) {
      const started = performance.now();
      const response = await worker.fetch(
        `http://127.0.0.1/cdn-cgi/local/scheduled?cron=*+*+*+*+*&time=${scheduledTime}&format=json`,
      );
      const result = (await response.json()) as { outcome: string };
      if (result.outcome !== 'ok') throw new Error(`the tick failed: ${JSON.stringify(result)}`);
      return performance.now() - started;
    },
    dispose: () => worker.dispose(),
  };
}

export interface BenchStack {
  stack: LocalStack;
  db: ReturnType<typeof createNodeDatabase>;
  controlUrl: string;
  /** The stand-in's request log, entries whose path contains `contains`. */
  requests(contains: string): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

/** The local stack for a bench (this machine's Postgres and Redis, BENCH_DATABASE_URL/BENCH_REDIS_URL). */
export async function startBenchStack(options: { discordRateLimits: boolean }): Promise<BenchStack> {
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lockdown_bench';
  const stack = await startLocalStack({
    databaseUrl,
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    applicationId: '1100000000000000001',
    botToken: 'bench-bot-token',
    upstashToken: 'bench-upstash-token',
    discordRateLimits: options.discordRateLimits,
  });
  const db = createNodeDatabase(databaseUrl, 2);
  const controlUrl = stack.discord?.controlUrl as string;
  return {
    stack,
    db,
    controlUrl,
    requests: async (contains) =>
      (await fetch(`${controlUrl}/requests?contains=${encodeURIComponent(contains)}`)).json() as Promise<
        RecordedRequest[]
      >,
    async close() {
      await db.$client.end();
      await stack.close();
    },
  };
}

/** Requests counted by route (ids and tokens folded), e.g. "PUT /channels/{id}/permissions/{id} ×500". */
export function countByRoute(list: readonly RecordedRequest[], withStatus = false): string {
  const counts = new Map<string, number>();
  for (const r of list) {
    const path = r.path
      .replace(/\/webhooks\/(\d+)\/[^/]+/, '/webhooks/$1/{token}')
      .replace(/\d{15,20}/g, '{id}');
    const route = `${r.method} ${path}${withStatus ? ` ${r.status}` : ''}`;
    counts.set(route, (counts.get(route) ?? 0) + 1);
  }
  return [...counts].map(([route, n]) => `${route} ×${n}`).join(', ');
}
