// A local stand-in for Neon's serverless HTTP endpoint (`POST /sql`), over a real Postgres through pg.
// It speaks what @neondatabase/serverless sends: one query `{query, params}` or a batch
// `{queries: [...]}` run as one transaction, raw text values in array mode, errors as HTTP 400.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import pg from 'pg';
import { listen, stopListening } from './net.ts';

interface QueryBody {
  query: string;
  params?: unknown[];
}

const isolationLevels: Record<string, string> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};

// The driver parses every value itself from Postgres' text format.
const rawText = { getTypeParser: () => (value: string) => value };

const errorFields = [
  'severity',
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const;

function toNeonResult(result: pg.QueryResult<unknown[]>) {
  return {
    command: result.command,
    rowCount: result.rowCount,
    fields: result.fields.map(
      ({ name, dataTypeID, tableID, columnID, dataTypeSize, dataTypeModifier, format }) => ({
        name,
        dataTypeID,
        tableID,
        columnID,
        dataTypeSize,
        dataTypeModifier,
        format,
      }),
    ),
    rows: result.rows,
    rowAsArray: true,
  };
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * An injected outage: requests whose SQL (followed by its JSON parameters, so a test can name its own
 * guild) matches `match` (a regular expression, case-insensitive)
 * fail with HTTP 503 before touching the database, `count` times. Lets tests cut the database off
 * at an exact step of an action ("the case insert fails after Discord accepted the ban").
 */
export interface NeonFault {
  match: string;
  count: number;
}

export interface NeonHttpServer {
  /** The value for neonConfig.fetchEndpoint. */
  endpoint: string;
  port: number;
  /** Control endpoint accepting `POST` of a {@link NeonFault}; `DELETE` clears all. */
  faultsUrl: string;
  close(): Promise<void>;
}

export async function startNeonHttpServer(
  options: { port?: number; host?: string } = {},
): Promise<NeonHttpServer> {
  const pools = new Map<string, pg.Pool>();
  const poolFor = (connectionString: string) => {
    let pool = pools.get(connectionString);
    if (!pool) {
      pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis: 5_000 });
      pool.on('error', () => {});
      pools.set(connectionString, pool);
    }
    return pool;
  };

  const run = (client: pg.PoolClient, { query, params = [] }: QueryBody) =>
    client.query<unknown[]>({ text: query, values: params, rowMode: 'array', types: rawText });

  const faults: { pattern: RegExp; remaining: number }[] = [];
  const takeFault = (sql: string[]) => {
    const fault = faults.find((f) => f.remaining > 0 && sql.some((text) => f.pattern.test(text)));
    if (fault) fault.remaining -= 1;
    return fault;
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/__faults') {
      if (req.method === 'DELETE') {
        faults.length = 0;
        return reply(200, { ok: true });
      }
      const fault = JSON.parse(await readBody(req, 65_536)) as NeonFault;
      faults.push({ pattern: new RegExp(fault.match, 'i'), remaining: fault.count });
      return reply(200, { ok: true });
    }
    if (req.method !== 'POST' || !req.url?.startsWith('/sql')) return reply(404, { message: 'not found' });
    const connectionString = req.headers['neon-connection-string'];
    if (typeof connectionString !== 'string')
      return reply(400, { message: 'missing Neon-Connection-String header' });
    let body: QueryBody | { queries: QueryBody[] };
    try {
      body = JSON.parse(await readBody(req, 10 * 1024 * 1024));
    } catch (error) {
      return reply(400, { message: `invalid request body: ${(error as Error).message}` });
    }
    const statements = 'queries' in body ? body.queries : [body];
    if (takeFault(statements.map((q) => `${q.query} ${JSON.stringify(q.params ?? [])}`))) {
      return reply(503, { message: 'injected outage: the database is unreachable' });
    }
    let client: pg.PoolClient;
    try {
      client = await poolFor(connectionString).connect();
    } catch (error) {
      // Neon answers an unreachable compute with a 5xx; the driver reports it as a server error.
      return reply(503, { message: `could not connect to the database: ${(error as Error).message}` });
    }
    try {
      if ('queries' in body) {
        const level = isolationLevels[String(req.headers['neon-batch-isolation-level'])] ?? 'READ COMMITTED';
        const readOnly = req.headers['neon-batch-read-only'] === 'true' ? 'READ ONLY' : 'READ WRITE';
        const deferrable = req.headers['neon-batch-deferrable'] === 'true' ? 'DEFERRABLE' : 'NOT DEFERRABLE';
        await client.query(`BEGIN ISOLATION LEVEL ${level} ${readOnly} ${deferrable}`);
        try {
          const results = [];
          for (const query of body.queries) results.push(toNeonResult(await run(client, query)));
          await client.query('COMMIT');
          reply(200, { results });
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
      } else {
        reply(200, toNeonResult(await run(client, body)));
      }
    } catch (error) {
      const pgError = error as Record<string, unknown> & { message: string };
      const fields = Object.fromEntries(errorFields.map((name) => [name, pgError[name]]));
      reply(400, { message: pgError.message, ...fields });
    } finally {
      client.release();
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: (error as Error).message }));
    });
  });
  const port = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    endpoint: `http://127.0.0.1:${port}/sql`,
    port,
    faultsUrl: `http://127.0.0.1:${port}/__faults`,
    async close() {
      server.closeAllConnections();
      await stopListening(server);
      await Promise.all([...pools.values()].map((pool) => pool.end()));
    },
  };
}
