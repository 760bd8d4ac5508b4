// The Neon HTTP stand-in, driven by the real @neondatabase/serverless driver and drizzle: single
// queries, batches as transactions, Postgres errors as Neon reports them, injected outages.
import { neon, neonConfig } from '@neondatabase/serverless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../db/migrate.ts';
import { type NeonHttpServer, startNeonHttpServer } from '../../dev/neon-http-server.ts';
import { TEST_DATABASE_URL } from '../support/services.ts';

let server: NeonHttpServer;

beforeAll(async () => {
  await migrateDatabase(TEST_DATABASE_URL);
  server = await startNeonHttpServer();
  neonConfig.fetchEndpoint = server.endpoint;
});
afterAll(() => server.close());

describe('Neon HTTP stand-in', () => {
  it('answers queries with typed values', async () => {
    const sql = neon(TEST_DATABASE_URL);
    const [row] =
      await sql`select 1::int as one, 'x'::text as text, now() as at, null::text as nothing, '{"a":1}'::jsonb as doc`;
    expect(row).toMatchObject({ one: 1, text: 'x', nothing: null, doc: { a: 1 } });
    expect(row?.at).toBeInstanceOf(Date);
  });

  it('runs a batch as one transaction: a failing statement rolls back the others', async () => {
    const sql = neon(TEST_DATABASE_URL);
    const id = `neon-test-${crypto.randomUUID()}`;
    await expect(
      sql.transaction([
        sql`insert into guilds (guild_id) values (${id})`,
        sql`insert into guilds (guild_id) values (${id})`,
      ]),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await sql`select * from guilds where guild_id = ${id}`).toEqual([]);
  });

  it('reports Postgres errors with their SQLSTATE', async () => {
    const sql = neon(TEST_DATABASE_URL);
    await expect(sql`select * from no_such_table`).rejects.toMatchObject({ code: '42P01' });
  });

  it('fails matching requests while an outage is injected, then recovers', async () => {
    const sql = neon(TEST_DATABASE_URL);
    const marker = crypto.randomUUID();
    await fetch(server.faultsUrl, { method: 'POST', body: JSON.stringify({ match: marker, count: 1 }) });
    await expect(sql`select ${marker}::text as m`).rejects.toThrow(/503/);
    expect(await sql`select ${marker}::text as m`).toEqual([{ m: marker }]);
  });

  it('says so when the database itself is unreachable', async () => {
    const sql = neon('postgres://postgres@127.0.0.1:9/nowhere');
    await expect(sql`select 1`).rejects.toThrow(/503/);
  });
});
