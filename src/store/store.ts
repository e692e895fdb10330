// Opening the store: picks the adapter for the configured database and brings its schema up to date.
import { sql, type Kysely } from 'kysely';
import type { DatabaseConfig } from '../config.js';
import { POSTGRES_CAPABILITIES, SQLITE_CAPABILITIES, type StoreCapabilities } from './capabilities.js';
import { migrateToLatest } from './migrate.js';
import { currentSchema, openPostgres } from './postgres/open-postgres.js';
import type { Database } from './schema.js';
import { openSqlite } from './sqlite/open-sqlite.js';

export interface Store {
  readonly db: Kysely<Database>;
  readonly capabilities: StoreCapabilities;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openStore(database: DatabaseConfig): Promise<Store> {
  const [db, capabilities] =
    database.kind === 'sqlite'
      ? [openSqlite(database.path), SQLITE_CAPABILITIES]
      : [openPostgres(database.url), POSTGRES_CAPABILITIES];
  try {
    await migrateToLatest(
      db,
      capabilities,
      database.kind === 'postgres' ? await currentSchema(db) : undefined,
    );
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    db,
    capabilities,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
