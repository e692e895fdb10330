// The transactional outbox (STYLE §10): side effects of a recorded outcome or an edit (notices,
// Salesforce writes) are rows written in the same transaction, then carried out by the outbox worker,
// leased like inbound messages so several processes share the work without doing it twice.
import type { Kysely } from 'kysely';

export const outbox = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      /** What to do: notice | salesforce (each has its handler in src/outbound/). */
      .addColumn('kind', 'text', (c) => c.notNull())
      /** Idempotency: one row per key, e.g. `notice:failure:<inbound id>` (a second enqueue is a no-op). */
      .addColumn('key', 'text', (c) => c.notNull().unique())
      /** JSON: what the handler needs. */
      .addColumn('payload', 'text', (c) => c.notNull())
      /** queued | sending | sent | failed | cancelled */
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      /** Not before this time (retry backoff, a paused integration). */
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('done_at', 'text')
      .execute();
    await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'due_at']).execute();
    await db.schema
      .createIndex('outbox_by_workspace')
      .on('outbox')
      .columns(['workspace_id', 'kind', 'created_at'])
      .execute();
  },
};
