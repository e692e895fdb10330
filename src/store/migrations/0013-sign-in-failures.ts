// Failed sign-ins counted in the store, so every API node of a deployment shares one count (a guesser
// spreading attempts over nodes gets no more tries than against one).
import type { Kysely } from 'kysely';

export const signInFailures = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('sign_in_failures')
      /** SHA-256 (hex) of the email and client address tried: no address is kept in clear. */
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('count', 'integer', (c) => c.notNull())
      /** When the window of this count began. */
      .addColumn('since', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sign_in_failures_by_since').on('sign_in_failures').column('since').execute();
  },
};
