// Applies the generated SQL migrations in db/migrations, creating the database first if it is missing.
// `npm run db:migrate` runs this file; tests and `npm run dev` call migrateDatabase() directly.
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { createNodeDatabase } from './node.ts';

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) throw new Error('DATABASE_URL names no database');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      await client
        .query(`create database "${name.replaceAll('"', '""')}"`)
        .catch((error: { code?: string }) => {
          // Two processes may race to create it; the loser finds it there.
          if (error.code !== '42P04' && error.code !== '23505') throw error;
        });
    }
  } finally {
    await client.end();
  }
}

/** An arbitrary constant: the advisory lock that serialises concurrent migrators (relays, test projects). */
const MIGRATION_LOCK = 7_244_501;

export async function migrateDatabase(url: string): Promise<void> {
  await ensureDatabase(url);
  const db = createNodeDatabase(url, 2);
  const lock = await db.$client.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(db, { migrationsFolder });
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    lock.release();
    await db.$client.end();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/lockdown)');
    process.exit(1);
  }
  await migrateDatabase(url);
  console.log('migrations applied');
}
