// Migration 0010 on a store that already holds mail: messages stored before it get their sender columns
// (the From address read from the raw header, the envelope sender normalised), so the log's sender
// filter finds old mail too.
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { describe, expect, it } from 'vitest';
import {
  POSTGRES_CAPABILITIES,
  SQLITE_CAPABILITIES,
  type StoreCapabilities,
} from '../../src/store/capabilities.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { initialSchema } from '../../src/store/migrations/0001-initial.js';
import { inboundLeases } from '../../src/store/migrations/0002-inbound-leases.js';
import { apiTokens } from '../../src/store/migrations/0003-api-tokens.js';
import { senderAuthentication } from '../../src/store/migrations/0004-sender-authentication.js';
import { coveringIndexes } from '../../src/store/migrations/0005-covering-indexes.js';
import { outbox } from '../../src/store/migrations/0006-outbox.js';
import { auditLog } from '../../src/store/migrations/0007-audit-log.js';
import { currentSchema, openPostgres } from '../../src/store/postgres/open-postgres.js';
import type { Database } from '../../src/store/schema.js';
import { openSqlite } from '../../src/store/sqlite/open-sqlite.js';
import { freshPostgresUrl, STORE_KINDS, tempDir } from '../support/stores.js';

const pgUrl = process.env.TOUCHMAIL_TEST_PG_URL;

async function open(kind: 'sqlite' | 'postgres'): Promise<{
  db: Kysely<Database>;
  capabilities: StoreCapabilities;
  schema: string | undefined;
}> {
  if (kind === 'sqlite')
    return {
      db: openSqlite(join(tempDir(), 'old.db')),
      capabilities: SQLITE_CAPABILITIES,
      schema: undefined,
    };
  if (pgUrl === undefined) throw new Error('no PostgreSQL');
  const db = openPostgres(await freshPostgresUrl(pgUrl), 2);
  return { db, capabilities: POSTGRES_CAPABILITIES, schema: await currentSchema(db) };
}

describe.each(STORE_KINDS.map((k) => k.name))('migration 0010 on %s', (kind) => {
  it('fills the sender columns of messages stored before it', async () => {
    const { db, capabilities, schema } = await open(kind);
    try {
      const before = new Migrator({
        db,
        ...(schema === undefined ? {} : { migrationTableSchema: schema }),
        provider: {
          getMigrations: () =>
            Promise.resolve({
              '0001-initial': initialSchema(capabilities),
              '0002-inbound-leases': inboundLeases,
              '0003-api-tokens': apiTokens,
              '0004-sender-authentication': senderAuthentication,
              '0005-covering-indexes': coveringIndexes,
              '0006-outbox': outbox,
              '0007-audit-log': auditLog,
            }),
        },
      });
      expect((await before.migrateToLatest()).error).toBeUndefined();
      const at = '2026-11-26T12:00:00.000Z';
      await db
        .insertInto('workspaces')
        .values({
          id: 'acme',
          name: 'Acme',
          default_flow: 'Default',
          default_reason: null,
          sender_auth_policy: 'off',
          created_at: at,
          updated_at: at,
        })
        .execute();
      const message = (from: string) =>
        Buffer.from(
          `Subject: hi\r\nFrom: Jill\r\n  <${from}>\r\nTo: bob@globex.com\r\n\r\nFrom: not@header.example\r\n`,
        );
      for (const [id, mailFrom, raw] of [
        ['m1', '<Jill@ACME.com>', message('Jill@Acme.COM')],
        ['m2', '', Buffer.from('Subject: no from\r\n\r\nbody\r\n')],
        ['m3', null, message('sam@acme.com')],
      ] as const)
        await db
          .insertInto('inbound_messages')
          .values({
            id,
            workspace_id: 'acme',
            received_at: at,
            channel: 'smtp',
            raw,
            raw_size: raw.byteLength,
            raw_sha256: id,
            mail_from: mailFrom,
            rcpt_to: '[]',
            status: 'queued',
            reason: null,
            outcome: null,
            touchpoint_id: null,
            updated_at: at,
          })
          .execute();

      await migrateToLatest(db, capabilities, schema);
      const rows = await db
        .selectFrom('inbound_messages')
        .select(['id', 'from_address', 'envelope_sender'])
        .orderBy('id')
        .execute();
      expect(rows).toEqual([
        { id: 'm1', from_address: 'jill@acme.com', envelope_sender: 'jill@acme.com' },
        { id: 'm2', from_address: null, envelope_sender: null },
        { id: 'm3', from_address: 'sam@acme.com', envelope_sender: null },
      ]);
    } finally {
      await db.destroy();
    }
  });
});
