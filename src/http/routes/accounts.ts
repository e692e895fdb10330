// Accounts of a workspace (issue 6): list (paged, searched, by parent), read with its counts, create,
// edit, delete. Reads: admins and members; writes: admins, audited (account.create|update|delete).
import type { Static } from 'typebox';
import { createAccount, editAccount, removeAccount } from '../../app/account-changes.js';
import {
  settleDueTouches,
  withTouchCounts,
  type TouchFigures,
} from '../../store/account-health-repository.js';
import {
  ACCOUNT_CURSOR_PARTS,
  accountDetail,
  listAccounts,
  type AccountQuery,
} from '../../store/account-repository.js';
import type { AccountRecord } from '../../store/directory-records.js';
import type { Executor } from '../../store/schema.js';
import { ADMINS, authorize, READERS, type ApiRoutes } from '../context.js';
import { changeContext, valueOf } from '../directory-change.js';
import { HttpError } from '../errors.js';
import { DEFAULT_PAGE, decodeCursor, encodeCursor } from '../paging.js';
import { WorkspaceParams } from '../schemas/common.js';
import { readErrors, writeErrors } from '../schemas/directory-errors.js';
import {
  AccountDetailSchema,
  AccountListQuery,
  AccountPage,
  AccountParams,
  AccountPatchBody,
  AccountSchema,
  NewAccountBody,
  NoContent,
} from '../schemas/directory.js';

const tags = ['directory'];

export const accountRoutes: ApiRoutes = (app, context) => {
  const base = '/api/v1/workspaces/:ws/accounts';

  app.get<{ Params: Static<typeof WorkspaceParams>; Querystring: Static<typeof AccountListQuery> }>(
    base,
    {
      schema: {
        tags,
        description:
          'Accounts with their health (lastTouchAt, lastTouchBy, touchpoints30d, touchpoints90d), paged; ' +
          '?sort=lastTouchAt|-lastTouchAt|name (default: id order), ?notTouchedSince=ISO keeps the accounts ' +
          'not touched since then (never-touched included), ?q= searches id and name, ?parentId= lists children.',
        params: WorkspaceParams,
        querystring: AccountListQuery,
        response: { 200: AccountPage, ...readErrors },
      },
    },
    async (request) => {
      await authorize(request, context, READERS);
      const { q, parentId, notTouchedSince, limit = DEFAULT_PAGE, cursor } = request.query;
      // The cold accounts come coldest first unless asked otherwise: the order their index reads them in
      // (in id order a filter that most accounts pass would make SQLite sort them all; docs/PERFORMANCE.md).
      const sort = request.query.sort ?? (notTouchedSince === undefined ? 'id' : 'lastTouchAt');
      const after = decodeCursor(cursor, ACCOUNT_CURSOR_PARTS[sort]);
      const since = notTouchedSince === undefined ? undefined : instant(notTouchedSince);
      const { ws } = request.params;
      const now = context.messages.now();
      const query: AccountQuery = {
        limit,
        sort,
        ...(q === undefined ? {} : { q }),
        ...(parentId === undefined ? {} : { parentId }),
        ...(since === undefined ? {} : { notTouchedSince: since }),
        ...(after === undefined ? {} : { after }),
      };
      let page = await listAccounts(context.store.db, ws, query, now);
      if (page.dueTouches) {
        await settleDueTouches(context.store.db, ws, now);
        page = await listAccounts(context.store.db, ws, query, now);
      }
      return {
        items: page.items.map(withDomains),
        nextCursor: page.next === null ? null : encodeCursor(page.next),
      };
    },
  );

  app.post<{ Params: Static<typeof WorkspaceParams>; Body: Static<typeof NewAccountBody> }>(
    base,
    {
      schema: {
        tags,
        description: 'Creates an account (admins). 409 when the id exists; the parent must exist.',
        params: WorkspaceParams,
        body: NewAccountBody,
        response: { 201: AccountSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const principal = await authorize(request, context, ADMINS);
      const account = valueOf(
        await createAccount(changeContext(context, principal, request.params.ws), request.body),
      );
      const [item] = await accountItems(
        context.store.db,
        request.params.ws,
        [account],
        context.messages.now(),
      );
      return reply.code(201).send(item);
    },
  );

  app.get<{ Params: Static<typeof AccountParams> }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        description: 'One account with its parent and its children, members and touchpoints counted.',
        params: AccountParams,
        response: { 200: AccountDetailSchema, ...readErrors },
      },
    },
    async (request) => {
      await authorize(request, context, READERS);
      const now = context.messages.now();
      await settleDueTouches(context.store.db, request.params.ws, now);
      const detail = await accountDetail(context.store.db, request.params.ws, request.params.id);
      if (detail === null) throw new HttpError('not-found', `No account ${request.params.id}.`);
      const [item] = await accountItems(context.store.db, request.params.ws, [detail], now);
      return item;
    },
  );

  app.patch<{ Params: Static<typeof AccountParams>; Body: Static<typeof AccountPatchBody> }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        description:
          'Edits name, parent (no cycles: 409) and attributes (merged; null removes a key) (admins). ' +
          'touchpointDefaultBccEmail takes effect on the next message resolved.',
        params: AccountParams,
        body: AccountPatchBody,
        response: { 200: AccountSchema, ...writeErrors },
      },
    },
    async (request) => {
      const principal = await authorize(request, context, ADMINS);
      const account = valueOf(
        await editAccount(
          changeContext(context, principal, request.params.ws),
          request.params.id,
          request.body,
        ),
      );
      const [item] = await accountItems(
        context.store.db,
        request.params.ws,
        [account],
        context.messages.now(),
      );
      return item;
    },
  );

  app.delete<{ Params: Static<typeof AccountParams> }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        description:
          'Deletes an account and its memberships (admins); 409 while it has touchpoints or child accounts.',
        params: AccountParams,
        response: { 204: NoContent, ...writeErrors },
      },
    },
    async (request, reply) => {
      const principal = await authorize(request, context, ADMINS);
      valueOf(await removeAccount(changeContext(context, principal, request.params.ws), request.params.id));
      return reply.code(204).send();
    },
  );
  return Promise.resolve();
};

/** Accounts as the API shows them: with their 30/90-day figures and their domains. */
async function accountItems<T extends AccountRecord>(
  db: Executor,
  workspaceId: string,
  accounts: readonly T[],
  now: Date,
): Promise<(T & TouchFigures & { domains: string[] })[]> {
  const items = await withTouchCounts(db, workspaceId, accounts, now);
  return items.map(withDomains);
}

/** Account domains (SPEC §5 step B) are another issue: none are stored yet, so [] (INTERFACE: never absent). */
function withDomains<T extends AccountRecord>(account: T): T & { domains: string[] } {
  return { ...account, domains: [] };
}

/** An ISO-8601 time as stored (UTC, milliseconds); 400 when it is not one. */
function instant(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw new HttpError('validation-failed', `notTouchedSince: ${value} is not an ISO-8601 time.`);
  return new Date(time).toISOString();
}
