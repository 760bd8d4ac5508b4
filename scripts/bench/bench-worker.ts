// The Worker for benchmarks: started in workerd through wrangler's unstable_startWorker with the
// local stack's bindings (tokens and the database URL as secrets, so wrangler never prints them),
// signed interactions sent to it, and scheduled ticks dispatched through miniflare's
// /cdn-cgi/local/scheduled with an explicit scheduledTime (which waits for the tick's waitUntil).
import { unstable_startWorker } from 'wrangler';
import { buildCommandInteraction, importSigningKey, signatureHeaders } from '../../dev/interactions.ts';

const SECRETS = new Set([
  'DISCORD_BOT_TOKEN',
  'UPSTASH_REDIS_REST_TOKEN',
  'DATABASE_URL',
  'DISCORD_PUBLIC_KEY',
]);

process.env.WRANGLER_SEND_METRICS ??= 'false';
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';

export interface BenchWorker {
  /** Sends a signed slash command; answers the interaction response and how long it took. */
  command(spec: Parameters<typeof buildCommandInteraction>[0]): Promise<{ reply: unknown; ms: number }>;
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
  return {
    async command(spec) {
      const body = JSON.stringify(buildCommandInteraction(spec));
      const headers = { 'content-type': 'application/json', ...(await signatureHeaders(key, body)) };
      const started = performance.now();
      const response = await worker.fetch('http://127.0.0.1/interactions', { method: 'POST', headers, body });
      const reply = await response.json();
      return { reply, ms: performance.now() - started };
    },
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
