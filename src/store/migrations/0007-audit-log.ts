// The audit log: who changed what and when, for settings, the directory, integrations and assignments
// (issue 6: settings are "admin-only and audited").
import type { Kysely } from 'kysely';

export const auditLog = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('at', 'text', (c) => c.notNull())
      /** actorOf(principal): a login's email, `token:<id>` or `admin-token`. */
      .addColumn('actor', 'text', (c) => c.notNull())
      /** What was done, dotted: `settings.update`, `account.delete`, `inbound.assign`, … */
      .addColumn('action', 'text', (c) => c.notNull())
      /** The object acted on (an id or address), when there is one. */
      .addColumn('subject', 'text')
      /** JSON: the fields before and after (secrets never written here). */
      .addColumn('changes', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('audit_by_workspace')
      .on('audit_log')
      .columns(['workspace_id', 'at'])
      .execute();
  },
};
