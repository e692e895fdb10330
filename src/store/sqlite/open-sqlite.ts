// The embedded store: one SQLite file through better-sqlite3, durable on every commit.
import { StorableTextPlugin } from '../storable-text-plugin.js';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase as SqliteDialectDatabase } from 'kysely';
import type { Database } from '../schema.js';

/**
 * Opens (creating it and its folder when missing) the SQLite file at `path`, or `:memory:`; `readonly`
 * opens an existing file for reading beside a writer elsewhere in the process.
 */
export function openSqlite(path: string, { readonly = false } = {}): Kysely<Database> {
  if (path !== ':memory:' && !readonly) mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path, { readonly, fileMustExist: readonly });
  if (!readonly) {
    // WAL lets readers run beside the writer; synchronous=FULL fsyncs the WAL at every commit, so an
    // acknowledged message survives power loss (SPEC §2).
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    // SPEC §11: what never-log, no-body, retention and erasure delete must not stay readable in the
    // file's freed pages; SQLite then overwrites deleted content with zeros.
    sqlite.pragma('secure_delete = ON');
  }
  // busy_timeout covers a CLI beside `start`.
  sqlite.pragma('busy_timeout = 5000');
  // The directory lookups are index seeks: keep the hot B-tree pages in memory. SQLite's default page
  // cache is 2 MB; a 1M-user directory's indexes are a few hundred MB (measured: median resolution at
  // 1M users 1.55× the 10k figure with the default cache).
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 1073741824');
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    plugins: [new StorableTextPlugin()],
  });
}

/**
 * Statements compiled once per SQL text. Kysely's SQLite driver prepares every query anew; the same
 * query shapes run for every message, and preparing was a quarter of the processing time (measured).
 */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDialectDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (statement === undefined) {
        statement = sqlite.prepare(text);
        // IN lists of every length make distinct texts: keep the cache bounded.
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value ?? '');
        cache.set(text, statement);
      }
      return statement;
    },
  };
}

const STATEMENT_CACHE_SIZE = 1000;
