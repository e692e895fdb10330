// Invitations (issue 18): an admin invites a login by a one-time sign-in link that sets its password.
// Only the SHA-256 digest of the link's random token is kept, like API tokens and sessions.
import type { Kysely } from 'kysely';

export const invitations = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('invitations')
      /** SHA-256 of the token, hex. */
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('login_email', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();
    await db.schema
      .createIndex('invitations_by_login')
      .on('invitations')
      .columns(['workspace_id', 'login_email'])
      .execute();
  },
};
