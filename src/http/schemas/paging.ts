// The paging convention of every list: `?limit=` (1–200, default 50) and `?cursor=` (opaque, from the
// previous page) in; `{ items, nextCursor }` out.
import { Type, type TSchema } from 'typebox';

export const PagingQuery = {
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Items per page (1–200).' }),
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
