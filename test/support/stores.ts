// The stores every contract test runs against: SQLite always; PostgreSQL when TOUCHMAIL_TEST_PG_URL is
// set (CI always sets it; a local run without it says so and skips, CI without it fails).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${schemaCounter++}`;
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

export function tempDir(prefix = 'touchmail-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export const STORE_KINDS: readonly StoreKind[] = [
  { name: 'sqlite', open: () => openStore({ kind: 'sqlite', path: join(tempDir(), 'touchmail.db') }) },
  ...(pgUrl === undefined
    ? []
    : [
        {
          name: 'postgres' as const,
          open: async () => openStore({ kind: 'postgres', url: await freshPostgresUrl(pgUrl) }),
        },
      ]),
];
