// Memberships (user ↔ account) of a workspace (issue 6): list by account or user (paged), add, edit
// associatedAt / isContact, remove. Reads: admins and members; writes: admins, audited (membership.*).
import type { Static } from 'typebox';
import { createMembership, editMembership, removeMembership } from '../../app/membership-changes.js';
import { listMemberships } from '../../store/membership-repository.js';
import { ADMINS, authorize, READERS, type ApiRoutes } from '../context.js';
import { changeContext, valueOf } from '../directory-change.js';
import { DEFAULT_PAGE, decodeCursor, encodeCursor } from '../paging.js';
import { WorkspaceParams } from '../schemas/common.js';
import { readErrors, writeErrors } from '../schemas/directory-errors.js';
import {
  MembershipListQuery,
  MembershipPage,
  MembershipParams,
  MembershipPatchBody,
  MembershipSchema,
  NewMembershipBody,
  NoContent,
} from '../schemas/directory.js';

const tags = ['directory'];

export const membershipRoutes: ApiRoutes = (app, context) => {
  const base = '/api/v1/workspaces/:ws/memberships';

  app.get<{ Params: Static<typeof WorkspaceParams>; Querystring: Static<typeof MembershipListQuery> }>(
    base,
    {
      schema: {
        tags,
        description: 'Memberships, paged; ?accountId= (the members of an account) and/or ?userId=.',
        params: WorkspaceParams,
        querystring: MembershipListQuery,
        response: { 200: MembershipPage, ...readErrors },
      },
    },
    async (request) => {
      await authorize(request, context, READERS);
      const { accountId, userId, limit = DEFAULT_PAGE, cursor } = request.query;
      const key = decodeCursor(cursor, 2);
      const page = await listMemberships(context.store.db, request.params.ws, {
        limit,
        ...(accountId === undefined ? {} : { accountId }),
        ...(userId === undefined ? {} : { userId }),
        ...(key === undefined ? {} : { after: { userId: key[0] ?? '', accountId: key[1] ?? '' } }),
      });
      return {
        items: page.items,
        nextCursor: page.next === null ? null : encodeCursor([page.next.userId, page.next.accountId]),
      };
    },
  );

  app.post<{ Params: Static<typeof WorkspaceParams>; Body: Static<typeof NewMembershipBody> }>(
    base,
    {
      schema: {
        tags,
        description:
          'Makes a user a member of an account (admins); both must exist in the workspace; 409 when it exists. ' +
          'associatedAt defaults to now.',
        params: WorkspaceParams,
        body: NewMembershipBody,
        response: { 201: MembershipSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const principal = await authorize(request, context, ADMINS);
      const membership = valueOf(
        await createMembership(changeContext(context, principal, request.params.ws), request.body),
      );
      return reply.code(201).send(membership);
    },
  );

  app.patch<{ Params: Static<typeof MembershipParams>; Body: Static<typeof MembershipPatchBody> }>(
    `${base}/:userId/:accountId`,
    {
      schema: {
        tags,
        description: 'Edits associatedAt (the recency rule compares it, SPEC §5 A3) and isContact (admins).',
        params: MembershipParams,
        body: MembershipPatchBody,
        response: { 200: MembershipSchema, ...writeErrors },
      },
    },
    async (request) => {
      const principal = await authorize(request, context, ADMINS);
      const { ws, userId, accountId } = request.params;
      return valueOf(
        await editMembership(changeContext(context, principal, ws), { userId, accountId }, request.body),
      );
    },
  );

  app.delete<{ Params: Static<typeof MembershipParams> }>(
    `${base}/:userId/:accountId`,
    {
      schema: {
        tags,
        description: 'Removes a user from an account (admins).',
        params: MembershipParams,
        response: { 204: NoContent, ...writeErrors },
      },
    },
    async (request, reply) => {
      const principal = await authorize(request, context, ADMINS);
      const { ws, userId, accountId } = request.params;
      valueOf(await removeMembership(changeContext(context, principal, ws), { userId, accountId }));
      return reply.code(204).send();
    },
  );
  return Promise.resolve();
};
