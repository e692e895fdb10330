// Account health as the store keeps it (SPEC §13): each account's last touch on its row and its
// touchpoints per UTC day (migration 0016), changed in the transaction of every write that changes a
// touchpoint's account or date — never by reading timelines when the list is shown.
//
// Dated in the future: a touchpoint may carry a Date after now (a wrong clock, a meeting ahead). It counts
// on its day at once (the windows end at now, so it is not counted until then), but it is not the last
// touch until its time comes. The row keeps `next_touch_at`, the earliest such time seen; a read first
// settles the accounts whose next touch has come due (an index range, empty nearly always) by seeking
// their newest touchpoint up to now in the touchpoints' (account, occurredAt, id) index.
import { sql, type Kysely } from 'kysely';
import {
  dayDeltas,
  healthClock,
  summarizeTouches,
  type HealthWindow,
  type Touch,
} from '../domain/account-health.js';
import type { StoreCapabilities } from './capabilities.js';
import { chunks } from './chunks.js';
import type { Database, Executor } from './schema.js';

export interface AccountHealth {
  /** The newest occurredAt of the account's touchpoints not in the future, or null. */
  readonly lastTouchAt: string | null;
  /** That touchpoint's author. */
  readonly lastTouchBy: string | null;
  readonly touchpoints30d: number;
  readonly touchpoints90d: number;
}

/** Counts touchpoints just written on their accounts (recording, a move's arrival). */
export async function countTouches(
  db: Executor,
  capabilities: StoreCapabilities,
  workspaceId: string,
  touches: readonly Touch[],
  now: Date,
): Promise<void> {
  if (touches.length === 0) return;
  await applyDayDeltas(db, capabilities, workspaceId, dayDeltas(touches, []));
  // One conditional update per account: the row's own check keeps the newest under concurrent writers
  // (PostgreSQL re-evaluates the condition on the row it waited for).
  for (const { accountId, newest, nextAt } of summarizeTouches(touches, now)) {
    if (newest !== null)
      await db
        .updateTable('accounts')
        .set({ last_touch_at: newest.occurredAt, last_touch_by: newest.author, last_touch_id: newest.id })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', accountId)
        .where((eb) =>
          eb.or([
            eb('last_touch_at', '<', newest.occurredAt),
            eb.and([
              eb('last_touch_at', '=', newest.occurredAt),
              eb.or([eb('last_touch_id', 'is', null), eb('last_touch_id', '<', newest.id)]),
            ]),
          ]),
        )
        .execute();
    if (nextAt !== null)
      await db
        .updateTable('accounts')
        .set({ next_touch_at: nextAt })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', accountId)
        .where((eb) => eb.or([eb('next_touch_at', 'is', null), eb('next_touch_at', '>', nextAt)]))
        .execute();
  }
}

/**
 * Moves touchpoints between accounts or dates: `before` as they were, `after` as they are now stored
 * (the same ids). Call after the touchpoints were changed: each account a touchpoint left or reached
 * seeks its last touch again, since leaving may take away its newest one.
 */
export async function moveTouches(
  db: Executor,
  capabilities: StoreCapabilities,
  workspaceId: string,
  before: readonly Touch[],
  after: readonly Touch[],
  now: Date,
): Promise<void> {
  const moved = before.filter((b) => !after.some((a) => isSame(a, b)));
  const arrived = after.filter((a) => !before.some((b) => isSame(a, b)));
  if (moved.length === 0 && arrived.length === 0) return;
  await applyDayDeltas(db, capabilities, workspaceId, dayDeltas(arrived, moved));
  await refreshLastTouch(db, workspaceId, [...new Set([...moved, ...arrived].map((t) => t.accountId))], now);
}

/**
 * The figures of `accountIds` from scratch, from their touchpoints: for bulk writes that replace history
 * (the workspace import), where following each row would cost more than counting once.
 */
