// Every directory and timeline route against who may call it: no token (401), a member on a write (403),
// acme's token aimed at workspace `other` or at other's objects through acme (404), a bad request (400).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi, type ApiFixture } from '../support/api.js';

interface ErrorBody {
  error: { code: string; message: string };
}

/** An id longer than any stored one may be (1000 characters). */
const LONG = 'x'.repeat(1001);

interface Route {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The path under /api/v1/workspaces/{ws}, aimed at objects of workspace `other`. */
  readonly path: string;
  readonly body?: unknown;
  /** A request to acme's own objects that fails validation. */
  readonly invalid: { readonly path: string; readonly body?: unknown };
  readonly write: boolean;
}

const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/accounts', invalid: { path: '/accounts?limit=0' }, write: false },
  {
    method: 'POST',
    path: '/accounts',
    body: { id: 'new-acc', name: 'New' },
    invalid: { path: '/accounts', body: { name: 'no id' } },
    write: true,
  },
  { method: 'GET', path: '/accounts/o-acc', invalid: { path: `/accounts/${LONG}` }, write: false },
  {
    method: 'PATCH',
    path: '/accounts/o-acc',
    body: { name: 'Renamed' },
    invalid: { path: '/accounts/globex', body: { attributes: { touchpointDefaultBccEmail: 'yes' } } },
    write: true,
  },
  { method: 'DELETE', path: '/accounts/o-acc', invalid: { path: `/accounts/${LONG}` }, write: true },
  {
    method: 'GET',
    path: '/accounts/o-acc/timeline',
    invalid: { path: '/accounts/globex/timeline?cursor=not-ours' },
    write: false,
  },
  { method: 'GET', path: '/users', invalid: { path: '/users?limit=500' }, write: false },
  {
    method: 'POST',
    path: '/users',
    body: { id: 'new-user', email: 'new@new.example' },
    invalid: { path: '/users', body: { id: 'x', email: 'not an address' } },
    write: true,
  },
  { method: 'GET', path: '/users/o-user', invalid: { path: `/users/${LONG}` }, write: false },
  {
    method: 'PATCH',
    path: '/users/o-user',
    body: { name: 'Renamed' },
    invalid: { path: '/users/u-bob', body: { email: 42 } },
    write: true,
  },
  { method: 'DELETE', path: '/users/o-user', invalid: { path: `/users/${LONG}` }, write: true },
  {
    method: 'GET',
    path: '/memberships?accountId=o-acc',
    invalid: { path: '/memberships?cursor=%%%' },
    write: false,
  },
  {
    method: 'POST',
    path: '/memberships',
    body: { userId: 'o-user', accountId: 'o-acc', isContact: true },
    invalid: {
      path: '/memberships',
      body: { userId: 'u-bob', accountId: 'initech', associatedAt: 'yesterday' },
    },
    write: true,
  },
  {
    method: 'PATCH',
    path: '/memberships/o-user/o-acc',
    body: { isContact: true },
    invalid: { path: '/memberships/u-bob/globex', body: { associatedAt: '2026-13-45T00:00:00Z' } },
    write: true,
  },
  {
    method: 'DELETE',
    path: '/memberships/o-user/o-acc',
    invalid: { path: `/memberships/u-bob/${LONG}` },
    write: true,
  },
];

const name = (route: Route) => `${route.method} ${route.path}`;

describe('directory routes: who may call them', () => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await openApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it.each(ROUTES)('$method $path answers 401 without a token', async (route) => {
    const response = await api.request(route.method, `/api/v1/workspaces/acme${route.path}`, {
      token: null,
      body: route.body,
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it.each(ROUTES.filter((r) => r.write))('$method $path answers 403 to a member', async (route) => {
    const response = await api.request(route.method, `/api/v1/workspaces/acme${route.path}`, {
      token: api.tokens.acmeMember,
      body: route.body,
    });
    expect(response.statusCode).toBe(403);
  });

  it.each(ROUTES)("$method $path answers 404 to acme's token on workspace other", async (route) => {
    const response = await api.request(route.method, `/api/v1/workspaces/other${route.path}`, {
      token: api.tokens.acmeAdmin,
      body: route.body,
    });
    expect(response.statusCode, name(route)).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'not-found' } });
  });

  it.each(ROUTES.filter((r) => r.path.includes('/o-')))(
    "$method $path answers 404 when other's object is asked for through acme",
    async (route) => {
      const response = await api.request(route.method, `/api/v1/workspaces/acme${route.path}`, {
        token: api.tokens.acmeAdmin,
        body: route.body,
      });
      expect(response.statusCode, name(route)).toBe(404);
    },
  );

  it('lists of acme never show objects of other', async () => {
    for (const path of ['/accounts', '/users', '/memberships', '/accounts?q=other', '/users?q=carl']) {
      const response = await api.request('GET', `/api/v1/workspaces/acme${path}`);
      expect(response.statusCode).toBe(200);
      expect(response.body).not.toMatch(/o-acc|o-user|Other/);
    }
    const members = await api.request('GET', '/api/v1/workspaces/acme/memberships?accountId=o-acc');
    expect(members.json()).toEqual({ items: [], nextCursor: null });
  });

  it('a membership cannot join acme objects to other objects', async () => {
    const response = await api.request('POST', '/api/v1/workspaces/acme/memberships', {
      body: { userId: 'o-user', accountId: 'globex' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.message).toMatch(/no user o-user/);
  });

  it.each(ROUTES)('$method $path answers 400 to a bad request', async (route) => {
    const response = await api.request(route.method, `/api/v1/workspaces/acme${route.invalid.path}`, {
      body: route.invalid.body,
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<ErrorBody>().error.code).toMatch(/^(validation-failed|bad-request)$/);
  });

  it('the other workspace still has every object the sweep aimed at', async () => {
    const response = await api.request('GET', '/api/v1/workspaces/other/accounts/o-acc', {
      token: api.tokens.otherAdmin,
    });
    expect(response.json()).toMatchObject({ name: 'Other Customer', membersCount: 1, touchpointCount: 1 });
    const user = await api.request('GET', '/api/v1/workspaces/other/users/o-user', {
      token: api.tokens.otherAdmin,
    });
    expect(user.json()).toMatchObject({
      name: 'Carl Other',
      memberships: [{ accountId: 'o-acc', isContact: false }],
    });
  });
});
