// Sign-in for the web UI: a password hash per login (scrypt, parameters kept with the hash) and the
// sessions table (the cookie's random id is stored only as its SHA-256 digest, like API tokens).
import type { Kysely } from 'kysely';

export const sessions = {
  async up(db: Kysely<unknown>): Promise<void> {
    /** `scrypt$N$r$p$salt$hash` (base64url); null = this login cannot sign in with a password. */
    await db.schema.alterTable('logins').addColumn('password_hash', 'text').execute();
    await db.schema
      .createTable('sessions')
      /** SHA-256 of the cookie value, hex. */
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('login_email', 'text', (c) => c.notNull())
      /** The synchronizer token the UI sends as X-CSRF-Token on unsafe requests. */
      .addColumn('csrf_secret', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      /** Sliding: moved forward on use, never past created_at + the absolute lifetime. */
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema
      .createIndex('sessions_by_login')
      .on('sessions')
      .columns(['workspace_id', 'login_email'])
      .execute();
  },
};
