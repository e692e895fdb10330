// The directory's records as the API shows them, and the one place their rows are mapped (rows are not
// API objects: 0/1 integers become booleans, JSON text becomes objects, columns become camelCase).
import type { Attributes } from '../domain/account-attributes.js';
import type { AccountRow, MembershipRow, UserRow } from './schema.js';

export interface AccountRecord {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly attributes: Attributes;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** SPEC §13: the newest occurredAt of its touchpoints not in the future (as last settled), or null. */
  readonly lastTouchAt: string | null;
  /** That touchpoint's author, or null. */
  readonly lastTouchBy: string | null;
}

export interface UserRecord {
  readonly id: string;
  readonly email: string | null;
  readonly name: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface MembershipRecord {
  readonly userId: string;
  readonly accountId: string;
  /** ISO-8601 UTC; the recency rule (SPEC §5 A3) compares it. */
  readonly associatedAt: string | null;
  readonly isContact: boolean;
}

/** A page of a list and the key to continue after its last item (null on the last page). */
export interface Page<T, K> {
  readonly items: readonly T[];
  readonly next: K | null;
}

/** Most items one page may ask for (the API's `limit`, 1–200). */
export const MAX_PAGE = 200;

/** Splits `limit + 1` fetched rows into a page and the key of its last item when there are more. */
export function pageOf<Row, T, K>(
  rows: readonly Row[],
  limit: number,
  map: (row: Row) => T,
  key: (row: Row) => K,
): Page<T, K> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(map),
    next: rows.length > limit && last !== undefined ? key(last) : null,
  };
}

export function accountRecord(
  row: Pick<
    AccountRow,
    | 'id'
    | 'name'
    | 'parent_id'
    | 'attributes'
    | 'created_at'
    | 'updated_at'
    | 'last_touch_at'
    | 'last_touch_by'
  >,
): AccountRecord {
  return {
    id: row.id,
    name: row.name,
    parentId: row.parent_id,
    attributes: parseAttributes(row.attributes),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    // '' is the column's "never touched" (migration 0016).
    lastTouchAt: row.last_touch_at === '' ? null : row.last_touch_at,
    lastTouchBy: row.last_touch_at === '' ? null : row.last_touch_by,
  };
}

export function userRecord(
  row: Pick<UserRow, 'id' | 'email' | 'name' | 'created_at' | 'updated_at'>,
): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function membershipRecord(
  row: Pick<MembershipRow, 'user_id' | 'account_id' | 'associated_at' | 'is_contact'>,
): MembershipRecord {
  return {
    userId: row.user_id,
    accountId: row.account_id,
    associatedAt: row.associated_at,
    isContact: row.is_contact === 1,
  };
}

/** The stored attributes column; anything but a JSON object reads as none. */
export function parseAttributes(json: string): Attributes {
  const value: unknown = JSON.parse(json);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value));
}
