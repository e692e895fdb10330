// API tokens: bearer credentials scoped to one workspace, stored as SHA-256 digests (they are 256-bit
// random strings, so a slow KDF adds nothing), revocable.
import type { Kysely } from 'kysely';

export const apiTokens = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('digest', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      /** admin | member | intake (may only deliver mail) */
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('login_email', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
  },
};
