// Database client for long-lived Node processes (the relay, scripts, tests): drizzle over a pg Pool.

import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema.ts';

export type NodeDatabase = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export function createNodeDatabase(url: string, poolSize = 5): NodeDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    query_timeout: 10_000,
    keepAlive: true,
  });
  // An idle client that loses its connection emits here; without a listener it would crash the process.
  pool.on('error', () => {});
  return drizzle({ client: pool, schema });
}
