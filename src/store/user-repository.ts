// Users (customer people) as the API lists and edits them. `email_domain` (read by the domain rule, SPEC
// §5 B) and `search_text` are derived here from the email and name written, so they never drift.
import { domainOf, type Email } from '../domain/address.js';
import { searchTextOf } from '../domain/search-text.js';
import { containsSearch } from './account-repository.js';
import { pageOf, userRecord, type Page, type UserRecord } from './directory-records.js';
import type { Executor } from './schema.js';

export interface UserQuery {
  readonly limit: number;
  /** Case-insensitive text found anywhere in the id, email or name. */
  readonly q?: string;
  /** Only members of this account. */
  readonly accountId?: string;
  /** Only users with exactly this (normalized) email. */
  readonly email?: string;
  /** The id of the previous page's last user. */
  readonly after?: string;
}

export interface UserFields {
  readonly email: Email | null;
  readonly name: string;
}

export interface UserMembership {
  readonly accountId: string;
  readonly accountName: string;
  readonly associatedAt: string | null;
  readonly isContact: boolean;
}

/** A page of users in id order (members of an account: through memberships_by_account, in user order). */
export async function listUsers(
  db: Executor,
  workspaceId: string,
  query: UserQuery,
): Promise<Page<UserRecord, string>> {
  let select = db.selectFrom('users as u').selectAll('u').where('u.workspace_id', '=', workspaceId);
  if (query.accountId !== undefined) {
    const accountId = query.accountId;
    select = select.where((eb) =>
      eb.exists(
        eb
          .selectFrom('memberships as m')
          .select('m.user_id')
          .whereRef('m.workspace_id', '=', 'u.workspace_id')
          .where('m.account_id', '=', accountId)
          .whereRef('m.user_id', '=', 'u.id'),
      ),
    );
  }
  if (query.email !== undefined) select = select.where('u.email', '=', query.email);
  if (query.after !== undefined) select = select.where('u.id', '>', query.after);
  if (query.q !== undefined) select = select.where(containsSearch(query.q));
  const rows = await select
    .orderBy('u.id')
    .limit(query.limit + 1)
    .execute();
  return pageOf(rows, query.limit, userRecord, (row) => row.id);
}

export async function findUser(db: Executor, workspaceId: string, id: string): Promise<UserRecord | null> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? null : userRecord(row);
}

/** The first `limit` accounts of a user, in account id order, with the accounts' names. */
export async function membershipsOfUser(
  db: Executor,
  workspaceId: string,
  userId: string,
  limit: number,
): Promise<UserMembership[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('accounts as a', (join) =>
      join.onRef('a.workspace_id', '=', 'm.workspace_id').onRef('a.id', '=', 'm.account_id'),
    )
    .select(['m.account_id', 'a.name', 'm.associated_at', 'm.is_contact'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.user_id', '=', userId)
    .orderBy('m.account_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    accountId: r.account_id,
    accountName: r.name,
    associatedAt: r.associated_at,
    isContact: r.is_contact === 1,
  }));
}

/** Inserts a user; false when one with that id exists already. */
export async function insertUser(
  db: Executor,
  workspaceId: string,
  id: string,
  fields: UserFields,
  now: Date,
): Promise<boolean> {
  const at = now.toISOString();
  const result = await db
    .insertInto('users')
    .values({ workspace_id: workspaceId, id, ...userColumns(id, fields), created_at: at, updated_at: at })
    .onConflict((oc) => oc.columns(['workspace_id', 'id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateUser(
  db: Executor,
  workspaceId: string,
  id: string,
  fields: UserFields,
  now: Date,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ ...userColumns(id, fields), updated_at: now.toISOString() })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Deletes a user and its memberships (touchpoints name people by address, so none refer to users). */
export async function deleteUser(db: Executor, workspaceId: string, id: string): Promise<void> {
  await db
    .deleteFrom('memberships')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', id)
    .execute();
  await db.deleteFrom('users').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

function userColumns(id: string, fields: UserFields) {
  return {
    email: fields.email,
    email_domain: fields.email === null ? null : domainOf(fields.email),
    name: fields.name,
    search_text: searchTextOf([id, fields.email, fields.name]),
  };
}
