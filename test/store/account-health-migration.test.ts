// Migration 0016 on a store that already holds touchpoints: every account gets its last touch (not a
// future-dated one) and its touchpoints per day, so health shows for history recorded before it.
import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { describe, expect, it } from 'vitest';
import { SQLITE_CAPABILITIES, POSTGRES_CAPABILITIES } from '../../src/store/capabilities.js';
import { migrateToLatest, migrations } from '../../src/store/migrate.js';
import { currentSchema, openPostgres } from '../../src/store/postgres/open-postgres.js';
import type { Database } from '../../src/store/schema.js';
import { openSqlite } from '../../src/store/sqlite/open-sqlite.js';
import { freshPostgresUrl, STORE_KINDS, tempDir } from '../support/stores.js';
import { join } from 'node:path';

const pgUrl = process.env.TOUCHMAIL_TEST_PG_URL;

describe.each(STORE_KINDS.map((k) => k.name))('migration 0016 on %s', (kind) => {
  it('counts the touchpoints stored before it into each account', async () => {
    const capabilities = kind === 'sqlite' ? SQLITE_CAPABILITIES : POSTGRES_CAPABILITIES;
    let db: Kysely<Database>;
    if (kind === 'sqlite') db = openSqlite(join(tempDir(), 'old.db'));
    else if (pgUrl === undefined) throw new Error('no PostgreSQL');
    else db = openPostgres(await freshPostgresUrl(pgUrl), 2);
    const schema = kind === 'sqlite' ? undefined : await currentSchema(db);
    try {
      const before = await new Migrator({
        db,
        ...(schema === undefined ? {} : { migrationTableSchema: schema }),
        provider: { getMigrations: () => Promise.resolve(migrations(capabilities)) },
      }).migrateTo('0014-imap-cursors');
      expect(before.error).toBeUndefined();
      const at = '2026-01-01T00:00:00.000Z';
      await sql`insert into workspaces (id, name, default_flow, sender_auth_policy, created_at, updated_at)
        values ('acme', 'Acme', 'Default', 'off', ${at}, ${at})`.execute(db);
      for (const id of ['globex', 'initech'])
        await sql`insert into accounts (workspace_id, id, name, attributes, default_bcc, search_text, created_at, updated_at)
          values ('acme', ${id}, ${id}, '{}', 0, ${id}, ${at}, ${at})`.execute(db);
      const future = new Date(Date.now() + 86_400_000).toISOString();
      for (const [id, occurredAt, author] of [
        ['t1', '2026-03-01T10:00:00.000Z', 'jill@acme.com'],
        ['t2', '2026-03-01T12:00:00.000Z', 'sam@acme.com'],
        ['t3', future, 'jill@acme.com'],
      ] as const)
        await sql`insert into touchpoints (workspace_id, id, account_id, type, flow, subject, content_text,
            occurred_at, author_email, author_domain, trace, attachments, created_at, updated_at)
          values ('acme', ${id}, 'globex', 'Email', 'Default', 's', '', ${occurredAt}, ${author}, 'acme.com',
            '[]', '[]', ${at}, ${at})`.execute(db);

      await migrateToLatest(db, capabilities, schema);
      const accounts = await db
        .selectFrom('accounts')
        .select(['id', 'last_touch_at', 'last_touch_by', 'next_touch_at'])
        .orderBy('id')
        .execute();
      expect(accounts).toEqual([
        {
          id: 'globex',
          last_touch_at: '2026-03-01T12:00:00.000Z',
          last_touch_by: 'sam@acme.com',
          next_touch_at: future,
        },
        { id: 'initech', last_touch_at: '', last_touch_by: null, next_touch_at: null },
      ]);
      const days = await db
        .selectFrom('account_touch_days')
        .select(['day', 'touchpoints'])
        .orderBy('day')
        .execute();
      expect(days.map((d) => [d.day, Number(d.touchpoints)])).toEqual([
        ['2026-03-01', 2],
        [future.slice(0, 10), 1],
      ]);
    } finally {
      await db.destroy();
    }
  });
});
