// Covering indexes for the account rules: each directory read is answered from one index, with no
// second descent into the table (measured with the resolution benchmark at 10k, 100k and 1M users).
import type { Kysely } from 'kysely';

export const coveringIndexes = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('users_by_email').execute();
    await db.schema
      .createIndex('users_by_email')
      .on('users')
      .columns(['workspace_id', 'email', 'id'])
      .execute();
    await db.schema.dropIndex('users_by_email_domain').execute();
    await db.schema
      .createIndex('users_by_email_domain')
      .on('users')
      .columns(['workspace_id', 'email_domain', 'id'])
      .execute();
    await db.schema
      .createIndex('memberships_by_user')
      .on('memberships')
      .columns(['workspace_id', 'user_id', 'account_id', 'associated_at'])
      .execute();
  },
};
