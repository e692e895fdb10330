// API tokens over HTTP: admins list, create and revoke every token of their workspace; a member only
// member tokens of its own login. The secret is answered once, at creation; only its digest is kept.
import { Type, type Static } from 'typebox';
import { normalizeEmail } from '../../domain/address.js';
import { createApiToken, revokeApiToken } from '../../app/api-tokens.js';
import { getToken, listTokens, type TokenInfo } from '../../store/token-repository.js';
import { actorOf, loginOf, type Principal } from '../auth.js';
import { authorize, READERS, type ApiRoutes } from '../context.js';
import { HttpError } from '../errors.js';
import { ErrorSchema, WorkspaceParams } from '../schemas/common.js';
import { TokenCreateBody, TokenSchema } from '../schemas/identity.js';
import { decodeCursor, DEFAULT_PAGE, PageOf, pageFrom, PagingQuery } from '../paging.js';

const responses = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

function tokenJson(token: TokenInfo) {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    loginEmail: token.loginEmail,
    createdAt: token.createdAt.toISOString(),
    revokedAt: token.revokedAt?.toISOString() ?? null,
  };
}

const isAdmin = (principal: Principal) => principal.kind === 'admin' || principal.role === 'admin';

/** The login whose tokens a member manages; a member without a login manages none. */
function ownLogin(principal: Principal): string {
  const login = loginOf(principal);
  if (login === null) throw new HttpError('forbidden', 'Only a login may manage its tokens.');
  return login;
}

export const tokenRoutes: ApiRoutes = (app, context) => {
  const ListQuery = Type.Object({
    ...PagingQuery,
    revoked: Type.Optional(Type.Boolean({ description: 'Include revoked tokens' })),
  });
  app.get<{ Params: Static<typeof WorkspaceParams>; Querystring: Static<typeof ListQuery> }>(
    '/api/v1/workspaces/:ws/tokens',
    {
      schema: {
        description: "API tokens of the workspace (a member sees its own login's); never their secrets.",
        params: WorkspaceParams,
        querystring: ListQuery,
        response: { 200: PageOf(TokenSchema, 'A page of tokens'), ...responses },
      },
    },
    async (request) => {
      const principal = await authorize(request, context, READERS);
      const limit = request.query.limit ?? DEFAULT_PAGE;
      const after = decodeCursor(request.query.cursor, 1)?.[0];
      const rows = await listTokens(context.store.db, request.params.ws, {
        limit: limit + 1,
        includeRevoked: request.query.revoked === true,
        ...(isAdmin(principal) ? {} : { loginEmail: ownLogin(principal) }),
        ...(after === undefined ? {} : { after }),
      });
      return pageFrom(rows, limit, (last) => [last.id], tokenJson);
    },
  );

  app.post<{ Params: Static<typeof WorkspaceParams>; Body: Static<typeof TokenCreateBody> }>(
    '/api/v1/workspaces/:ws/tokens',
    {
      schema: {
        description:
          'Creates a token and answers its secret (shown only now). A member may create only member tokens of ' +
          'its own login; a token of a login stops working when the login is deactivated. Audited.',
        params: WorkspaceParams,
        body: TokenCreateBody,
        response: {
          201: Type.Object({
            ...TokenSchema.properties,
            token: Type.String({ description: 'The secret: shown only in this answer' }),
          }),
          ...responses,
        },
      },
    },
    async (request, reply) => {
      const principal = await authorize(request, context, READERS);
      const ws = request.params.ws;
      const role = request.body.role ?? 'member';
      let loginEmail: string | null;
      if (isAdmin(principal)) {
        const given = request.body.loginEmail;
        loginEmail = given === undefined ? loginOf(principal) : given === null ? null : normalizeEmail(given);
        if (given !== undefined && given !== null && loginEmail === null)
          throw new HttpError('validation-failed', `loginEmail: not an email address: ${given}`);
      } else {
        loginEmail = ownLogin(principal);
        if (role !== 'member') throw new HttpError('forbidden', 'A member may create only member tokens.');
        const given = request.body.loginEmail;
        if (given !== undefined && (given === null || normalizeEmail(given) !== loginEmail))
          throw new HttpError('forbidden', 'A member may create tokens only for its own login.');
      }
      const result = await createApiToken(
        context.store,
        { workspaceId: ws, name: request.body.name, role, loginEmail },
        { actor: actorOf(principal), now: context.messages.now() },
      );
      if (!result.ok) throw new HttpError(result.code, result.message);
      const created = result.value;
      const info = await getToken(context.store.db, ws, created.id);
      if (info === null) throw new Error(`token ${created.id} not found after creation`);
      return reply.code(201).send({ ...tokenJson(info), token: created.token });
    },
  );

  const TokenParams = Type.Object({
    ws: Type.String({ description: 'Workspace id' }),
    id: Type.String({ maxLength: 100 }),
  });
  app.delete<{ Params: Static<typeof TokenParams> }>(
    '/api/v1/workspaces/:ws/tokens/:id',
    {
      schema: {
        description: "Revokes a token (a member: only its own login's). Audited.",
        params: TokenParams,
        response: { 204: Type.Null(), ...responses },
      },
    },
    async (request, reply) => {
      const principal = await authorize(request, context, READERS);
      const ws = request.params.ws;
      const token = await getToken(context.store.db, ws, request.params.id);
      // A member is told nothing of tokens that are not its own.
      if (
        token === null ||
        token.revokedAt !== null ||
        (!isAdmin(principal) && token.loginEmail !== ownLogin(principal))
      )
        throw new HttpError('not-found', `No active token ${request.params.id}.`);
      const result = await revokeApiToken(context.store, token.id, {
        actor: actorOf(principal),
        now: context.messages.now(),
      });
      if (!result.ok) throw new HttpError(result.code, result.message);
      return reply.code(204).send();
    },
  );
  return Promise.resolve();
};
