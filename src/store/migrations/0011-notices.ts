// Notices (SPEC §7): a login's choice of success receipts, and one row per notice delivered to an
// address, which the per-recipient rate limit counts.
import type { Kysely } from 'kysely';

export const notices = {
  async up(db: Kysely<unknown>): Promise<void> {
    /** 1 = the login wants a receipt for every message logged from their mail (off by default). */
    await db.schema
      .alterTable('logins')
      .addColumn('receipts', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable('notice_sends')
      .addColumn('id', 'text', (c) => c.primaryKey())
      /** The outbox item (kind notice) that was delivered. */
      .addColumn('outbox_id', 'text', (c) => c.notNull())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      /** Normalized recipient address: the rate limit is per address, across workspaces. */
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('notice_sends_by_recipient')
      .on('notice_sends')
      .columns(['recipient', 'sent_at'])
      .execute();
  },
};
