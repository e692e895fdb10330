// The edit history of touchpoints (SPEC §7: who changed what, and whom they chose to notify) and what
// the inbound log filters on: the sender as an indexed column (the From address, and the envelope
// sender normalised), with one index per filter so each query seeks instead of scanning.
import { sql, type Kysely } from 'kysely';
import { normalizeEmail, parseAddressList } from '../../domain/address.js';

/** Rows read per statement while backfilling (inbound rows carry whole messages). */
const BACKFILL_CHUNK = 20;
/** The From header is in the head of a message; more than this is not read to find it. */
const HEAD_BYTES = 64 * 1024;

export const touchpointEditsInboundLog = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('touchpoint_edits')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('touchpoint_id', 'text', (c) => c.notNull())
      /** actorOf(principal): a login's email, `token:<id>` or `admin-token`. */
      .addColumn('editor', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      /** JSON: { field: { before, after } } for subject, content, reason, flow, accountId. */
      .addColumn('changes', 'text', (c) => c.notNull())
      /** JSON: participants added and removed ({ email, name, side }). */
      .addColumn('participants_added', 'text', (c) => c.notNull())
      .addColumn('participants_removed', 'text', (c) => c.notNull())
      /** none | new | all: whom the edit notifies (none when nothing was added and the content stayed). */
      .addColumn('notify', 'text', (c) => c.notNull())
      .addForeignKeyConstraint(
        'touchpoint_edits_touchpoint_fk',
        ['workspace_id', 'touchpoint_id'],
        'touchpoints',
        ['workspace_id', 'id'],
        (c) => c.onDelete('cascade'),
      )
      .execute();
    await db.schema
      .createIndex('touchpoint_edits_by_touchpoint')
      .on('touchpoint_edits')
      .columns(['workspace_id', 'touchpoint_id', 'at', 'id'])
      .execute();

    await db.schema.alterTable('inbound_messages').addColumn('from_address', 'text').execute();
    await db.schema.alterTable('inbound_messages').addColumn('envelope_sender', 'text').execute();
    await backfillSenders(db);

    // The log lists newest first, optionally filtered: status uses inbound_by_workspace_status (0001).
    const indexes: [string, string[]][] = [
      ['inbound_log_by_time', ['workspace_id', 'received_at', 'id']],
      ['inbound_log_by_reason', ['workspace_id', 'reason', 'received_at']],
      ['inbound_log_by_from', ['workspace_id', 'from_address', 'received_at']],
      ['inbound_log_by_envelope_sender', ['workspace_id', 'envelope_sender', 'received_at']],
      ['inbound_log_by_channel', ['workspace_id', 'channel', 'received_at']],
    ];
    for (const [name, columns] of indexes)
      await db.schema.createIndex(name).on('inbound_messages').columns(columns).execute();
  },
};

/** Fills the sender columns of messages stored before this migration. */
async function backfillSenders(db: Kysely<unknown>): Promise<void> {
  let after = '';
  for (;;) {
    const { rows } = await sql<{ id: string; mail_from: string | null; raw: Uint8Array }>`
      select id, mail_from, raw from inbound_messages where id > ${after} order by id limit ${BACKFILL_CHUNK}
    `.execute(db);
    const last = rows.at(-1);
    if (last === undefined) return;
    for (const row of rows) {
      const envelopeSender = row.mail_from === null ? null : normalizeEmail(row.mail_from);
      await sql`
        update inbound_messages set envelope_sender = ${envelopeSender}, from_address = ${fromHeader(row.raw)}
        where id = ${row.id}
      `.execute(db);
    }
    after = last.id;
  }
}

/** The first address of the From header of a raw message, normalised; null when there is none. */
function fromHeader(raw: Uint8Array): string | null {
  const head = Buffer.from(raw.subarray(0, HEAD_BYTES)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const unfolded = (end < 0 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const line = /^from:(.*)$/im.exec(unfolded);
  return line?.[1] === undefined ? null : (parseAddressList(line[1])[0]?.email ?? null);
}
