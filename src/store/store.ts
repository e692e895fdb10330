// Opening the store: picks the adapter for the configured database and brings its schema up to date.
import { sql, type Kysely } from 'kysely';
import { DEFAULT_PG_POOL_SIZE, type DatabaseConfig } from '../config.js';
import { POSTGRES_CAPABILITIES, SQLITE_CAPABILITIES, type StoreCapabilities } from './capabilities.js';
import { migrateToLatest } from './migrate.js';
import { currentSchema, openPostgres } from './postgres/open-postgres.js';
import type { Database } from './schema.js';
import { openSqlite } from './sqlite/open-sqlite.js';

export interface Store {
  readonly db: Kysely<Database>;
  readonly capabilities: StoreCapabilities;
  /** Where the store lives: what another thread opens to read it too. */
  readonly database: DatabaseConfig;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Connections of a store opened outside a node's budget (tests, `migrate-store`'s target). */
const DEFAULT_CONNECTIONS = DEFAULT_PG_POOL_SIZE;

/** Opens and migrates the store; on PostgreSQL with a pool of at most `connections`. */
export async function openStore(
  database: DatabaseConfig,
  connections: number = DEFAULT_CONNECTIONS,
): Promise<Store> {
  const [db, capabilities] =
    database.kind === 'sqlite'
      ? [openSqlite(database.path), SQLITE_CAPABILITIES]
      : [openPostgres(database.url, connections), POSTGRES_CAPABILITIES];
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
  return storeOf(db, capabilities, database);
}

/** Whether another thread of the process can open the store too (an in-memory SQLite cannot). */
export function readableFromOtherThreads(database: DatabaseConfig): boolean {
  return database.kind === 'postgres' || database.path !== ':memory:';
}

/**
 * A second, read-only connection to a store another part of the process opened (and migrated): for
 * evaluation threads. SQLite's WAL lets it read beside the writer; on PostgreSQL it is a pool of the
 * thread's share of the node's connections (config.postgresPool.perThread).
 */
export function openStoreReader(database: DatabaseConfig, connections: number): Store {
  return database.kind === 'sqlite'
    ? storeOf(openSqlite(database.path, { readonly: true }), SQLITE_CAPABILITIES, database)
    : storeOf(openPostgres(database.url, connections), POSTGRES_CAPABILITIES, database);
}

function storeOf(db: Kysely<Database>, capabilities: StoreCapabilities, database: DatabaseConfig): Store {
  return {
    db,
    capabilities,
    database,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
