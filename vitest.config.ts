// Three test projects: pure unit tests beside the code (Node), the Worker's integration tests inside
// workerd, and Node-side integration tests (relay, stand-ins). All talk to this machine's real
// Postgres and Redis; hosted services (Neon, Upstash, Discord) are local stand-ins.
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
    ],
  },
});
