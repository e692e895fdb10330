// The paging convention of every list: `?limit=` (1–200, default 50), `?cursor=` (opaque, from the
// previous page), answered as `{ items, nextCursor }` (null on the last page).
import { Type, type TSchema } from 'typebox';

export const PAGE_LIMIT_DEFAULT = 50;

export const PagingQuery = {
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 200, default: PAGE_LIMIT_DEFAULT, description: 'Items per page' }),
  ),
  cursor: Type.Optional(
    Type.String({ maxLength: 1000, description: 'nextCursor of the previous page (opaque)' }),
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
