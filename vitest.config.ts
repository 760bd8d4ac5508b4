// Four test projects: pure unit tests beside the code (Node), the Worker's integration tests inside
// workerd, Node-side integration tests (relay, stand-ins), and end-to-end tests of the whole stack
// as processes. The first three talk to this machine's real Postgres and Redis; hosted services
// (Neon, Upstash, Discord) are local stand-ins. The end-to-end tests bring their own (test/e2e).
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import type { EdgeTestConfig } from './test/support/services.ts';

export default defineConfig({
  test: {
    // Started once for every project, outside the workerd plugin's module resolution (which would
    // hand Node-only packages their worker builds): Postgres migrated, the local stand-ins up.
    globalSetup: ['./test/global-setup.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['{functions,worker,shared,db,dev,scripts}/**/*.test.ts'],
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => {
            const config = inject('edge') as EdgeTestConfig;
            return {
              wrangler: { configPath: './wrangler.toml' },
              miniflare: { bindings: { ...config.bindings, TEST_CONFIG: JSON.stringify(config) } },
            };
          }),
        ],
        test: {
          name: 'edge',
          include: ['test/edge/**/*.test.ts'],
          // discord-api-types ships CommonJS behind an ESM wrapper that the workers module runner
          // cannot link (workers-sdk#7323); pre-bundling turns it into plain ESM, as wrangler does.
          deps: { optimizer: { ssr: { enabled: true, include: ['discord-api-types/v10'] } } },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/node/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The whole bot as processes (wrangler dev, the relay, redis-server, the embedded Postgres),
        // started by scripts/dev.ts on free ports, plus the sandbox page in headless Chromium. One
        // file at a time: each starts a full stack, and CI has two cores.
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
