// Salesforce sync (SPEC §8, §9): per-workspace settings with encrypted credentials, and the sync state
// of each touchpoint (synced, pending, failed with its reason, paused).
import type { Kysely } from 'kysely';

export const salesforce = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('salesforce_settings')
      .addColumn('workspace_id', 'text', (c) =>
        c.primaryKey().references('workspaces.id').onDelete('cascade'),
      )
      .addColumn('enabled', 'integer', (c) => c.notNull())
      /** client-credentials | username-password */
      .addColumn('auth_flow', 'text', (c) => c.notNull())
      /** Where tokens come from: https://login.salesforce.com or the org's My Domain URL. */
      .addColumn('login_url', 'text', (c) => c.notNull())
      /** e.g. 62.0 */
      .addColumn('api_version', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text')
      /** Sealed (src/secrets/secret-box.ts): never plaintext. */
      .addColumn('client_secret', 'text')
      .addColumn('username', 'text')
      /** Sealed. */
      .addColumn('password', 'text')
      /** Sealed; appended to the password in the username-password flow. */
      .addColumn('security_token', 'text')
      /** The Task's external-id field carrying the touchpoint id, e.g. Touchmail_Id__c. */
      .addColumn('external_id_field', 'text', (c) => c.notNull())
      /** JSON: which Task field gets subject, description, activity date, type, status. */
      .addColumn('field_mapping', 'text', (c) => c.notNull())
      /** Pause when less than this share of the daily API allocation remains (0 = never). */
      .addColumn('pause_below_share', 'double precision', (c) => c.notNull())
      .addColumn('paused_until', 'text')
      .addColumn('pause_reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('salesforce_sync')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('touchpoint_id', 'text', (c) => c.notNull())
      /** pending | synced | failed | paused */
      .addColumn('status', 'text', (c) => c.notNull())
      /** The Task's Salesforce id, once known. */
      .addColumn('task_id', 'text')
      /** Why it is not synced (yet), in plain words. */
      .addColumn('last_error', 'text')
      /** Calls to Salesforce for this touchpoint since it was last queued. */
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      /**
       * Bumped each time the touchpoint is queued again (an edit, a re-sync): an attempt that began
       * before the bump does not mark the newer version synced.
       */
      .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('synced_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('salesforce_sync_pk', ['workspace_id', 'touchpoint_id'])
      .execute();
  },
};
