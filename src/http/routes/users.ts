// Users (customer people) of a workspace (issue 6): list (paged, searched, by account), read with their
// memberships, create, edit, delete. Reads: admins and members; writes: admins, audited (user.*).
import type { Static } from 'typebox';
import { createUser, editUser, removeUser } from '../../app/user-changes.js';
import { normalizeEmail } from '../../domain/address.js';
import { findUser, listUsers, membershipsOfUser } from '../../store/user-repository.js';
import { ADMINS, authorize, READERS, type ApiRoutes } from '../context.js';
import { changeContext, valueOf } from '../directory-change.js';
import { HttpError } from '../errors.js';
import { DEFAULT_PAGE, decodeCursor, encodeCursor } from '../paging.js';
import { WorkspaceParams } from '../schemas/common.js';
import { readErrors, writeErrors } from '../schemas/directory-errors.js';
import {
  NewUserBody,
  NoContent,
  UserDetailSchema,
  UserListQuery,
  UserPage,
  UserParams,
  UserPatchBody,
  UserSchema,
} from '../schemas/directory.js';

const tags = ['directory'];
/** Memberships shown with a user; more are paged through GET …/memberships?userId=. */
const MEMBERSHIPS_SHOWN = 200;

export const userRoutes: ApiRoutes = (app, context) => {
  const base = '/api/v1/workspaces/:ws/users';

  app.get<{ Params: Static<typeof WorkspaceParams>; Querystring: Static<typeof UserListQuery> }>(
    base,
    {
      schema: {
        tags,
        description:
          'Users in id order, paged; ?q= searches id, email and name, ?accountId= lists members, ?email= finds the users with exactly that email.',
        params: WorkspaceParams,
        querystring: UserListQuery,
        response: { 200: UserPage, ...readErrors },
      },
    },
    async (request) => {
      await authorize(request, context, READERS);
      const { q, accountId, email, limit = DEFAULT_PAGE, cursor } = request.query;
      const after = decodeCursor(cursor, 1)?.[0];
      const exactly = email === undefined ? undefined : normalizeEmail(email);
      if (exactly === null)
        throw new HttpError('validation-failed', `email: ${email} is not an email address.`);
      const page = await listUsers(context.store.db, request.params.ws, {
        limit,
        ...(q === undefined ? {} : { q }),
        ...(accountId === undefined ? {} : { accountId }),
        ...(exactly === undefined ? {} : { email: exactly }),
        ...(after === undefined ? {} : { after }),
      });
      return { items: page.items, nextCursor: page.next === null ? null : encodeCursor([page.next]) };
    },
  );

  app.post<{ Params: Static<typeof WorkspaceParams>; Body: Static<typeof NewUserBody> }>(
    base,
    {
      schema: {
        tags,
        description:
          'Creates a user (admins); the email is normalized as the import does. 409 when the id exists.',
        params: WorkspaceParams,
        body: NewUserBody,
        response: { 201: UserSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const principal = await authorize(request, context, ADMINS);
      const user = valueOf(
        await createUser(changeContext(context, principal, request.params.ws), request.body),
      );
      return reply.code(201).send(user);
    },
  );

  app.get<{ Params: Static<typeof UserParams> }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        description: 'One user with the accounts they belong to.',
        params: UserParams,
        response: { 200: UserDetailSchema, ...readErrors },
      },
    },
    async (request) => {
      await authorize(request, context, READERS);
      const { ws, id } = request.params;
      const user = await findUser(context.store.db, ws, id);
      if (user === null) throw new HttpError('not-found', `No user ${id}.`);
      return { ...user, memberships: await membershipsOfUser(context.store.db, ws, id, MEMBERSHIPS_SHOWN) };
    },
  );

  app.patch<{ Params: Static<typeof UserParams>; Body: Static<typeof UserPatchBody> }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        description: 'Edits email and name (admins).',
        params: UserParams,
        body: UserPatchBody,
        response: { 200: UserSchema, ...writeErrors },
      },
    },
    async (request) => {
      const principal = await authorize(request, context, ADMINS);
      return valueOf(
        await editUser(changeContext(context, principal, request.params.ws), request.params.id, request.body),
      );
    },
  );

  app.delete<{ Params: Static<typeof UserParams> }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        description: 'Deletes a user and their memberships (admins); touchpoints keep their participants.',
        params: UserParams,
        response: { 204: NoContent, ...writeErrors },
      },
    },
    async (request, reply) => {
      const principal = await authorize(request, context, ADMINS);
      valueOf(await removeUser(changeContext(context, principal, request.params.ws), request.params.id));
      return reply.code(204).send();
    },
  );
  return Promise.resolve();
};
