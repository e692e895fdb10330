// What notices read and write (SPEC §7): logins' receipt setting, deliveries counted by the
// per-recipient rate limit, and the names and addresses a notice shows.
import { participantsOf } from './touchpoint-repository.js';
import type { Executor } from './schema.js';

/** Whether the login wants success receipts; null when there is no such login. */
export async function loginReceipts(
  db: Executor,
  workspaceId: string,
  email: string,
): Promise<boolean | null> {
  const row = await db
    .selectFrom('logins')
    .select('receipts')
    .where('workspace_id', '=', workspaceId)
    .where('email', '=', email)
    .executeTakeFirst();
  return row === undefined ? null : row.receipts === 1;
}

/** Sets the login's receipt setting; false when there is no such login. */
export async function setLoginReceipts(
  db: Executor,
  workspaceId: string,
  email: string,
  receipts: boolean,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('logins')
    .set({ receipts: receipts ? 1 : 0, updated_at: now.toISOString() })
    .where('workspace_id', '=', workspaceId)
    .where('email', '=', email)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Whether any login of the workspace wants receipts (most do not: then nothing else is read). */
export async function anyLoginWantsReceipts(db: Executor, workspaceId: string): Promise<boolean> {
  const row = await db
    .selectFrom('logins')
    .select('email')
    .where('workspace_id', '=', workspaceId)
    .where('receipts', '=', 1)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The address notices of a workspace come from: its first touchpoint address, or null when it has none. */
export async function noticeFromAddress(db: Executor, workspaceId: string): Promise<string | null> {
  const row = await db
    .selectFrom('touchpoint_addresses')
    .select('address')
    .where('workspace_id', '=', workspaceId)
    .orderBy('address')
    .limit(1)
    .executeTakeFirst();
  return row?.address ?? null;
}

/**
 * Every touchpoint address of the installation, any workspace's: no notice is ever sent to one (it would
 * come straight back in, to that workspace's intake), as SPEC §4 leaves every one out of a message.
 */
export async function everyTouchpointAddress(db: Executor): Promise<Set<string>> {
  const rows = await db.selectFrom('touchpoint_addresses').select('address').execute();
  return new Set(rows.map((r) => r.address));
}

/** Notices delivered to each of `recipients` since `since` (the rate limit's window). */
export async function sendsSince(
  db: Executor,
  recipients: readonly string[],
  since: Date,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>(recipients.map((r) => [r, 0]));
  if (recipients.length === 0) return counts;
  const rows = await db
    .selectFrom('notice_sends')
    .select((eb) => ['recipient', eb.fn.countAll<number | string>().as('n')])
    .where('recipient', 'in', recipients)
    .where('sent_at', '>=', since.toISOString())
    .groupBy('recipient')
    .execute();
  for (const row of rows) counts.set(row.recipient, Number(row.n));
  return counts;
}

/** Records that an outbox notice was delivered to these recipients. */
export async function recordSends(
  db: Executor,
  outboxId: string,
  workspaceId: string,
  recipients: readonly string[],
  now: Date,
  newId: () => string,
): Promise<void> {
  if (recipients.length === 0) return;
  await db
    .insertInto('notice_sends')
    .values(
      recipients.map((recipient) => ({
        id: newId(),
        outbox_id: outboxId,
        workspace_id: workspaceId,
        recipient,
        sent_at: now.toISOString(),
      })),
    )
    .execute();
}

/** What an edit notification shows of a touchpoint, as it is after the edit. */
export interface TouchpointForNotice {
  readonly subject: string;
  readonly content: string;
  readonly accountId: string;
  readonly accountName: string | null;
  readonly participants: readonly string[];
}

export async function touchpointForNotice(
  db: Executor,
  workspaceId: string,
  touchpointId: string,
): Promise<TouchpointForNotice | null> {
  const row = await db
    .selectFrom('touchpoints')
    .leftJoin('accounts', (join) =>
      join
        .onRef('accounts.workspace_id', '=', 'touchpoints.workspace_id')
        .onRef('accounts.id', '=', 'touchpoints.account_id'),
    )
    .select([
      'touchpoints.subject',
      'touchpoints.content_text',
      'touchpoints.account_id',
      'accounts.name as account_name',
    ])
    .where('touchpoints.workspace_id', '=', workspaceId)
    .where('touchpoints.id', '=', touchpointId)
    .executeTakeFirst();
  if (row === undefined) return null;
  const participants = await participantsOf(db, workspaceId, touchpointId);
  return {
    subject: row.subject,
    content: row.content_text,
    accountId: row.account_id,
    accountName: row.account_name,
    participants: participants.map((p) => p.email),
  };
}
