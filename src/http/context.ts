// What the API's routes run with, and the one way a route checks who may call it: `authorize` finds
// the principal and refuses other workspaces (404) and insufficient roles (403).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MessageDependencies } from '../app/dependencies.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { SalesforceIntegration } from '../outbound/salesforce/integration.js';
import type { Store } from '../store/store.js';
import type { TokenRole } from '../store/token-repository.js';
import { authenticate, requireWorkspace, type Principal } from './auth.js';

export interface ApiContext {
  readonly store: Store;
  /** The message use-cases (retry, assign) with their clock and id source. */
  readonly messages: MessageDependencies;
  readonly adminToken: string | null;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Base of links in notices and the UI (TOUCHMAIL_PUBLIC_URL). */
  readonly publicUrl: URL;
  /** Says outbox items were queued (notices, Salesforce): the outbox worker looks at once. */
  readonly wakeOutbox: () => void;
  /** The Salesforce sync (settings' secret box, connection test, the outbox handler). */
  readonly salesforce: SalesforceIntegration;
}

/** A route module: registers its routes on the app. */
export type ApiRoutes = (app: FastifyInstance, context: ApiContext) => Promise<void>;

/** Roles that may read a workspace's data; writes to settings and the directory are `admin` only. */
export const READERS: readonly TokenRole[] = ['admin', 'member'];
export const ADMINS: readonly TokenRole[] = ['admin'];

const ALL_ROLES: readonly TokenRole[] = ['admin', 'member', 'intake'];

/** Each request's principal, found once (by the rate limit, the workspace guard, or the route). */
const principals = new WeakMap<FastifyRequest, Promise<Principal>>();

/**
 * The caller of `request`, authenticated once per request however many times it is asked; rejects
 * (401, CSRF) as `authenticate` does.
 */
export function principalOf(request: FastifyRequest, context: ApiContext): Promise<Principal> {
  let found = principals.get(request);
  if (found === undefined) {
    found = authenticate(request, context.store, context.adminToken, context.messages.now());
    principals.set(request, found);
  }
  return found;
}

/**
 * Guards every route under /api/v1/workspaces/:ws before its body is parsed or validated: no
 * credentials → 401, another workspace → 404, whatever the route and the body. Routes then check
 * roles with `authorize`.
 */
export function workspaceGuard(context: ApiContext): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    if (!request.routeOptions.url?.startsWith('/api/v1/workspaces/:ws')) return;
    const params = request.params;
    const ws = typeof params === 'object' && params !== null && 'ws' in params ? params.ws : undefined;
    if (typeof ws !== 'string') return;
    requireWorkspace(await principalOf(request, context), ws, ALL_ROLES);
  };
}

/** The caller, allowed on the workspace of the route's `:ws` with one of `roles`; throws 401/403/404. */
export async function authorize(
  request: FastifyRequest<{ Params: { ws: string } }>,
  context: ApiContext,
  roles: readonly TokenRole[],
): Promise<Principal> {
  const principal = await principalOf(request, context);
  requireWorkspace(principal, request.params.ws, roles);
  return principal;
}

/** As `authorize`, for a route whose workspace is not in its path (the import names it in its body). */
export async function authorizeWorkspace(
  request: FastifyRequest,
  context: ApiContext,
  workspaceId: string,
  roles: readonly TokenRole[],
): Promise<Principal> {
  const principal = await principalOf(request, context);
  requireWorkspace(principal, workspaceId, roles);
  return principal;
}
