// Account health (SPEC §13, issue 20): each account's last touch on its row, and its touchpoints counted
// per UTC day, kept by the write path (store/account-health-repository.ts) so the accounts list sorts,
// filters and shows the 30/90-day figures without reading timelines. Numbered 0016 so that a 0015 of
// another branch merges beside it.
import { sql, type Kysely } from 'kysely';

export const accountHealth = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('accounts')
      // '' when never touched (not null): the empty string sorts before every ISO time in both engines
      // and every collation, so "never touched first" and `lastTouchAt < T` need no NULLS FIRST (which
      // PostgreSQL and SQLite order differently) and one index serves the sort, the filter and the cursor.
      .addColumn('last_touch_at', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await db.schema.alterTable('accounts').addColumn('last_touch_by', 'text').execute();
    /** The touchpoint that is the last touch: ties on occurredAt go to the greater id, as the recount. */
    await db.schema.alterTable('accounts').addColumn('last_touch_id', 'text').execute();
    /** The earliest touchpoint dated after the last write: when it comes due, the last touch moves. */
    await db.schema.alterTable('accounts').addColumn('next_touch_at', 'text').execute();

    await db.schema
      .createTable('account_touch_days')
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      /** YYYY-MM-DD, the UTC day of occurredAt. */
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('touchpoints', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('account_touch_days_pk', ['workspace_id', 'account_id', 'day'])
      .addForeignKeyConstraint(
        'account_touch_days_account_fk',
        ['workspace_id', 'account_id'],
        'accounts',
        ['workspace_id', 'id'],
        (c) => c.onDelete('cascade'),
      )
      .execute();

    // The list's orders, each ending in the id so a page never sorts and a cursor is a seek:
    // coldest first (and `notTouchedSince`, a range of it), warmest first (ties still by name), by name.
    await db.schema
      .createIndex('accounts_by_last_touch')
      .on('accounts')
      .columns(['workspace_id', 'last_touch_at', 'name', 'id'])
      .execute();
    await db.schema
      .createIndex('accounts_by_last_touch_desc')
      .on('accounts')
      .columns(['workspace_id', 'last_touch_at desc', 'name', 'id'])
      .execute();
    await db.schema
      .createIndex('accounts_by_name')
      .on('accounts')
      .columns(['workspace_id', 'name', 'id'])
      .execute();
    await db.schema
      .createIndex('accounts_by_next_touch')
      .on('accounts')
      .columns(['workspace_id', 'next_touch_at'])
      .execute();

    // Figures of the touchpoints stored before this migration.
    await sql`insert into account_touch_days (workspace_id, account_id, day, touchpoints)
      select workspace_id, account_id, substr(occurred_at, 1, 10), count(*) from touchpoints
      group by workspace_id, account_id, substr(occurred_at, 1, 10)`.execute(db);
    const now = new Date().toISOString();
    const newest = (column: string) => sql`(select ${sql.ref(`t.${column}`)} from touchpoints t
      where t.workspace_id = accounts.workspace_id and t.account_id = accounts.id and t.occurred_at <= ${now}
      order by t.occurred_at desc, t.id desc limit 1)`;
    await sql`update accounts set
      last_touch_at = coalesce(${newest('occurred_at')}, ''),
      last_touch_by = ${newest('author_email')},
      last_touch_id = ${newest('id')},
      next_touch_at = (select min(t.occurred_at) from touchpoints t
        where t.workspace_id = accounts.workspace_id and t.account_id = accounts.id and t.occurred_at > ${now})`.execute(
      db,
    );
  },
};
