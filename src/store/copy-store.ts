// Copies every row of one store into another, empty one (`touchmail migrate-store`): SQLite → PostgreSQL
// when one machine is no longer enough, or back. One transaction on the target: all or nothing.
import type { Kysely, Transaction } from 'kysely';
import { rawBytesBefore } from './chunks.js';
import type { Database } from './schema.js';

/** How much one statement reads and writes: rows, and bytes of raw message (inbound rows carry whole messages). */
export interface CopyLimits {
  readonly rows: number;
  readonly rawBytes: number;
}

/**
 * 200 rows, and raw messages up to 64 MiB: PostgreSQL refuses a protocol message over 1 GB, which 200
 * messages of 25 MB (TOUCHMAIL_MAX_MESSAGE_BYTES) would pass several times over, and the copy holds
 * each statement's rows in memory.
 */
export const COPY_LIMITS: CopyLimits = Object.freeze({ rows: 200, rawBytes: 64 * 1024 * 1024 });

export type CopyProgress = (table: string, copied: number) => void;

export async function copyStore(
  from: Kysely<Database>,
  to: Kysely<Database>,
  progress: CopyProgress = () => undefined,
  limits: CopyLimits = COPY_LIMITS,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await to.transaction().execute(async (trx) => {
    await refuseNonEmpty(trx);
    // Each table is paged in its primary-key order and written in foreign-key order. Stop the service
    // first: the source must not change during the copy.
    const copy = async <Row>(
      table: keyof Database,
      read: (offset: number) => Promise<Row[]>,
      write: (rows: Row[]) => Promise<unknown>,
    ) => {
      let copied = 0;
      // Read from where the last statement ended: it may have taken fewer rows than it asked for.
      for (;;) {
        const rows = await read(copied);
        if (rows.length === 0) break;
        await write(rows);
        copied += rows.length;
        progress(table, copied);
      }
      counts[table] = copied;
    };
    await copy(
      'workspaces',
      (o) => from.selectFrom('workspaces').selectAll().orderBy('id').limit(limits.rows).offset(o).execute(),
      (rows) => trx.insertInto('workspaces').values(rows).execute(),
    );
    await copy(
      'touchpoint_addresses',
      (o) =>
        from
          .selectFrom('touchpoint_addresses')
          .selectAll()
          .orderBy('address')
          .limit(limits.rows)
          .offset(o)
          .execute(),
      (rows) => trx.insertInto('touchpoint_addresses').values(rows).execute(),
    );
    await copy(
      'internal_domains',
      (o) =>
        from
          .selectFrom('internal_domains')
          .selectAll()
          .orderBy(['workspace_id', 'domain'])
          .limit(limits.rows)
          .offset(o)
          .execute(),
      (rows) => trx.insertInto('internal_domains').values(rows).execute(),
    );
    await copy(
      'logins',
      (o) =>
        from
          .selectFrom('logins')
          .selectAll()
          .orderBy(['workspace_id', 'email'])
          .limit(limits.rows)
          .offset(o)
          .execute(),
      (rows) => trx.insertInto('logins').values(rows).execute(),
    );
    await copy(
      'login_aliases',
      (o) =>
        from
          .selectFrom('login_aliases')
          .selectAll()
          .orderBy(['workspace_id', 'address'])
          .limit(limits.rows)
          .offset(o)
          .execute(),
      (rows) => trx.insertInto('login_aliases').values(rows).execute(),
    );
    await copy(
      'accounts',
      (o) =>
        from
          .selectFrom('accounts')
          .selectAll()
          .orderBy(['workspace_id', 'id'])
          .limit(limits.rows)
          .offset(o)
          .execute(),
      (rows) => trx.insertInto('accounts').values(rows).execute(),
    );
    await copy(
      'account_touch_days',
      (o) =>
        from
          .selectFrom('account_touch_days')
          .selectAll()
          .orderBy(['workspace_id', 'account_id', 'day'])
          .limit(limits.rows)
          .offset(o)
          .execute(),
      (rows) => trx.insertInto('account_touch_days').values(rows).execute(),
    );
    await copy(
      'users',
      (o) =>
        from
          .selectFrom('users')
          .selectAll()
          .orderBy(['workspace_id', 'id'])
          .limit(limits.rows)
          .offset(o)
          .execute(),
      (rows) => trx.insertInto('users').values(rows).execute(),
    );
    await copy(
      'memberships',
      (o) =>
        from
          .selectFrom('memberships')
          .selectAll()
          .orderBy(['workspace_id', 'user_id', 'account_id'])
          .limit(limits.rows)
          .offset(o)
          .execute(),
      (rows) => trx.insertInto('memberships').values(rows).execute(),
    );
    await copy(
      'inbound_messages',
      // A page of rows, then as many of them as the byte budget takes (the next read starts after those).
      (o) =>
        from
          .with('page', (qb) =>
            qb
              .selectFrom('inbound_messages')
              .select(['id', 'raw_size'])
              .orderBy('id')
              .limit(limits.rows)
              .offset(o),
          )
          .with('sized', (qb) => qb.selectFrom('page').select(['id', rawBytesBefore('id').as('before')]))
          .selectFrom('inbound_messages')
          .selectAll()
          .where('id', 'in', (eb) =>
            eb.selectFrom('sized').select('id').where('before', '<', limits.rawBytes),
          )
          .orderBy('id')
          .execute(),
      (rows) => trx.insertInto('inbound_messages').values(rows).execute(),
    );
    await copy(
      'touchpoints',
      (o) =>
        from
          .selectFrom('touchpoints')
          .selectAll()
          .orderBy(['workspace_id', 'id'])
          .limit(limits.rows)
          .offset(o)
          .execute(),
      (rows) => trx.insertInto('touchpoints').values(rows).execute(),
    );
    await copy(
      'touchpoint_participants',
      (o) =>
        from
          .selectFrom('touchpoint_participants')
          .selectAll()
          .orderBy(['workspace_id', 'touchpoint_id', 'email'])
          .limit(limits.rows)
          .offset(o)
          .execute(),
      (rows) => trx.insertInto('touchpoint_participants').values(rows).execute(),
    );
    await copy(
      'touchpoint_edits',
      (o) =>
        from.selectFrom('touchpoint_edits').selectAll().orderBy('id').limit(limits.rows).offset(o).execute(),
      (rows) => trx.insertInto('touchpoint_edits').values(rows).execute(),
    );
    await copy(
      'api_tokens',
      (o) => from.selectFrom('api_tokens').selectAll().orderBy('id').limit(limits.rows).offset(o).execute(),
      (rows) => trx.insertInto('api_tokens').values(rows).execute(),
    );
    await copy(
      'outbox',
      (o) => from.selectFrom('outbox').selectAll().orderBy('id').limit(limits.rows).offset(o).execute(),
      (rows) => trx.insertInto('outbox').values(rows).execute(),
    );
    await copy(
      'audit_log',
      (o) => from.selectFrom('audit_log').selectAll().orderBy('id').limit(limits.rows).offset(o).execute(),
      (rows) => trx.insertInto('audit_log').values(rows).execute(),
    );
    await copy(
      'notice_sends',
      (o) => from.selectFrom('notice_sends').selectAll().orderBy('id').limit(limits.rows).offset(o).execute(),
      (rows) => trx.insertInto('notice_sends').values(rows).execute(),
    );
    await copy(
      'sessions',
      (o) => from.selectFrom('sessions').selectAll().orderBy('id').limit(limits.rows).offset(o).execute(),
      (rows) => trx.insertInto('sessions').values(rows).execute(),
    );
    // Open invitations too: a link already mailed keeps working once the store is moved.
    await copy(
      'invitations',
      (o) => from.selectFrom('invitations').selectAll().orderBy('id').limit(limits.rows).offset(o).execute(),
      (rows) => trx.insertInto('invitations').values(rows).execute(),
    );
    // Counted failed sign-ins are copied too: moving stores must not reset a guesser's count.
    await copy(
      'sign_in_failures',
      (o) =>
        from.selectFrom('sign_in_failures').selectAll().orderBy('key').limit(limits.rows).offset(o).execute(),
      (rows) => trx.insertInto('sign_in_failures').values(rows).execute(),
    );
    // Where the IMAP intake stands: a moved store does not take the mailbox again.
    await copy(
      'imap_cursors',
      (o) =>
        from
          .selectFrom('imap_cursors')
          .selectAll()
          .orderBy(['workspace_id', 'mailbox'])
          .limit(limits.rows)
          .offset(o)
          .execute(),
      (rows) =>
        trx
          .insertInto('imap_cursors')
          .values(rows.map((r) => ({ ...r, last_uid: Number(r.last_uid) })))
          .execute(),
    );
    await copy(
      'salesforce_settings',
      (o) =>
        from
          .selectFrom('salesforce_settings')
          .selectAll()
          .orderBy('workspace_id')
          .limit(limits.rows)
          .offset(o)
          .execute(),
      (rows) => trx.insertInto('salesforce_settings').values(rows).execute(),
    );
    await copy(
      'salesforce_sync',
      (o) =>
        from
          .selectFrom('salesforce_sync')
          .selectAll()
          .orderBy(['workspace_id', 'touchpoint_id'])
          .limit(limits.rows)
          .offset(o)
          .execute(),
      (rows) => trx.insertInto('salesforce_sync').values(rows).execute(),
    );
  });
  return counts;
}

async function refuseNonEmpty(trx: Transaction<Database>): Promise<void> {
  for (const table of ['workspaces', 'inbound_messages'] as const) {
    const row = await trx
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(row.n) > 0)
      throw new Error(`The target store is not empty (${table} has rows): copy only into a new database.`);
  }
}
