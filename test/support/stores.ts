// The stores every contract test runs against: SQLite always; PostgreSQL when TOUCHMAIL_TEST_PG_URL is
// set (CI always sets it; a local run without it says so and skips, CI without it fails).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/store.js';

export interface StoreKind {
  readonly name: 'sqlite' | 'postgres';
  /** A fresh, migrated, empty store. */
  open(): Promise<Store>;
}

const pgUrl = process.env.TOUCHMAIL_TEST_PG_URL;
if (pgUrl === undefined && process.env.CI !== undefined) {
  throw new Error(
    'CI must set TOUCHMAIL_TEST_PG_URL: the PostgreSQL contract tests may not be skipped there',
  );
}
if (pgUrl === undefined) {
  process.stderr.write('TOUCHMAIL_TEST_PG_URL is not set: PostgreSQL store tests are skipped on this run\n');
}

let schemaCounter = 0;

/** A fresh schema in the test database, so files and tests running at once never see each other's rows. */
export async function freshPostgresUrl(url: string): Promise<string> {
  const run = process.env.TOUCHMAIL_TEST_RUN ?? 'solo';
  const schema = `t_${run}_${process.pid}_${Date.now().toString(36)}_${schemaCounter++}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create schema ${schema}`);
  } finally {
    await client.end();
  }
  const withSchema = new URL(url);
  withSchema.searchParams.set('options', `-c search_path=${schema}`);
  return withSchema.toString();
}

/**
 * Drops the schemas freshPostgresUrl made in this process (for a run outside the test runner, such as
 * `npm run bench`, whose schemas the runner's teardown does not know of).
 */
export async function dropSchemasOfThisProcess(url: string): Promise<void> {
  const run = process.env.TOUCHMAIL_TEST_RUN ?? 'solo';
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>(
      'select nspname from pg_namespace where nspname like $1',
      [`t\\_${run}\\_${process.pid}\\_%`],
    );
    for (const { nspname } of rows) await client.query(`drop schema "${nspname}" cascade`);
  } finally {
    await client.end();
  }
}

export function tempDir(prefix = 'touchmail-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Migrated PostgreSQL schemas of this test process that a closed store gave back. Migrating a fresh
 * schema costs seconds on a busy machine (dozens of tables and indexes); a schema given back is emptied
 * (TRUNCATE, milliseconds) and handed to the next test instead. A store open at the same time as
 * another always gets a schema of its own.
 */
const freeSchemas: string[] = [];

async function openPostgresStore(base: string): Promise<Store> {
  const reused = freeSchemas.pop();
  const url = reused ?? (await freshPostgresUrl(base));
  const store = await openStore({ kind: 'postgres', url });
  if (reused !== undefined) await emptyAllTables(store);
  return {
    ...store,
    close: async () => {
      await store.close();
      freeSchemas.push(url);
    },
  };
}

async function emptyAllTables(store: Store): Promise<void> {
  const { rows } = await sql<{ tablename: string }>`
    select tablename from pg_tables
    where schemaname = current_schema() and tablename not like 'kysely_%'`.execute(store.db);
  if (rows.length === 0) return;
  await sql`truncate ${sql.join(rows.map((r) => sql.table(r.tablename)))} cascade`.execute(store.db);
}

export const STORE_KINDS: readonly StoreKind[] = [
  { name: 'sqlite', open: () => openStore({ kind: 'sqlite', path: join(tempDir(), 'touchmail.db') }) },
  ...(pgUrl === undefined
    ? []
    : [
        {
          name: 'postgres' as const,
          open: () => openPostgresStore(pgUrl),
        },
      ]),
];
