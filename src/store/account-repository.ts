// Accounts as the API lists and edits them (the rules read them through directory-repository.ts).
// `default_bcc` and `search_text` are derived here from what is written, so they never drift.
import { sql } from 'kysely';
import { isDefaultBcc, type Attributes } from '../domain/account-attributes.js';
import { containsPattern, searchTextOf } from '../domain/search-text.js';
import {
  dueTouchColumn,
  touchFigureColumns,
  touchFigures,
  type TouchFigures,
} from './account-health-repository.js';
import { accountRecord, pageOf, type AccountRecord, type Page } from './directory-records.js';
import type { Executor } from './schema.js';

/** The list's orders: by id (the default), coldest or warmest first (SPEC §13), by name; ties by name, then id. */
export type AccountSort = 'id' | 'lastTouchAt' | '-lastTouchAt' | 'name';

export interface AccountQuery {
  readonly limit: number;
  /** Case-insensitive text found anywhere in the id or the name. */
  readonly q?: string;
  readonly parentId?: string;
  readonly sort?: AccountSort;
  /** ISO: only accounts whose last touch is before it, or that were never touched. */
  readonly notTouchedSince?: string;
  /** The key of the previous page's last account, as keyOf gave it for this sort. */
  readonly after?: readonly string[];
}

export interface AccountDetail extends AccountRecord {
  readonly parent: { readonly id: string; readonly name: string } | null;
  readonly childrenCount: number;
  readonly membersCount: number;
  readonly touchpointCount: number;
}

export interface AccountFields {
  readonly name: string;
  readonly parentId: string | null;
  readonly attributes: Attributes;
}

/**
 * A page of accounts in the asked order, each order read along its own index (migrations 0016 and the
 * primary key) so the first page costs the same at 100 accounts or 100,000; a search stops once a page
 * is full.
 */
export async function listAccounts(
  db: Executor,
  workspaceId: string,
  query: AccountQuery,
  now: Date,
): Promise<AccountPage> {
  const sort = query.sort ?? 'id';
  let select = db.selectFrom('accounts').selectAll().where('workspace_id', '=', workspaceId);
  if (query.parentId !== undefined) select = select.where('parent_id', '=', query.parentId);
  if (query.q !== undefined) select = select.where(containsSearch(query.q));
  // '' (never touched) is before every time: the cold accounts are in.
  if (query.notTouchedSince !== undefined) select = select.where('last_touch_at', '<', query.notTouchedSince);
  const [a = '', b = '', c = ''] = query.after ?? [];
  if (query.after !== undefined)
    select = select.where((eb) => {
      const byNameThenId = eb.or([eb('name', '>', b), eb.and([eb('name', '=', b), eb('id', '>', c)])]);
      switch (sort) {
        case 'id':
          return eb('id', '>', a);
        case 'name':
          return eb.or([eb('name', '>', a), eb.and([eb('name', '=', a), eb('id', '>', b)])]);
        case 'lastTouchAt':
          return eb.or([eb('last_touch_at', '>', a), eb.and([eb('last_touch_at', '=', a), byNameThenId])]);
        case '-lastTouchAt':
          return eb.or([eb('last_touch_at', '<', a), eb.and([eb('last_touch_at', '=', a), byNameThenId])]);
      }
    });
  if (sort === 'lastTouchAt') select = select.orderBy('last_touch_at');
  if (sort === '-lastTouchAt') select = select.orderBy('last_touch_at', 'desc');
  if (sort !== 'id') select = select.orderBy('name');
  // The page first (along its index, up to the limit), then its figures and whether a future touch came
  // due for those rows only, in the same statement: one round trip, and no engine computes figures of
  // rows it then sorts away (SQLite evaluates result columns before a sort).
  const page = select.orderBy('id').limit(query.limit + 1);
  let withFigures = db
    .selectFrom(page.as('accounts'))
    .selectAll()
    .select([...touchFigureColumns(now), dueTouchColumn(now)]);
  if (sort === 'lastTouchAt') withFigures = withFigures.orderBy('last_touch_at');
  if (sort === '-lastTouchAt') withFigures = withFigures.orderBy('last_touch_at', 'desc');
  if (sort !== 'id') withFigures = withFigures.orderBy('name');
  const rows = await withFigures.orderBy('id').execute();
  const items = pageOf(
    rows,
    query.limit,
    (row) => ({ ...accountRecord(row), ...touchFigures(row) }),
    (row) => {
      if (sort === 'id') return [row.id];
      if (sort === 'name') return [row.name, row.id];
      return [row.last_touch_at, row.name, row.id];
    },
  );
  // An empty page needs no settling: a due touch only makes an account warmer, never adds it to a page.
  return { ...items, dueTouches: rows.some((r) => r.dueTouches !== null) };
}

