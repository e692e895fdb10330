// Accounts of a workspace (issue 6): list (paged, searched, by parent), read with its counts, create,
// edit, delete. Reads: admins and members; writes: admins, audited (account.create|update|delete).
import type { Static } from 'typebox';
import { createAccount, editAccount, removeAccount } from '../../app/account-changes.js';
import { accountDetail, listAccounts } from '../../store/account-repository.js';
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
        description: 'Accounts in id order, paged; ?q= searches id and name, ?parentId= lists children.',
        params: WorkspaceParams,
        querystring: AccountListQuery,
        response: { 200: AccountPage, ...readErrors },
      },
    },
    async (request) => {
      await authorize(request, context, READERS);
      const { q, parentId, limit = DEFAULT_PAGE, cursor } = request.query;
      const after = decodeCursor(cursor, 1)?.[0];
      const page = await listAccounts(context.store.db, request.params.ws, {
        limit,
        ...(q === undefined ? {} : { q }),
        ...(parentId === undefined ? {} : { parentId }),
        ...(after === undefined ? {} : { after }),
      });
      return { items: page.items, nextCursor: page.next === null ? null : encodeCursor([page.next]) };
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
      return reply.code(201).send(account);
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
      const detail = await accountDetail(context.store.db, request.params.ws, request.params.id);
      if (detail === null) throw new HttpError('not-found', `No account ${request.params.id}.`);
      return detail;
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
      return valueOf(
        await editAccount(
          changeContext(context, principal, request.params.ws),
          request.params.id,
          request.body,
        ),
      );
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
