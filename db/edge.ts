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
  /**
   * Told of every HTTP request the client sends: one per query, one per batch (the scheduler counts
   * them against the Workers subrequest limit). The driver retries nothing, so a call is one fetch.
   */
  onRequest?: (requests: number) => void;
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
  const { onRequest } = options;
  if (!onRequest) return drizzle({ client, schema });
  // Drizzle hands every single query to its logger just before sending it; a batch goes out as one
  // transaction request without logging, so it is counted where it is called.
  const db = drizzle({ client, schema, logger: { logQuery: () => onRequest(1) } });
  const batch = db.batch.bind(db);
  db.batch = (queries) => {
    onRequest(1);
    return batch(queries);
  };
  return db;
}
