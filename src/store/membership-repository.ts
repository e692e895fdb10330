// Memberships (user ↔ account, with the associatedAt the recency rule reads, SPEC §5 A3) as the API
// lists and edits them.
import { membershipRecord, pageOf, type MembershipRecord, type Page } from './directory-records.js';
import type { Executor } from './schema.js';

export interface MembershipQuery {
  readonly limit: number;
  readonly accountId?: string;
  readonly userId?: string;
  /** The previous page's last membership. */
  readonly after?: MembershipKey;
}

export interface MembershipKey {
  readonly userId: string;
  readonly accountId: string;
}

export interface MembershipListItem extends MembershipRecord {
  readonly userEmail: string | null;
  readonly userName: string;
  readonly accountName: string;
}

/**
 * A page of memberships in (user id, account id) order: of one account through memberships_by_account,
 * of one user through memberships_by_user, of the workspace through the primary key.
 */
export async function listMemberships(
  db: Executor,
  workspaceId: string,
  query: MembershipQuery,
): Promise<Page<MembershipListItem, MembershipKey>> {
  let select = db
    .selectFrom('memberships as m')
    .innerJoin('users as u', (join) =>
      join.onRef('u.workspace_id', '=', 'm.workspace_id').onRef('u.id', '=', 'm.user_id'),
    )
    .innerJoin('accounts as a', (join) =>
      join.onRef('a.workspace_id', '=', 'm.workspace_id').onRef('a.id', '=', 'm.account_id'),
    )
    .select([
      'm.user_id',
      'm.account_id',
      'm.associated_at',
      'm.is_contact',
      'u.email as user_email',
      'u.name as user_name',
      'a.name as account_name',
    ])
    .where('m.workspace_id', '=', workspaceId);
  if (query.accountId !== undefined) select = select.where('m.account_id', '=', query.accountId);
  if (query.userId !== undefined) select = select.where('m.user_id', '=', query.userId);
  const after = query.after;
  if (after !== undefined)
    // The `>=` bound lets the index seek to the cursor; the `or` steps past it.
    select = select
      .where('m.user_id', '>=', after.userId)
      .where((eb) => eb.or([eb('m.user_id', '>', after.userId), eb('m.account_id', '>', after.accountId)]));
  const rows = await select
    .orderBy('m.user_id')
    .orderBy('m.account_id')
    .limit(query.limit + 1)
    .execute();
  return pageOf(
    rows,
    query.limit,
    (row) => ({
      ...membershipRecord(row),
      userEmail: row.user_email,
      userName: row.user_name,
      accountName: row.account_name,
    }),
    (row) => ({ userId: row.user_id, accountId: row.account_id }),
  );
}

export async function findMembership(
  db: Executor,
  workspaceId: string,
  key: MembershipKey,
): Promise<MembershipRecord | null> {
  const row = await db
    .selectFrom('memberships')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', key.userId)
    .where('account_id', '=', key.accountId)
    .executeTakeFirst();
  return row === undefined ? null : membershipRecord(row);
}

/** Inserts a membership; false when the user already belongs to the account. */
export async function insertMembership(
  db: Executor,
  workspaceId: string,
  membership: MembershipRecord,
): Promise<boolean> {
  const result = await db
    .insertInto('memberships')
    .values({
      workspace_id: workspaceId,
      user_id: membership.userId,
      account_id: membership.accountId,
      associated_at: membership.associatedAt,
      is_contact: membership.isContact ? 1 : 0,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'user_id', 'account_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateMembership(
  db: Executor,
  workspaceId: string,
  membership: MembershipRecord,
): Promise<void> {
  await db
    .updateTable('memberships')
    .set({ associated_at: membership.associatedAt, is_contact: membership.isContact ? 1 : 0 })
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', membership.userId)
    .where('account_id', '=', membership.accountId)
    .execute();
}

export async function deleteMembership(db: Executor, workspaceId: string, key: MembershipKey): Promise<void> {
  await db
    .deleteFrom('memberships')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', key.userId)
    .where('account_id', '=', key.accountId)
    .execute();
}
