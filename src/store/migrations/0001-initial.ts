// The first schema: every entity of SPEC §1, each row scoped by its workspace, with the indexes the
// rules read through (user by email, accounts by user, users by domain, touchpoints by account/author/time).
import type { Kysely } from 'kysely';
import type { StoreCapabilities } from '../capabilities.js';

export function initialSchema(capabilities: StoreCapabilities) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('workspaces')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('default_flow', 'text', (c) => c.notNull())
        .addColumn('default_reason', 'text')
        .addColumn('sender_auth_policy', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('touchpoint_addresses')
        .addColumn('address', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
        .execute();
      await db.schema
        .createIndex('touchpoint_addresses_by_workspace')
        .on('touchpoint_addresses')
        .column('workspace_id')
        .execute();

      await db.schema
        .createTable('internal_domains')
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('domain', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('internal_domains_pk', ['workspace_id', 'domain'])
        .execute();

      await db.schema
        .createTable('logins')
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('logins_pk', ['workspace_id', 'email'])
        .execute();

      await db.schema
        .createTable('login_aliases')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('login_email', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('login_aliases_pk', ['workspace_id', 'address'])
        .addForeignKeyConstraint('login_aliases_login_fk', ['workspace_id', 'login_email'], 'logins', [
          'workspace_id',
          'email',
        ])
        .execute();

      await db.schema
        .createTable('accounts')
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('parent_id', 'text')
        .addColumn('attributes', 'text', (c) => c.notNull())
        .addColumn('default_bcc', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('accounts_pk', ['workspace_id', 'id'])
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('email', 'text')
        .addColumn('email_domain', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('users_pk', ['workspace_id', 'id'])
        .execute();
      await db.schema.createIndex('users_by_email').on('users').columns(['workspace_id', 'email']).execute();
      await db.schema
        .createIndex('users_by_email_domain')
        .on('users')
        .columns(['workspace_id', 'email_domain'])
        .execute();

      await db.schema
        .createTable('memberships')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('associated_at', 'text')
        .addColumn('is_contact', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('memberships_pk', ['workspace_id', 'user_id', 'account_id'])
        .addForeignKeyConstraint(
          'memberships_user_fk',
          ['workspace_id', 'user_id'],
          'users',
          ['workspace_id', 'id'],
          (c) => c.onDelete('cascade'),
        )
        .addForeignKeyConstraint(
          'memberships_account_fk',
          ['workspace_id', 'account_id'],
          'accounts',
          ['workspace_id', 'id'],
          (c) => c.onDelete('cascade'),
        )
        .execute();
      await db.schema
        .createIndex('memberships_by_account')
        .on('memberships')
        .columns(['workspace_id', 'account_id'])
        .execute();

      await db.schema
        .createTable('inbound_messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('raw', capabilities.binaryColumnType, (c) => c.notNull())
        .addColumn('raw_size', 'integer', (c) => c.notNull())
        .addColumn('raw_sha256', 'text', (c) => c.notNull())
        .addColumn('mail_from', 'text')
        .addColumn('rcpt_to', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('outcome', 'text')
        .addColumn('touchpoint_id', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('inbound_by_workspace_status')
        .on('inbound_messages')
        .columns(['workspace_id', 'status', 'received_at'])
        .execute();
      await db.schema
        .createIndex('inbound_by_status')
        .on('inbound_messages')
        .columns(['status', 'received_at'])
        .execute();
      await db.schema
        .createIndex('inbound_by_sha256')
        .on('inbound_messages')
        .columns(['workspace_id', 'raw_sha256'])
        .execute();

      await db.schema
        .createTable('touchpoints')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('flow', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('content_text', 'text', (c) => c.notNull())
        .addColumn('content_visible', 'text')
        .addColumn('content_html', 'text')
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('author_email', 'text', (c) => c.notNull())
        .addColumn('author_domain', 'text', (c) => c.notNull())
        .addColumn('scenario', 'text')
        .addColumn('message_key', 'text')
        .addColumn('content_key', 'text')
        .addColumn('inbound_id', 'text', (c) => c.references('inbound_messages.id'))
        .addColumn('trace', 'text', (c) => c.notNull())
        .addColumn('attachments', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('touchpoints_pk', ['workspace_id', 'id'])
        .addForeignKeyConstraint('touchpoints_account_fk', ['workspace_id', 'account_id'], 'accounts', [
          'workspace_id',
          'id',
        ])
        .execute();
      await db.schema
        .createIndex('touchpoints_by_account_time')
        .on('touchpoints')
        .columns(['workspace_id', 'account_id', 'occurred_at'])
        .execute();
      await db.schema
        .createIndex('touchpoints_by_author_account')
        .on('touchpoints')
        .columns(['workspace_id', 'author_email', 'account_id'])
        .execute();
      // Tie-break C2 asks, per candidate account, for recent touchpoints from one domain: seek by account
      // (candidates are few; a busy domain has thousands of touchpoints a week).
      await db.schema
        .createIndex('touchpoints_by_account_domain_time')
        .on('touchpoints')
        .columns(['workspace_id', 'account_id', 'author_domain', 'occurred_at'])
        .execute();
      await db.schema
        .createIndex('touchpoints_same_mail')
        .on('touchpoints')
        .columns(['workspace_id', 'account_id', 'message_key'])
        .unique()
        .execute();

      await db.schema
        .createIndex('touchpoints_same_content')
        .on('touchpoints')
        .columns(['workspace_id', 'account_id', 'content_key'])
        .execute();

      await db.schema
        .createTable('touchpoint_participants')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('touchpoint_id', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('side', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('touchpoint_participants_pk', ['workspace_id', 'touchpoint_id', 'email'])
        .addForeignKeyConstraint(
          'touchpoint_participants_touchpoint_fk',
          ['workspace_id', 'touchpoint_id'],
          'touchpoints',
          ['workspace_id', 'id'],
          (c) => c.onDelete('cascade'),
        )
        .execute();
    },
  };
}
