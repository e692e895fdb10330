// The directory as the API edits and lists it (issue 6): folded search text on accounts and users, and
// indexes for the lists — children of an account, members of an account in user order, and an
// account's timeline newest first with the id as tie-break (so a page never sorts).
import { sql, type Kysely } from 'kysely';
import { searchTextOf } from '../../domain/search-text.js';

/** Rows rewritten per statement batch while filling the new column. */
const BACKFILL_CHUNK = 1000;

export const directoryAdmin = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const table of ['accounts', 'users'] as const)
      await db.schema
        .alterTable(table)
        .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
    await backfill(db, 'accounts', (row) => searchTextOf([row.id, row.name]));
    await backfill(db, 'users', (row) => searchTextOf([row.id, row.email, row.name]));

    await db.schema
      .createIndex('accounts_by_parent')
      .on('accounts')
      .columns(['workspace_id', 'parent_id', 'id'])
      .execute();
    await db.schema.dropIndex('memberships_by_account').execute();
    await db.schema
      .createIndex('memberships_by_account')
      .on('memberships')
      .columns(['workspace_id', 'account_id', 'user_id'])
      .execute();
    await db.schema.dropIndex('touchpoints_by_account_time').execute();
    await db.schema
      .createIndex('touchpoints_by_account_time')
      .on('touchpoints')
      .columns(['workspace_id', 'account_id', 'occurred_at', 'id'])
      .execute();
  },
};

interface DirectoryRow {
  workspace_id: string;
  id: string;
  name: string;
  email: string | null;
}

/** Fills search_text of every stored row, in primary-key order, a chunk at a time. */
async function backfill(
  db: Kysely<unknown>,
  table: 'accounts' | 'users',
  text: (row: DirectoryRow) => string,
): Promise<void> {
  const email = table === 'users' ? sql.ref('email') : sql<null>`null`;
  let after: { workspace_id: string; id: string } | null = null;
  for (;;) {
    const page: { rows: DirectoryRow[] } = await sql<DirectoryRow>`
      select workspace_id, id, name, ${email} as email from ${sql.table(table)}
      ${after === null ? sql`` : sql`where workspace_id > ${after.workspace_id} or (workspace_id = ${after.workspace_id} and id > ${after.id})`}
      order by workspace_id, id limit ${BACKFILL_CHUNK}`.execute(db);
    for (const row of page.rows)
      await sql`update ${sql.table(table)} set search_text = ${text(row)}
        where workspace_id = ${row.workspace_id} and id = ${row.id}`.execute(db);
    const last = page.rows.at(-1);
    if (last === undefined || page.rows.length < BACKFILL_CHUNK) return;
    after = { workspace_id: last.workspace_id, id: last.id };
  }
}
