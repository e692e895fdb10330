// Reads every column of every table of a store (STYLE §15: deletion is verified where the data lives):
// where a string still is, whatever the API shows. Text is compared case-insensitively; bytes as UTF-8.
import { sql } from 'kysely';
import type { Store } from '../../src/store/store.js';

/** `table.column` of every value that holds `needle` (lower-cased comparison), one entry per column. */
export async function columnsHolding(store: Store, needle: string): Promise<string[]> {
  const wanted = needle.toLowerCase();
  const found = new Set<string>();
  for (const table of await tablesOf(store)) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(store.db);
    for (const row of rows)
      for (const [column, value] of Object.entries(row))
        if (textOf(value).toLowerCase().includes(wanted)) found.add(`${table}.${column}`);
  }
  return [...found].sort();
}

function textOf(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'string') return value;
  return value === null || value === undefined ? '' : JSON.stringify(value);
}

/** The store's own tables: on PostgreSQL only those of the connection's schema (tests share a database). */
async function tablesOf(store: Store): Promise<string[]> {
  const tables = await store.db.introspection.getTables({ withInternalKyselyTables: true });
  const schemas = new Set(tables.flatMap((t) => (t.schema === undefined ? [] : [t.schema])));
  if (schemas.size === 0) return tables.map((t) => t.name);
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db);
  const current = rows[0]?.schema;
  return tables.filter((t) => t.schema === current).map((t) => t.name);
}
