// Where the key for secrets at rest comes from: TOUCHMAIL_SECRET_KEY when set; otherwise, on SQLite, a
// key file beside the database (created 0600 on first use, so a single-machine install works without a
// setting and the key travels with the database's directory, not inside it); on PostgreSQL nothing —
// several nodes must share one key, so it has to be configured.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { DatabaseConfig } from '../config.js';
import { secretBox, SecretKeyError, type SecretBox } from './secret-box.js';

/** The key file of a SQLite database: `<database file>.secret-key`. */
export function keyFileOf(databasePath: string): string {
  return `${databasePath}.secret-key`;
}

/** Reads the key file, or creates it (0600, exclusively, so two processes never make two keys). */
export function loadOrCreateKeyFile(path: string): Buffer {
  try {
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, `${randomBytes(32).toString('base64')}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new SecretKeyError(`The key file ${path} does not hold a 32-byte key.`);
  return key;
}

/** The secret box of this service, from the configured key or the SQLite default. */
export function configuredSecretBox(secretKey: Buffer | null, database: DatabaseConfig): SecretBox {
  let key: Buffer | null = secretKey;
  const keyOf = (): Buffer | null => {
    if (key !== null) return key;
    if (database.kind === 'sqlite')
      key = database.path === ':memory:' ? randomBytes(32) : loadOrCreateKeyFile(keyFileOf(database.path));
    return key;
  };
  return secretBox(
    keyOf,
    'This server has no TOUCHMAIL_SECRET_KEY: set it (32 random bytes, the same on every node) to store credentials.',
  );
}
