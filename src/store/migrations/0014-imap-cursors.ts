// What the IMAP intake took from each mailbox (SPEC §2.3): the mailbox's UIDVALIDITY and the highest UID
// stored, so mail a person opened (\Seen) before the poll is taken too, and nothing is taken twice.
import type { Kysely } from 'kysely';

export const imapCursors = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('imap_cursors')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      /** user@host[:port]/MAILBOX: the mailbox, without its password. */
      .addColumn('mailbox', 'text', (c) => c.notNull())
      /** RFC 3501 §2.3.1.1: UIDs hold only while UIDVALIDITY is unchanged (32-bit unsigned, in decimal). */
      .addColumn('uid_validity', 'text', (c) => c.notNull())
      /** The highest UID stored; UIDs are 32-bit unsigned, past a PostgreSQL integer. */
      .addColumn('last_uid', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('imap_cursors_pk', ['workspace_id', 'mailbox'])
      .execute();
  },
};
