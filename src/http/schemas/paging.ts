// The paging convention of every list (`?limit=` 1–200, default 50; `?cursor=` from the previous
// page; answers `{items, nextCursor}`), and opaque cursors: base64url JSON of where the page ended.
import { Type, type TSchema } from 'typebox';
import { HttpError } from '../errors.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export const PagingQuery = {
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_PAGE_SIZE,
      description: `Items per page (default ${DEFAULT_PAGE_SIZE})`,
    }),
  ),
  cursor: Type.Optional(
    Type.String({ maxLength: 1000, description: "The previous page's nextCursor, as it was" }),
  ),
};

export function pageOf<T extends TSchema>(item: T, description: string) {
  return Type.Object(
    {
      items: Type.Array(item),
      nextCursor: Type.Union([Type.String(), Type.Null()], {
        description: 'Pass as ?cursor= for the next page; null on the last page',
      }),
    },
    { description },
  );
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The cursor's value when `accept` recognises it; a 400 otherwise (a forged or stale cursor). */
export function decodeCursor<T>(
  cursor: string | undefined,
  accept: (value: unknown) => value is T,
): T | undefined {
  if (cursor === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!accept(value)) throw new HttpError('validation-failed', 'cursor: not a cursor this list gave out');
  return value;
}

/** Reads one more row than asked to know whether another page follows: the page and its next cursor. */
export function pageFrom<Row, Item>(
  rows: readonly Row[],
  limit: number,
  cursorOf: (last: Row) => unknown,
  toItem: (row: Row) => Item,
): { items: Item[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toItem),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}

export const isString = (value: unknown): value is string => typeof value === 'string';
