// Who is calling: TOUCHMAIL_ADMIN_TOKEN (admin of every workspace) or an API token of one workspace,
// presented as `Authorization: Bearer …` or as the password of HTTP Basic auth (what webhook providers
// can put in a URL: https://x:TOKEN@host/…).
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
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
    };

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

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function authenticate(
  request: FastifyRequest,
  store: Store,
  adminToken: string | null,
): Promise<Principal> {
  const token = presentedToken(request);
  if (token === null || token === '')
    throw new HttpError('unauthenticated', 'Send a token: Authorization: Bearer TOKEN.');
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

/** Who did it, for audit entries and edit history: the login's email, else the token. */
export function actorOf(principal: Principal): string {
  if (principal.kind === 'admin') return 'admin-token';
  return principal.loginEmail ?? `token:${principal.tokenId}`;
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
    throw new HttpError('forbidden', `A ${principal.role} token may not do this.`);
}