export async function recountAccountHealth(
  db: Executor,
  capabilities: StoreCapabilities,
  workspaceId: string,
  accountIds: readonly string[],
  now: Date,
): Promise<void> {
  for (const ids of chunks([...new Set(accountIds)].sort(), 1, capabilities)) {
    await db
      .deleteFrom('account_touch_days')
      .where('workspace_id', '=', workspaceId)
      .where('account_id', 'in', ids)
      .execute();
    await db
      .insertInto('account_touch_days')
      .columns(['workspace_id', 'account_id', 'day', 'touchpoints'])
      .expression((eb) =>
        eb
          .selectFrom('touchpoints')
          .select([
            'workspace_id',
            'account_id',
            sql<string>`substr(occurred_at, 1, 10)`.as('day'),
            sql<number>`count(*)`.as('touchpoints'),
          ])
          .where('workspace_id', '=', workspaceId)
          .where('account_id', 'in', ids)
          .groupBy(['workspace_id', 'account_id', sql`substr(occurred_at, 1, 10)`]),
      )
      .execute();
    await refreshLastTouch(db, workspaceId, ids, now);
  }
}

/** The accounts that hold any of these touchpoints now (before a bulk write may move them). */
export async function accountsOfTouchpoints(
  db: Executor,
  capabilities: StoreCapabilities,
  workspaceId: string,
  touchpointIds: readonly string[],
): Promise<Set<string>> {
  const accounts = new Set<string>();
  for (const ids of chunks(touchpointIds, 1, capabilities)) {
    const rows = await db
      .selectFrom('touchpoints')
      .select('account_id')
      .distinct()
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', ids)
      .execute();
    for (const r of rows) accounts.add(r.account_id);
  }
  return accounts;
}

/**
 * Seeks the last touch (newest up to now) and the next (earliest after now) of each account in the
 * touchpoints' (account, occurredAt, id) index: two index probes an account. The rows are locked first
 * (a write that changes nothing), so on PostgreSQL the seek sees what a writer holding them committed.
 */
async function refreshLastTouch(
  db: Executor,
  workspaceId: string,
  accountIds: readonly string[],
  now: Date,
): Promise<void> {
  if (accountIds.length === 0) return;
  const ids = [...accountIds].sort();
  const at = now.toISOString();
  await db
    .updateTable('accounts')
    .set((eb) => ({ last_touch_at: eb.ref('last_touch_at') }))
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
  const newest = (column: 'occurred_at' | 'author_email' | 'id') =>
    sql<string | null>`(select ${sql.ref(`t.${column}`)} from touchpoints t
      where t.workspace_id = accounts.workspace_id and t.account_id = accounts.id and t.occurred_at <= ${at}
      order by t.occurred_at desc, t.id desc limit 1)`;
  await db
    .updateTable('accounts')
    .set({
      last_touch_at: sql<string>`coalesce(${newest('occurred_at')}, '')`,
      last_touch_by: newest('author_email'),
      last_touch_id: newest('id'),
      next_touch_at: sql<string | null>`(select min(t.occurred_at) from touchpoints t
        where t.workspace_id = accounts.workspace_id and t.account_id = accounts.id and t.occurred_at > ${at})`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
}

/** Brings forward the last touch of accounts whose future-dated touchpoint has come due (before a read). */
export async function settleDueTouches(db: Kysely<Database>, workspaceId: string, now: Date): Promise<void> {
  const due = await db
    .selectFrom('accounts')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('next_touch_at', '<=', now.toISOString())
    .execute();
  if (due.length === 0) return;
  // In a transaction: its first statement locks the rows, so the seek that follows sees every writer
  // that held them (see refreshLastTouch).
  await db.transaction().execute((trx) =>
    refreshLastTouch(
      trx,
      workspaceId,
      due.map((r) => r.id),
      now,
    ),
  );
}

/**
 * The 30/90-day figures of the `accounts` row in scope, as select columns (one statement reads a page
 * with its figures): whole days inside a window from the day counts, its two partial end days exactly
 * from the touchpoints' (account, occurredAt) index — see HealthWindow. Correlated subqueries, evaluated
 * for the rows a page returns only (an index walk with a LIMIT stops there).
 */
export function touchFigureColumns(now: Date) {
  const clock = healthClock(now);
  const [w30, w90] = clock.windows;
  if (w30 === undefined || w90 === undefined) throw new Error('health windows are 30 and 90 days');
  const ofAccount = (alias: string) =>
    sql`${sql.ref(`${alias}.workspace_id`)} = accounts.workspace_id and ${sql.ref(`${alias}.account_id`)} = accounts.id`;
  const wholeDays = (
    window: HealthWindow,
  ) => sql`(select coalesce(sum(d.touchpoints), 0) from account_touch_days d
    where ${ofAccount('d')} and d.day > ${window.firstDay} and d.day < ${clock.today})`;
  const between = (from: string, to: string, toInclusive: boolean) => sql`(select count(*) from touchpoints t
    where ${ofAccount('t')} and t.occurred_at >= ${from} and t.occurred_at ${toInclusive ? sql`<=` : sql`<`} ${to})`;
  // An account last touched before the window has nothing in it: no probe (most of a cold page). Exact
  // once due touches are settled, which a read does first (dueTouchColumn): no touchpoint then lies
  // between the kept last touch and now.
  const figure = (window: HealthWindow) => {
    const edge = between(window.from, window.firstDayEnd, false);
    // Likewise today's part: nothing to count unless the last touch is today.
    const today = sql`case when accounts.last_touch_at >= ${clock.todayStart}
      then ${between(clock.todayStart, clock.now, true)} else 0 end`;
    return sql<number | string>`case when accounts.last_touch_at >= ${window.from}
      then ${wholeDays(window)} + ${edge} + ${today} else 0 end`;
  };
  return [figure(w30).as('touchpoints30d'), figure(w90).as('touchpoints90d')] as const;
}

/**
 * 1 when some account of the workspace has a future-dated touchpoint come due (its last touch is behind),
 * as a select column: uncorrelated, so both engines run it once a statement.
 */
export function dueTouchColumn(now: Date) {
  return sql<number | null>`(select 1 from accounts due where due.workspace_id = accounts.workspace_id
    and due.next_touch_at <= ${now.toISOString()} limit 1)`.as('dueTouches');
}

export interface TouchFigures {
  readonly touchpoints30d: number;
  readonly touchpoints90d: number;
}

export function touchFigures(row: {
  touchpoints30d: number | string;
  touchpoints90d: number | string;
}): TouchFigures {
  return { touchpoints30d: Number(row.touchpoints30d), touchpoints90d: Number(row.touchpoints90d) };
}

/** The 30/90-day figures of these accounts. */
export async function touchCounts(
  db: Executor,
  workspaceId: string,
  accountIds: readonly string[],
  now: Date,
): Promise<Map<string, TouchFigures>> {
  const counts = new Map<string, TouchFigures>();
  if (accountIds.length === 0) return counts;
  const rows = await db
    .selectFrom('accounts')
    .select(['id', ...touchFigureColumns(now)])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...new Set(accountIds)])
    .execute();
  for (const r of rows) counts.set(r.id, touchFigures(r));
  return counts;
}

