// Login users (team members) of a workspace: list with search and paging (members may read), create,
// change, delete (admins), and passwords (the login itself with its current one, or an admin).
import { Type, type Static } from 'typebox';
import {
  changeLoginUser,
  createLoginUser,
  removeLoginUser,
  setLoginPassword,
  type Refusal,
} from '../../app/login-users.js';
import { invitationLink, inviteLogin } from '../../app/invitations.js';
import { verifyPassword } from '../../app/password-hash.js';
import { normalizeEmail } from '../../domain/address.js';
import { getLogin, getPasswordHash, listLogins, type LoginRecord } from '../../store/login-repository.js';
import { actorOf, loginOf } from '../auth.js';
import { ADMINS, authorize, READERS, type ApiRoutes } from '../context.js';
import { HttpError } from '../errors.js';
import { ErrorSchema, WorkspaceParams } from '../schemas/common.js';
import {
  InvitationSchema,
  LoginCreateBody,
  LoginPatchBody,
  LoginSchema,
  PasswordBody,
  Role,
} from '../schemas/identity.js';
import { decodeCursor, DEFAULT_PAGE, PageOf, pageFrom, PagingQuery } from '../paging.js';

const LoginParams = Type.Object({
  ws: Type.String({ description: 'Workspace id' }),
  email: Type.String({ maxLength: 320, description: "The login's email (not an alias)" }),
});
type LoginParamsType = Static<typeof LoginParams>;

const responses = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

export function loginJson(login: LoginRecord) {
  return {
    email: login.email,
    name: login.name,
    role: login.role,
    aliases: [...login.aliases],
    active: login.active,
    hasPassword: login.hasPassword,
    createdAt: login.createdAt.toISOString(),
    updatedAt: login.updatedAt.toISOString(),
  };
}

/** A refused use-case as the API's error. */
export function refusalError(refusal: Refusal): HttpError {
  return new HttpError(refusal.code, refusal.message);
}

/** The login addressed by the path, normalized; a 404 when it is not an address at all. */
function emailParam(params: LoginParamsType): string {
  const email = normalizeEmail(params.email);
  if (email === null) throw new HttpError('not-found', `No login ${params.email}.`);
  return email;
}

