// The account timeline of INTERFACE.md: `GET /api/v1/workspaces/{ws}/accounts/{id}/timeline`, touchpoint
// summaries newest first, paged by cursor. Admins and members.
import type { Static } from 'typebox';
import { findAccount } from '../../store/account-repository.js';
import { accountTimeline } from '../../store/timeline-repository.js';
import { authorize, READERS, type ApiRoutes } from '../context.js';
import { HttpError } from '../errors.js';
import { DEFAULT_PAGE, decodeCursor, encodeCursor } from '../paging.js';
import { readErrors } from '../schemas/directory-errors.js';
import { AccountParams, TimelinePage, TimelineQuery } from '../schemas/directory.js';

export const timelineRoutes: ApiRoutes = (app, context) => {
  app.get<{ Params: Static<typeof AccountParams>; Querystring: Static<typeof TimelineQuery> }>(
    '/api/v1/workspaces/:ws/accounts/:id/timeline',
    {
      schema: {
        tags: ['touchpoints'],
        description:
          'Touchpoints of the account, newest first (occurredAt, then id, descending): subject, author, ' +
          'participants, a preview of the visible content, attachment count.',
        params: AccountParams,
        querystring: TimelineQuery,
        response: { 200: TimelinePage, ...readErrors },
      },
    },
    async (request) => {
      await authorize(request, context, READERS);
      const { ws, id } = request.params;
      const { limit = DEFAULT_PAGE, cursor } = request.query;
      if ((await findAccount(context.store.db, ws, id)) === null)
        throw new HttpError('not-found', `No account ${id}.`);
      const key = decodeCursor(cursor, 2);
      const page = await accountTimeline(context.store.db, ws, id, {
        limit,
        ...(key === undefined ? {} : { before: { occurredAt: key[0] ?? '', id: key[1] ?? '' } }),
      });
      return {
        items: page.items,
        nextCursor: page.next === null ? null : encodeCursor([page.next.occurredAt, page.next.id]),
      };
    },
  );
  return Promise.resolve();
};
