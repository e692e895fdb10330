// The paging convention of every list: `?limit=` (1–200, default 50) and `?cursor=` (opaque, from the
// previous page) in; `{ items, nextCursor }` out. Cursors are the key of a page's last item as
// base64url JSON; clients pass them back as they got them, anything else is a 400, never a wrong page.
import { Type, type TSchema } from 'typebox';
import { HttpError } from './errors.js';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

export const PagingQuery = {
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_PAGE,
      default: DEFAULT_PAGE,
      description: 'Items per page (1–200).',
    }),
  ),
  cursor: Type.Optional(
    Type.String({ minLength: 1, maxLength: 2048, description: 'nextCursor of the previous page.' }),
  ),
};

export const PageOf = <T extends TSchema>(item: T, description: string) =>
  Type.Object(
    {
      items: Type.Array(item),
      nextCursor: Type.Union([Type.String(), Type.Null()], {
        description: 'Pass as ?cursor= for the next page; null on the last page.',
      }),
    },
    { description },
  );

export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key of a cursor of `parts` strings, undefined when there is none; 400 when it is not ours. */
export function decodeCursor(cursor: string | undefined, parts: number): string[] | undefined {
  if (cursor === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (
    !Array.isArray(value) ||
    value.length !== parts ||
    !value.every((part): part is string => typeof part === 'string')
  )
    throw new HttpError(
      'validation-failed',
      'cursor: not a cursor this API gave; start from the first page.',
    );
  return value;
}

/** Reads one more row than asked to know whether another page follows: the page and its next cursor. */
export function pageFrom<Row, Item>(
  rows: readonly Row[],
  limit: number,
  keyOf: (last: Row) => readonly string[],
  toItem: (row: Row) => Item,
): { items: Item[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toItem),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