export const loginRoutes: ApiRoutes = (app, context) => {
  const acting = (principal: Parameters<typeof actorOf>[0]) => ({
    actor: actorOf(principal),
    now: context.messages.now(),
  });

  const ListQuery = Type.Object({
    ...PagingQuery,
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the email or name, any case' })),
    role: Type.Optional(Role),
    active: Type.Optional(Type.Boolean()),
  });
  app.get<{ Params: Static<typeof WorkspaceParams>; Querystring: Static<typeof ListQuery> }>(
    '/api/v1/workspaces/:ws/logins',
    {
      schema: {
        description:
          'Login users of the workspace by email, with search (?q=) and filters (?role=, ?active=).',
        params: WorkspaceParams,
        querystring: ListQuery,
        response: { 200: PageOf(LoginSchema, 'A page of login users'), ...responses },
      },
    },
    async (request) => {
      await authorize(request, context, READERS);
      const limit = request.query.limit ?? DEFAULT_PAGE;
      const after = decodeCursor(request.query.cursor, 1)?.[0];
      const rows = await listLogins(context.store.db, request.params.ws, {
        limit: limit + 1,
        ...(after === undefined ? {} : { after }),
        ...(request.query.q === undefined ? {} : { q: request.query.q }),
        ...(request.query.role === undefined ? {} : { role: request.query.role }),
        ...(request.query.active === undefined ? {} : { active: request.query.active }),
      });
      return pageFrom(rows, limit, (last) => [last.email], loginJson);
    },
  );

  app.post<{ Params: Static<typeof WorkspaceParams>; Body: Static<typeof LoginCreateBody> }>(
    '/api/v1/workspaces/:ws/logins',
    {
      schema: {
        description:
          'Creates a login user (admin). 409 when the email or an alias already belongs to a login. Audited.',
        params: WorkspaceParams,
        body: LoginCreateBody,
        response: { 201: LoginSchema, ...responses, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      const principal = await authorize(request, context, ADMINS);
      const body = request.body;
      const result = await createLoginUser(
        context.store,
        request.params.ws,
        {
          email: body.email,
          name: body.name ?? '',
          role: body.role ?? 'member',
          aliases: body.aliases ?? [],
          active: body.active ?? true,
        },
        acting(principal),
      );
      if (!result.ok) throw refusalError(result);
      return reply.code(201).send(loginJson(result.value));
    },
  );

  app.get<{ Params: LoginParamsType }>(
    '/api/v1/workspaces/:ws/logins/:email',
    {
      schema: {
        description: 'One login user.',
        params: LoginParams,
        response: { 200: LoginSchema, ...responses },
      },
    },
    async (request) => {
      await authorize(request, context, READERS);
      const login = await getLogin(context.store.db, request.params.ws, emailParam(request.params));
      if (login === null) throw new HttpError('not-found', `No login ${request.params.email}.`);
      return loginJson(login);
    },
  );

  app.patch<{ Params: LoginParamsType; Body: Static<typeof LoginPatchBody> }>(
    '/api/v1/workspaces/:ws/logins/:email',
    {
      schema: {
        description:
          'Changes a login user (admin): name, role, aliases (replaced), active. Deactivating ends its sessions and ' +
          'revokes its tokens; the last active admin cannot be demoted or deactivated (409), even by two admins demoting each other at once. Audited.',
        params: LoginParams,
        body: LoginPatchBody,
        response: { 200: LoginSchema, ...responses, 409: ErrorSchema },
      },
    },
    async (request) => {
      const principal = await authorize(request, context, ADMINS);
      const result = await changeLoginUser(
        context.store,
        request.params.ws,
        emailParam(request.params),
        request.body,
        acting(principal),
      );
      if (!result.ok) throw refusalError(result);
      return loginJson(result.value);
    },
  );

  app.delete<{ Params: LoginParamsType }>(
    '/api/v1/workspaces/:ws/logins/:email',
    {
      schema: {
        description:
          'Deletes a login user (admin), or deactivates it when it authored touchpoints (the tie-break rules and ' +
          'timelines keep naming it). Its sessions end and its tokens are revoked. Audited.',
        params: LoginParams,
        response: {
          200: Type.Object({ result: Type.Union([Type.Literal('deleted'), Type.Literal('deactivated')]) }),
          ...responses,
          409: ErrorSchema,
        },
      },
    },
    async (request) => {
      const principal = await authorize(request, context, ADMINS);
      const result = await removeLoginUser(
        context.store,
        request.params.ws,
        emailParam(request.params),
        acting(principal),
      );
      if (!result.ok) throw refusalError(result);
      return { result: result.value };
    },
  );

  app.put<{ Params: LoginParamsType; Body: Static<typeof PasswordBody> }>(
    '/api/v1/workspaces/:ws/logins/:email/password',
    {
      schema: {
        description:
          'Sets the password a login signs in to the web UI with: the login itself gives its currentPassword; an ' +
          "admin may set anyone's. The login's other sessions end. Audited (never the password).",
        params: LoginParams,
        body: PasswordBody,
        response: { 204: Type.Null(), ...responses },
      },
    },
    async (request, reply) => {
      const principal = await authorize(request, context, READERS);
      const ws = request.params.ws;
      const email = emailParam(request.params);
      const self = loginOf(principal) === email;
      if (self) {
        // Whoever holds a session or token of the login must still know its password to change it.
        const stored = await getPasswordHash(context.store.db, { workspaceId: ws, email });
        if (stored !== null && !(await verifyPassword(request.body.currentPassword ?? '', stored)))
          throw new HttpError('forbidden', 'The current password is wrong.');
      } else if (principal.kind !== 'admin' && principal.role !== 'admin') {
        throw new HttpError('forbidden', "Only an admin may set another login's password.");
      }
      const result = await setLoginPassword(context.store, ws, email, request.body.newPassword, {
        ...acting(principal),
        keepSession: principal.kind === 'session' ? principal.sessionId : null,
      });
      if (!result.ok) throw refusalError(result);
      return reply.code(204).send();
    },
  );
  app.post<{ Params: LoginParamsType }>(
    '/api/v1/workspaces/:ws/logins/:email/invitations',
    {
      schema: {
        summary: 'Invites a login by a one-time sign-in link (admin)',
        description:
          'Invites a login (admin): a one-time sign-in link, working for 72 hours, with which the login sets its own password ' +
          'and is signed in (POST /api/v1/invitations/accept), so no admin chooses it. Shown once; only its digest is kept. ' +
          'An inactive login is refused (409). Audited (never the link).',
        params: LoginParams,
        response: { 201: InvitationSchema, ...responses, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      const principal = await authorize(request, context, ADMINS);
      const result = await inviteLogin(
        context.store,
        request.params.ws,
        emailParam(request.params),
        acting(principal),
      );
      if (!result.ok) throw refusalError(result);
      return reply.code(201).send({
        link: invitationLink(context.publicUrl, result.value.token),
        expiresAt: result.value.expiresAt.toISOString(),
      });
    },
  );
  return Promise.resolve();
};
