// Database client for the Worker: drizzle over Neon's HTTP driver. One HTTP round trip per query or
// batch (a batch is one transaction), no connection to keep, so it is built once per request.
import { neon, neonConfig } from '@neondatabase/serverless';
import { drizzle, type NeonHttpDatabase } from 'drizzle-orm/neon-http';
import * as schema from './schema.ts';

export type EdgeDatabase = NeonHttpDatabase<typeof schema>;

export interface EdgeDatabaseOptions {
  /**
   * Overrides where the driver sends its HTTP queries (a local Neon stand-in, in development and
   * tests). The driver only reads this from its global config, so it is set there; every request of
   * an isolate carries the same env, so the value never changes under a running query.
   */
  httpEndpoint?: string;
  /** Per-query timeout; a hung database must not hold an interaction past Discord's deadline. */
  timeoutMs?: number;
}

export function createEdgeDatabase(url: string, options: EdgeDatabaseOptions = {}): EdgeDatabase {
  if (options.httpEndpoint) neonConfig.fetchEndpoint = options.httpEndpoint;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const client = neon(url, {
    fetchOptions: {
      get signal() {
        return AbortSignal.timeout(timeoutMs);
      },
    },
  });
  return drizzle({ client, schema });
}
