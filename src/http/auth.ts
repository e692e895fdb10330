// Who is calling: TOUCHMAIL_ADMIN_TOKEN (admin of every workspace), an API token of one workspace —
// presented as `Authorization: Bearer …` or as the password of HTTP Basic auth (what webhook providers
// can put in a URL: https://x:TOKEN@host/…) — or the web UI's session cookie, which must carry the
// session's X-CSRF-Token on every request that changes something (tokens need none: a browser never
// sends them by itself).
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { findSession } from '../store/session-repository.js';
import type { Store } from '../store/store.js';
import { findToken, type TokenRole } from '../store/token-repository.js';
import { HttpError } from './errors.js';

export type Principal =
  | { readonly kind: 'admin' }
  | {
      readonly kind: 'token';
      readonly tokenId: string;
      readonly workspaceId: string;
      readonly role: TokenRole;
      readonly loginEmail: string | null;
    }
  | {
      readonly kind: 'session';
      /** The stored session id (a digest of the cookie), never the cookie itself. */
      readonly sessionId: string;
      readonly workspaceId: string;
      /** The login's current role. */
      readonly role: 'admin' | 'member';
      readonly loginEmail: string;
    };

/** The web UI's session cookie (HttpOnly, SameSite=Strict; see routes/session.ts). */
export const SESSION_COOKIE = 'touchmail_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Methods that change nothing (RFC 9110 §9.2.1): a session needs no CSRF token for them. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function presentedToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const [scheme, value = ''] = header.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'bearer') return value;
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? null : decoded.slice(colon + 1);
  }
  return null;
}

/** The session cookie's value, or null. */
export function presentedSession(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * What identifies a caller whose credential was verified, for rate limiting. An unverified credential
 * identifies no one (anyone can make up a token per request): such a caller is keyed by its address.
 */
export function principalKey(principal: Principal): string {
  switch (principal.kind) {
    case 'admin':
      return 'admin';
    case 'token':
      return `token:${principal.tokenId}`;
    case 'session':
      return `session:${principal.sessionId}`;
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function authenticate(
  request: FastifyRequest,
  store: Store,
  adminToken: string | null,
  now: Date = new Date(),
): Promise<Principal> {
  const token = presentedToken(request);
  if (token === null || token === '') {
    const cookie = presentedSession(request);
    if (cookie !== null && cookie !== '') return sessionPrincipal(request, store, cookie, now);
    throw new HttpError('unauthenticated', 'Sign in, or send a token: Authorization: Bearer TOKEN.');
  }
  if (adminToken !== null && sameSecret(token, adminToken)) return { kind: 'admin' };
  const found = await findToken(store.db, token);
  if (found === null) throw new HttpError('unauthenticated', 'The token is unknown or revoked.');
  return {
    kind: 'token',
    tokenId: found.tokenId,
    workspaceId: found.workspaceId,
    role: found.role,
    loginEmail: found.loginEmail,
  };
}

async function sessionPrincipal(
  request: FastifyRequest,
  store: Store,
  cookie: string,
  now: Date,
): Promise<Principal> {
  const session = await findSession(store.db, cookie, now);
  if (session === null) throw new HttpError('unauthenticated', 'The session has ended; sign in again.');
  if (!SAFE_METHODS.has(request.method)) {
    const header = request.headers[CSRF_HEADER];
    const sent = typeof header === 'string' ? header : '';
    if (!sameSecret(sent, session.csrfToken))
      throw new HttpError('csrf-failed', "Send the session's csrfToken as the X-CSRF-Token header.");
  }
  return {
    kind: 'session',
    sessionId: session.sessionId,
    workspaceId: session.workspaceId,
    role: session.role,
    loginEmail: session.loginEmail,
  };
}

/** Who did it, for audit entries and edit history: the login's email, else the token. */
export function actorOf(principal: Principal): string {
  if (principal.kind === 'admin') return 'admin-token';
  if (principal.kind === 'session') return principal.loginEmail;
  return principal.loginEmail ?? `token:${principal.tokenId}`;
}

/** The login acting, when the principal is one (a session, or a token bound to a login). */
export function loginOf(principal: Principal): string | null {
  return principal.kind === 'admin' ? null : principal.loginEmail;
}

/** Refuses a principal of another workspace with 404 (the workspace's existence is not revealed). */
export function requireWorkspace(
  principal: Principal,
  workspaceId: string,
  roles: readonly TokenRole[],
): void {
  if (principal.kind === 'admin') return;
  if (principal.workspaceId !== workspaceId) throw new HttpError('not-found', `No workspace ${workspaceId}.`);
  if (!roles.includes(principal.role))
    throw new HttpError(
      'forbidden',
      principal.kind === 'session'
        ? `A ${principal.role} may not do this.`
        : `A ${principal.role} token may not do this.`,
    );
}
