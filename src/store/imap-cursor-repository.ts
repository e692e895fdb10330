// Where the IMAP intake stands in each mailbox (SPEC §2.3): the UIDVALIDITY its UIDs belong to and the
// highest UID stored. Advanced in the transaction that stores the message, so a message counts as taken
// only once it is durably stored.
import type { Executor } from './schema.js';

export interface ImapCursor {
  /** UIDVALIDITY (RFC 3501 §2.3.1.1), in decimal. */
  readonly uidValidity: string;
  readonly lastUid: number;
}

export async function imapCursor(
  db: Executor,
  workspaceId: string,
  mailbox: string,
): Promise<ImapCursor | null> {
  const row = await db
    .selectFrom('imap_cursors')
    .select(['uid_validity', 'last_uid'])
    .where('workspace_id', '=', workspaceId)
    .where('mailbox', '=', mailbox)
    .executeTakeFirst();
  return row === undefined ? null : { uidValidity: row.uid_validity, lastUid: Number(row.last_uid) };
}

/** Records that every UID up to `cursor.lastUid` of this UIDVALIDITY was taken. */
export async function advanceImapCursor(
  db: Executor,
  workspaceId: string,
  mailbox: string,
  cursor: ImapCursor,
  now: Date,
): Promise<void> {
  const values = {
    uid_validity: cursor.uidValidity,
    last_uid: cursor.lastUid,
    updated_at: now.toISOString(),
  };
  await db
    .insertInto('imap_cursors')
    .values({ workspace_id: workspaceId, mailbox, ...values })
    .onConflict((oc) => oc.columns(['workspace_id', 'mailbox']).doUpdateSet(values))
    .execute();
}
