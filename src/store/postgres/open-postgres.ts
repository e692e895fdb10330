// The distributed store: PostgreSQL through a bounded pg pool, for several processes or machines.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema.js';

/** Connections per process: enough for intake, workers and API to overlap, small enough for many nodes. */
const POOL_SIZE = 10;

export function openPostgres(url: string): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