export interface AccountPage extends Page<AccountRecord & TouchFigures, string[]> {
  /** Some account's future-dated touchpoint has come due: settle (settleDueTouches) and read again. */
  readonly dueTouches: boolean;
}

/** How many strings the cursor of each order carries. */
export const ACCOUNT_CURSOR_PARTS: Readonly<Record<AccountSort, number>> = {
  id: 1,
  name: 2,
  lastTouchAt: 3,
  '-lastTouchAt': 3,
};

export async function findAccount(
  db: Executor,
  workspaceId: string,
  id: string,
): Promise<AccountRecord | null> {
  const row = await db
    .selectFrom('accounts')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? null : accountRecord(row);
}

/** One account with its parent and what hangs off it (each count is one index range). */
export async function accountDetail(
  db: Executor,
  workspaceId: string,
  id: string,
): Promise<AccountDetail | null> {
  const account = await findAccount(db, workspaceId, id);
  if (account === null) return null;
  const parent = account.parentId === null ? null : await findAccount(db, workspaceId, account.parentId);
  const counts = await accountDependents(db, workspaceId, id);
  return {
    ...account,
    parent: parent === null ? null : { id: parent.id, name: parent.name },
    childrenCount: counts.children,
    membersCount: counts.members,
    touchpointCount: counts.touchpoints,
  };
}

/** How many child accounts, memberships and touchpoints refer to an account. */
export async function accountDependents(
  db: Executor,
  workspaceId: string,
  id: string,
): Promise<{ children: number; members: number; touchpoints: number }> {
  const count = sql<number | string | bigint>`count(*)`.as('n');
  const children = await db
    .selectFrom('accounts')
    .select(count)
    .where('workspace_id', '=', workspaceId)
    .where('parent_id', '=', id)
    .executeTakeFirstOrThrow();
  const members = await db
    .selectFrom('memberships')
    .select(count)
    .where('workspace_id', '=', workspaceId)
    .where('account_id', '=', id)
    .executeTakeFirstOrThrow();
  const touchpoints = await db
    .selectFrom('touchpoints')
    .select(count)
    .where('workspace_id', '=', workspaceId)
    .where('account_id', '=', id)
    .executeTakeFirstOrThrow();
  return { children: Number(children.n), members: Number(members.n), touchpoints: Number(touchpoints.n) };
}

/** The parent chain above `id` (its parent first), stopping at a root, a loop or `limit` steps. */
export async function ancestorsOf(
  db: Executor,
  workspaceId: string,
  id: string,
  limit: number,
): Promise<string[]> {
  const chain: string[] = [];
  let current: string | null = id;
  while (current !== null && chain.length < limit) {
    const row: { parent_id: string | null } | undefined = await db
      .selectFrom('accounts')
      .select('parent_id')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', current)
      .executeTakeFirst();
    current = row?.parent_id ?? null;
    if (current === null || chain.includes(current)) break;
    chain.push(current);
  }
  return chain;
}

/** Inserts an account; false when one with that id exists already. */
export async function insertAccount(
  db: Executor,
  workspaceId: string,
  id: string,
  fields: AccountFields,
  now: Date,
): Promise<boolean> {
  const at = now.toISOString();
  const result = await db
    .insertInto('accounts')
    .values({
      workspace_id: workspaceId,
      id,
      ...accountColumns(id, fields),
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateAccount(
  db: Executor,
  workspaceId: string,
  id: string,
  fields: AccountFields,
  now: Date,
): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ ...accountColumns(id, fields), updated_at: now.toISOString() })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Deletes an account and its memberships (callers refuse accounts with touchpoints or children). */
export async function deleteAccount(db: Executor, workspaceId: string, id: string): Promise<void> {
  await db
    .deleteFrom('memberships')
    .where('workspace_id', '=', workspaceId)
    .where('account_id', '=', id)
    .execute();
  await db.deleteFrom('accounts').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

function accountColumns(id: string, fields: AccountFields) {
  return {
    name: fields.name,
    parent_id: fields.parentId,
    attributes: JSON.stringify(fields.attributes),
    // The rules read the flag from this column (SPEC §5 A2): written with the attributes, always.
    default_bcc: isDefaultBcc(fields.attributes) ? 1 : 0,
    search_text: searchTextOf([id, fields.name]),
  };
}

/** `search_text LIKE '%…%'`: the folded query anywhere in the folded id, name (and email). */
export function containsSearch(q: string) {
  return sql<boolean>`${sql.ref('search_text')} like ${containsPattern(q)} escape '\\'`;
}
