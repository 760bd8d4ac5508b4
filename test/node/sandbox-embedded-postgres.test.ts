// The embedded Postgres `npm run dev` uses without DATABASE_URL (PGlite behind a wire-protocol
// server, dev/embedded-postgres/): every client the project has must work against it at once — drizzle's
// migrator, the Neon HTTP stand-in (the Worker's database), and pg pools like the relay's — and
// concurrent connections must never see each other's half-finished protocol turns or transactions.
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeDatabase } from '../../db/edge.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { createNodeDatabase } from '../../db/node.ts';
import { guilds } from '../../db/schema.ts';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../../dev/embedded-postgres/server.ts';
import { type NeonHttpServer, startNeonHttpServer } from '../../dev/neon-http-server.ts';

let postgres: EmbeddedPostgres;
let neon: NeonHttpServer;

beforeAll(async () => {
  postgres = await startEmbeddedPostgres();
  neon = await startNeonHttpServer();
}, 60_000);

afterAll(async () => {
  await neon?.close();
  await postgres?.close();
});

describe('the embedded Postgres', () => {
  it('takes the migrations (twice, as a restart would) and serves drizzle over pg and over the Neon stand-in', async () => {
    await migrateDatabase(postgres.url);
    await migrateDatabase(postgres.url);
    const edge = createEdgeDatabase(postgres.url, { httpEndpoint: neon.endpoint });
    // A Neon batch is one transaction on the stand-in's pool.
    await edge.batch([
      edge.insert(guilds).values({ guildId: '1310000000000000991' }),
      edge.insert(guilds).values({ guildId: '1310000000000000992' }),
    ]);
    // The relay's kind of pool (10 connections), used concurrently.
    const node = createNodeDatabase(postgres.url, 10);
    try {
      const reads = await Promise.all(Array.from({ length: 12 }, () => node.select().from(guilds)));
      for (const rows of reads) expect(rows.map((r) => r.guildId)).toContain('1310000000000000992');
      await node.transaction(async (tx) => {
        await tx.update(guilds).set({ caseCounter: 7 }).where(sql`${guilds.guildId} = '1310000000000000991'`);
      });
      const [row] = await edge.select().from(guilds).where(sql`${guilds.guildId} = '1310000000000000991'`);
      expect(row?.caseCounter).toBe(7);
    } finally {
      await node.$client.end();
    }
  });

  it('keeps concurrent connections apart: parameterised queries, errors and transactions interleave safely', async () => {
    // pglite-socket's own multiplexer interleaves messages, so one client's Bind could meet another's
    // Parse on the shared unnamed statement; here a connection keeps the backend for a whole turn.
    const pool = new pg.Pool({ connectionString: postgres.url, max: 5 });
    pool.on('error', () => {});
    try {
      await pool.query('create table mux (id int primary key, owner int)');
      let wrong = 0;
      let unexpected = 0;
      let divisionErrors = 0;
      const client = async (owner: number) => {
        for (let i = 0; i < 30; i++) {
          const connection = await pool.connect();
          try {
            if (i % 3 === 0) {
              await connection.query('begin');
              await connection.query('insert into mux values ($1, $2)', [owner * 1000 + i, owner]);
              await new Promise((resolve) => setTimeout(resolve, 1));
              await connection.query('commit');
            } else if (i % 3 === 1) {
              await connection.query('select 1 / 0 where $1::int > 0', [1]).catch(() => divisionErrors++);
            } else {
              const { rows } = await connection.query('select $1::text || $2::text as v', [
                `a${owner}`,
                `b${i}`,
              ]);
              if (rows[0].v !== `a${owner}b${i}`) wrong++;
            }
          } catch {
            unexpected++;
          } finally {
            connection.release();
          }
        }
      };
      await Promise.all([1, 2, 3, 4, 5].map(client));
      expect({ wrong, unexpected, divisionErrors }).toEqual({ wrong: 0, unexpected: 0, divisionErrors: 50 });
      const { rows } = await pool.query('select count(*)::int as n from mux');
      expect(rows[0].n).toBe(50);
    } finally {
      await pool.end();
    }
  });

  it('rolls back a transaction whose client vanished, and lets the next connection in', async () => {
    const pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
    pool.on('error', () => {});
    const lost = new pg.Client({ connectionString: postgres.url });
    lost.on('error', () => {});
    try {
      await pool.query('create table vanish (id int primary key)');
      await lost.connect();
      await lost.query('begin');
      await lost.query('insert into vanish values (1)');
      const waiting = pool.query('select count(*)::int as n from vanish');
      (lost as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      expect((await waiting).rows[0].n).toBe(0);
    } finally {
      await pool.end();
    }
  });
});
