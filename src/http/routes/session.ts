// Sign-in for the web UI: POST /api/v1/session (email + password → session cookie + CSRF token),
// GET (who is signed in), DELETE (sign out). The cookie is HttpOnly and SameSite=Strict, Secure when
// TOUCHMAIL_PUBLIC_URL is https; requests that change something also need the CSRF token (auth.ts).
import type { FastifyReply } from 'fastify';
import { Type, type Static } from 'typebox';
import { normalizeEmail } from '../../domain/address.js';
import { acceptInvitation } from '../../app/invitations.js';
import { decoyHash, verifyPassword } from '../../app/password-hash.js';
import { getLogin, signInCandidates } from '../../store/login-repository.js';
import {
  createSession,
  findSession,
  revokeSession,
  SESSION_LIFETIME_MS,
} from '../../store/session-repository.js';
import { presentedSession, SESSION_COOKIE } from '../auth.js';
import { principalOf, type ApiRoutes } from '../context.js';
import { HttpError } from '../errors.js';
import { ErrorSchema } from '../schemas/common.js';
import { InvitationAcceptBody, SessionBody, SessionSchema } from '../schemas/identity.js';
import { LoginThrottle } from '../login-throttle.js';
import { refusalError } from './logins.js';

/** Acceptances are counted per client address under this key (an invitation names no email). */
const INVITATION_THROTTLE_KEY = 'invitation';

/** One message for every failed sign-in: which of email, password or workspace was wrong is not told. */
const BAD_CREDENTIALS = 'The email or password is wrong.';

export const sessionRoutes: ApiRoutes = (app, context) => {
  const throttle = new LoginThrottle(context.store.db);
  const secure = context.publicUrl.protocol === 'https:';
  const cookieAttributes = (maxAgeSeconds: number) =>
    [`Path=/`, `HttpOnly`, `SameSite=Strict`, `Max-Age=${maxAgeSeconds}`, ...(secure ? ['Secure'] : [])].join(
      '; ',
    );

  app.post<{ Body: Static<typeof SessionBody> }>(
    '/api/v1/session',
    {
      schema: {
        security: [],
        description:
          'Signs a login user in with email and password; sets the touchmail_session cookie and answers the CSRF token. ' +
          'workspaceId is needed only when the email is a login of several workspaces. Attempts are limited per email and address: past 10 in 15 minutes without a success, 429 with Retry-After.',
        body: SessionBody,
        response: { 200: SessionSchema, 400: ErrorSchema, 401: ErrorSchema, 429: ErrorSchema },
      },
    },
    async (request, reply) => {
      const now = context.messages.now();
      const email = normalizeEmail(request.body.email);
      const tried = email ?? request.body.email.toLowerCase();
      const wait = await throttle.attempt(tried, request.ip, now);
      if (wait > 0) {
        void reply.header('retry-after', String(wait));
        throw new HttpError('rate-limited', `Too many failed sign-ins; try again in ${wait} seconds.`);
      }
      const candidates = (email === null ? [] : await signInCandidates(context.store.db, email)).filter(
        (c) => request.body.workspaceId === undefined || c.workspaceId === request.body.workspaceId,
      );
      const matching = [];
      for (const candidate of candidates)
        if (await verifyPassword(request.body.password, candidate.passwordHash)) matching.push(candidate);
      // Without a login, a hash is still checked: the answer takes as long whether the email exists or not.
      if (candidates.length === 0) await verifyPassword(request.body.password, await decoyHash());
      const [login, ...others] = matching;
      // A failure stays counted; the right password forgets the count.
      if (login === undefined) throw new HttpError('unauthenticated', BAD_CREDENTIALS);
      await throttle.succeeded(tried, request.ip);
      if (others.length > 0)
        throw new HttpError(
          'validation-failed',
          `This email signs in to several workspaces: give workspaceId (${matching.map((m) => m.workspaceId).join(', ')}).`,
        );
      return signedIn(reply, login, now);
    },
  );

  /** Starts a session for a login that proved who it is: the cookie, and the login with its CSRF token. */
  const signedIn = async (
    reply: FastifyReply,
    login: { email: string; name: string; role: 'admin' | 'member'; workspaceId: string },
    now: Date,
  ) => {
    const session = await createSession(
      context.store.db,
      { workspaceId: login.workspaceId, loginEmail: login.email },
      now,
    );
    void reply.header(
      'set-cookie',
      `${SESSION_COOKIE}=${session.cookie}; ${cookieAttributes(Math.floor(SESSION_LIFETIME_MS / 1000))}`,
    );
    return {
      login: { email: login.email, name: login.name, role: login.role, workspaceId: login.workspaceId },
      csrfToken: session.csrfToken,
    };
  };

  app.post<{ Body: Static<typeof InvitationAcceptBody> }>(
    '/api/v1/invitations/accept',
    {
      schema: {
        security: [],
        tags: ['session'],
        summary: 'Accepts an invitation: sets the password and signs in',
        description:
          "Accepts an invitation: sets the invited login's password (12 to 256 characters) and signs it in like POST /session. " +
          'A link works once and for 72 hours: used, expired or unknown, 400 bad-request. Attempts are limited per address like sign-in (429 with Retry-After).',
        body: InvitationAcceptBody,
        response: { 200: SessionSchema, 400: ErrorSchema, 429: ErrorSchema },
      },
    },
    async (request, reply) => {
      const now = context.messages.now();
      const wait = await throttle.attempt(INVITATION_THROTTLE_KEY, request.ip, now);
      if (wait > 0) {
        void reply.header('retry-after', String(wait));
        throw new HttpError('rate-limited', `Too many failed attempts; try again in ${wait} seconds.`);
      }
      const accepted = await acceptInvitation(context.store, request.body.token, request.body.password, now);
      if (!accepted.ok) throw refusalError(accepted);
      await throttle.succeeded(INVITATION_THROTTLE_KEY, request.ip);
      const login = await getLogin(context.store.db, accepted.value.workspaceId, accepted.value.email);
      if (login === null) throw new Error(`invited login ${accepted.value.email} vanished after accepting`);
      return signedIn(reply, { ...login, workspaceId: accepted.value.workspaceId }, now);
    },
  );

  app.get(
    '/api/v1/session',
    {
      schema: {
        security: [],
        description: 'Who is signed in with the session cookie, and the CSRF token to send; 401 when no one.',
        response: { 200: SessionSchema, 401: ErrorSchema },
      },
    },
    async (request) => {
      const cookie = presentedSession(request);
      const session =
        cookie === null ? null : await findSession(context.store.db, cookie, context.messages.now());
      if (session === null) throw new HttpError('unauthenticated', 'Not signed in.');
      return {
        login: {
          email: session.loginEmail,
          name: session.name,
          role: session.role,
          workspaceId: session.workspaceId,
        },
        csrfToken: session.csrfToken,
      };
    },
  );

  app.delete(
    '/api/v1/session',
    {
      schema: {
        security: [],
        description: 'Signs out: ends the session and clears the cookie. Needs the X-CSRF-Token header.',
        response: { 204: Type.Null(), 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
      },
    },
    async (request, reply) => {
      const now = context.messages.now();
      // Checks the cookie and the CSRF token like every other change.
      const principal = await principalOf(request, context);
      if (principal.kind !== 'session')
        throw new HttpError('bad-request', 'No session to end; tokens are revoked under /tokens.');
      await revokeSession(context.store.db, principal.sessionId, now);
      void reply.header('set-cookie', `${SESSION_COOKIE}=; ${cookieAttributes(0)}`);
      return reply.code(204).send();
    },
  );
  return Promise.resolve();
};
