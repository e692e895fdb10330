// Versioned migrations, run at every start before anything touches the store.
import type { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { StoreCapabilities } from './capabilities.js';
import { initialSchema } from './migrations/0001-initial.js';
import { inboundLeases } from './migrations/0002-inbound-leases.js';
import { apiTokens } from './migrations/0003-api-tokens.js';
import { senderAuthentication } from './migrations/0004-sender-authentication.js';
import { coveringIndexes } from './migrations/0005-covering-indexes.js';
import { outbox } from './migrations/0006-outbox.js';
import { auditLog } from './migrations/0007-audit-log.js';
import { sessions } from './migrations/0008-sessions.js';
import { directoryAdmin } from './migrations/0009-directory-admin.js';
import { touchpointEditsInboundLog } from './migrations/0010-touchpoint-edits-inbound-log.js';
import { notices } from './migrations/0011-notices.js';
import { salesforce } from './migrations/0012-salesforce.js';
import { signInFailures } from './migrations/0013-sign-in-failures.js';
import { imapCursors } from './migrations/0014-imap-cursors.js';
import { accountHealth } from './migrations/0016-account-health.js';
import { privacy } from './migrations/0017-privacy.js';
import { invitations } from './migrations/0018-invitations.js';
import type { Database } from './schema.js';

/** Migrations in order; names sort as they apply. Never edit one that has shipped: add the next. */
export function migrations(capabilities: StoreCapabilities) {
  return {
    '0001-initial': initialSchema(capabilities),
    '0002-inbound-leases': inboundLeases,
    '0003-api-tokens': apiTokens,
    '0004-sender-authentication': senderAuthentication,
    '0005-covering-indexes': coveringIndexes,
    '0006-outbox': outbox,
    '0007-audit-log': auditLog,
    '0008-sessions': sessions,
    '0009-directory-admin': directoryAdmin,
    '0010-touchpoint-edits-inbound-log': touchpointEditsInboundLog,
    '0011-notices': notices,
    '0012-salesforce': salesforce,
    '0013-sign-in-failures': signInFailures,
    '0014-imap-cursors': imapCursors,
    '0016-account-health': accountHealth,
    '0017-privacy': privacy,
    '0018-invitations': invitations,
  };
}

/** Brings the schema up to date; throws with the failing migration's name. */
export async function migrateToLatest(
  db: Kysely<Database>,
  capabilities: StoreCapabilities,
  /** Where the migration bookkeeping lives (PostgreSQL: the connection's current schema). */
  migrationTableSchema?: string,
): Promise<void> {
  const migrator = new Migrator({
    db,
    ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }),
    provider: { getMigrations: () => Promise.resolve(migrations(capabilities)) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const reason = error instanceof Error ? error.message : JSON.stringify(error);
    throw new Error(`Store migration ${failed} failed: ${reason}`, { cause: error });
  }
}
