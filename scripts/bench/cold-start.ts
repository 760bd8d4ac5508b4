// The Worker's cold start, as `npm run bench:edge` reports it: the deployable bundle is built the way
// `wrangler deploy` builds it (dry run), then started in a fresh workerd again and again (Miniflare,
// the runtime Cloudflare runs) and timed until it answers a signed PING. A bare Hono + signature-check
// Worker (bare-worker.ts), built with the same settings, is the yardstick: the difference is what our
// own code and its libraries cost a new isolate before it can answer Discord's 3 s deadline.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';

const root = resolve(import.meta.dirname, '../..');

export interface Bundle {
  name: string;
  path: string;
  bytes: number;
  gzipBytes: number;
}

/**
 * Builds a Worker with `wrangler deploy --dry-run` (the project's wrangler.toml, or one made for
 * `entry`); `minify` overrides the config's setting, to show what minification buys.
 */
export function buildBundle(name: string, options: { entry?: string; minify?: boolean } = {}): Bundle {
  const slug = name.toLowerCase().replace(/\W+/g, '-');
  const dir = mkdtempSync(join(tmpdir(), `lockdown-bundle-${slug}-`));
  const args = ['deploy', '--dry-run', '--outdir', join(dir, 'out')];
  if (options.minify !== undefined) args.push(options.minify ? '--minify' : '--no-minify');
  if (options.entry) {
    // Same compatibility settings and minification as the real Worker, nothing else.
    const project = readFileSync(join(root, 'wrangler.toml'), 'utf8');
    const setting = (key: string) => project.match(new RegExp(`^${key}\\s*=.*$`, 'm'))?.[0] ?? '';
    writeFileSync(
      join(dir, 'wrangler.toml'),
      [
        `name = "${slug}"`,
        `main = "${resolve(root, options.entry)}"`,
        setting('compatibility_date'),
        setting('compatibility_flags'),
        setting('minify'),
      ].join('\n'),
    );
    args.push('--config', join(dir, 'wrangler.toml'));
  }
  // Through this Node (22, the project's), whatever `node` is first on PATH.
  const run = spawnSync(process.execPath, [join(root, 'node_modules/wrangler/bin/wrangler.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  });
  if (run.status !== 0) throw new Error(`wrangler could not bundle ${name}: ${run.stderr || run.stdout}`);
  const js = readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.js'));
  if (js.length !== 1) throw new Error(`expected one module in the ${name} bundle, found ${js.join(', ')}`);
  const path = join(dir, 'out', js[0] as string);
  return { name, path, bytes: statSync(path).size, gzipBytes: gzipSync(readFileSync(path)).length };
}

export interface ColdStart {
  /** New workerd with the bundle loaded (compiled and evaluated) until it accepts requests. */
  startMs: number[];
  /** From ready to the first PING's answer. */
  firstMs: number[];
  /** A second PING on the same isolate, for contrast. */
  warmMs: number[];
}

/**
 * Cold-starts each bundle `runs` times, taking turns, so that whatever else the machine is doing
 * weighs on every bundle alike.
 */
export async function measureColdStarts(
  bundles: Bundle[],
  options: {
    runs: number;
    bindings: Record<string, string>;
    ping: () => Promise<{ body: string; headers: Record<string, string> }>;
  },
): Promise<Map<Bundle, ColdStart>> {
  const results = new Map(bundles.map((b) => [b, { startMs: [], firstMs: [], warmMs: [] } as ColdStart]));
  for (let i = 0; i < options.runs; i += 1) {
    for (const bundle of bundles) await coldStartOnce(bundle, results.get(bundle) as ColdStart, options);
  }
  return results;
}

async function coldStartOnce(
  bundle: Bundle,
  result: ColdStart,
  options: {
    bindings: Record<string, string>;
    ping: () => Promise<{ body: string; headers: Record<string, string> }>;
  },
): Promise<void> {
  const project = readFileSync(join(root, 'wrangler.toml'), 'utf8');
  const compatibilityDate = project.match(/^compatibility_date\s*=\s*"([^"]+)"/m)?.[1] ?? '2026-11-01';
  {
    const started = performance.now();
    const mf = new Miniflare(
      convertV4MiniflareOptions({
        modules: true,
        scriptPath: bundle.path,
        modulesRoot: dirname(bundle.path),
        compatibilityDate,
        compatibilityFlags: ['nodejs_compat'],
        bindings: options.bindings,
      }),
    );
    try {
      await mf.ready;
      const ready = performance.now();
      const answer = async () => {
        const { body, headers } = await options.ping();
        const response = await mf.dispatchFetch('http://127.0.0.1/interactions', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
        });
        const reply = (await response.json()) as { type?: number };
        if (reply.type !== 1) throw new Error(`${bundle.name}: PING answered ${JSON.stringify(reply)}`);
      };
      await answer();
      const first = performance.now();
      await answer();
      result.startMs.push(ready - started);
      result.firstMs.push(first - ready);
      result.warmMs.push(performance.now() - first);
    } finally {
      await mf.dispose();
    }
  }
}

export function removeBundle(bundle: Bundle): void {
  rmSync(resolve(bundle.path, '../..'), { recursive: true, force: true });
}
