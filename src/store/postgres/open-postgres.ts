// The distributed store: PostgreSQL through a bounded pg pool, for several processes or machines.
import { StorableTextPlugin } from '../storable-text-plugin.js';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema.js';

/**
 * Opens a pool of at most `connections` (a share of the node's TOUCHMAIL_PG_POOL_SIZE, config.ts). The
 * connections name themselves `touchmail` in pg_stat_activity, so an operator can count them against
 * the budget (an `application_name` in the URL wins).
 */
export function openPostgres(url: string, connections: number): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: connections, application_name: 'touchmail' });
  // Durable commits whatever the server's default: a 250 or 2xx is only answered after the commit is
  // flushed (PostgreSQL groups concurrent commits into one WAL flush on its own: commit_delay aside).
  pool.on('connect', (client) => void client.query('SET synchronous_commit = on').catch(() => undefined));
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new StorableTextPlugin()],
  });
}

/**
 * The schema the connection writes to (the first of its search_path). Kysely's migrator must be told,
 * or it would take another schema's migration tables for its own.
 */
export async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (schema === undefined) throw new Error('PostgreSQL has no current schema: check search_path');
  return schema;
}
