// Privacy and retention (SPEC §11): a workspace's never-log list, storage mode and retention periods;
// and an inbound message whose raw bytes are no longer kept, with when it was processed (retention
// counts from then).
import { sql, type Kysely } from 'kysely';

export const privacy = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('workspaces')
      .addColumn('never_log', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
    await db.schema
      .alterTable('workspaces')
      .addColumn('storage', 'text', (c) => c.notNull().defaultTo('full'))
      .execute();
    await db.schema.alterTable('workspaces').addColumn('raw_retention_days', 'integer').execute();
    await db.schema.alterTable('workspaces').addColumn('inbound_retention_days', 'integer').execute();

    // `raw` stays NOT NULL (SQLite cannot relax a column without rebuilding the table): a raw message no
    // longer kept is zero bytes with the time it went; readers see it as gone (inbound-repository.ts).
    await db.schema.alterTable('inbound_messages').addColumn('raw_deleted_at', 'text').execute();
    await db.schema.alterTable('inbound_messages').addColumn('processed_at', 'text').execute();
    await sql`update inbound_messages set processed_at = updated_at where status <> 'queued'`.execute(db);
    // Housekeeping's two selections (housekeeping.ts): raw messages still kept, by processing time; and
    // the entries that recorded nothing, by processing time.
    await db.schema
      .createIndex('inbound_raw_retention')
      .on('inbound_messages')
      .columns(['workspace_id', 'processed_at'])
      .where(sql.ref('raw_deleted_at'), 'is', null)
      .execute();
    await db.schema
      .createIndex('inbound_log_retention')
      .on('inbound_messages')
      .columns(['workspace_id', 'status', 'processed_at'])
      .execute();
  },
};