/** Adds day deltas; a day that reaches zero is removed (a moved-away day leaves no row behind). */
async function applyDayDeltas(
  db: Executor,
  capabilities: StoreCapabilities,
  workspaceId: string,
  deltas: readonly { accountId: string; day: string; delta: number }[],
): Promise<void> {
  if (deltas.length === 0) return;
  for (const chunk of chunks(deltas, 4, capabilities))
    await db
      .insertInto('account_touch_days')
      .values(
        chunk.map((d) => ({
          workspace_id: workspaceId,
          account_id: d.accountId,
          day: d.day,
          touchpoints: d.delta,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'account_id', 'day']).doUpdateSet((eb) => ({
          touchpoints: sql<number>`${eb.ref('account_touch_days.touchpoints')} + ${eb.ref('excluded.touchpoints')}`,
        })),
      )
      .execute();
  if (deltas.some((d) => d.delta < 0))
    await db
      .deleteFrom('account_touch_days')
      .where('workspace_id', '=', workspaceId)
      .where('account_id', 'in', [...new Set(deltas.filter((d) => d.delta < 0).map((d) => d.accountId))])
      .where('touchpoints', '<=', 0)
      .execute();
}

function isSame(a: Touch, b: Touch): boolean {
  return a.id === b.id && a.accountId === b.accountId && a.occurredAt === b.occurredAt;
}

/** Accounts as the API shows them (INTERFACE: the account item): with their 30/90-day figures. */
export async function withTouchCounts<T extends { readonly id: string }>(
  db: Executor,
  workspaceId: string,
  accounts: readonly T[],
  now: Date,
): Promise<(T & TouchFigures)[]> {
  const counts = await touchCounts(
    db,
    workspaceId,
    accounts.map((a) => a.id),
    now,
  );
  return accounts.map((a) => ({ ...a, ...(counts.get(a.id) ?? { touchpoints30d: 0, touchpoints90d: 0 }) }));
}
