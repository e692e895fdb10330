// Every identity route refuses: no credentials (401), a member on an admin route (403), a token of
// one workspace aimed at another's objects (404, never revealing them), and a bad body or query (400).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi, type ApiFixture } from '../support/api.js';

interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `{ws}` is replaced by the workspace aimed at; `{login}` by a member of it, `{admin}` by an admin. */
  readonly path: string;
  readonly body?: unknown;
  /** A member may not call it (403). */
  readonly adminOnly: boolean;
  /** A request of an admin refused with 400 (null: the route takes no input to get wrong). */
  readonly invalid: { readonly path?: string; readonly body?: unknown } | null;
}

const settings = {
  name: 'Renamed',
  touchpointAddresses: ['touchpoints@acme.example'],
  internalDomains: ['acme.com'],
  defaultFlow: 'Default',
  defaultReason: null,
  senderAuthPolicy: 'dmarc',
  trustedAuthservIds: [],
};
const LONG = 'x'.repeat(400);

const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/workspaces/{ws}/logins',
    adminOnly: false,
    invalid: { path: '/api/v1/workspaces/{ws}/logins?limit=0' },
  },
  {
    method: 'POST',
    path: '/api/v1/workspaces/{ws}/logins',
    body: { email: 'new@x.example' },
    adminOnly: true,
    invalid: { body: { email: 'new@x.example', role: 'owner' } },
  },
  {
    method: 'GET',
    path: '/api/v1/workspaces/{ws}/logins/{login}',
    adminOnly: false,
    invalid: { path: `/api/v1/workspaces/{ws}/logins/${LONG}` },
  },
  {
    method: 'PATCH',
    path: '/api/v1/workspaces/{ws}/logins/{login}',
    body: { name: 'X' },
    adminOnly: true,
    invalid: { body: {} },
  },
  {
    method: 'DELETE',
    path: '/api/v1/workspaces/{ws}/logins/{login}',
    adminOnly: true,
    invalid: { path: `/api/v1/workspaces/{ws}/logins/${LONG}` },
  },
  {
    method: 'PUT',
    path: '/api/v1/workspaces/{ws}/logins/{admin}/password',
    body: { newPassword: 'another long passphrase' },
    adminOnly: true,
    invalid: { body: { newPassword: 'short' } },
  },
  {
    method: 'GET',
    path: '/api/v1/workspaces/{ws}/tokens',
    adminOnly: false,
    invalid: { path: '/api/v1/workspaces/{ws}/tokens?cursor=forged!' },
  },
  {
    method: 'POST',
    path: '/api/v1/workspaces/{ws}/tokens',
    body: { name: 'n' },
    adminOnly: false,
    invalid: { body: { name: '' } },
  },
  {
    method: 'DELETE',
    path: '/api/v1/workspaces/{ws}/tokens/no-such-token',
    adminOnly: false,
    invalid: { path: `/api/v1/workspaces/{ws}/tokens/${LONG}` },
  },
  { method: 'GET', path: '/api/v1/workspaces/{ws}/settings', adminOnly: true, invalid: null },
  {
    method: 'PUT',
    path: '/api/v1/workspaces/{ws}/settings',
    body: settings,
    adminOnly: true,
    invalid: { body: { ...settings, senderAuthPolicy: 'maybe' } },
  },
  {
    method: 'GET',
    path: '/api/v1/workspaces/{ws}/audit',
    adminOnly: true,
    invalid: { path: '/api/v1/workspaces/{ws}/audit?cursor=bm9wZQ' },
  },
];

const PEOPLE = {
  acme: { login: 'sam@acme.com', admin: 'jill@acme.com' },
  other: { login: 'olga@other.example', admin: 'olga@other.example' },
} as const;
const url = (path: string, ws: 'acme' | 'other') =>
  path.replaceAll('{ws}', ws).replaceAll('{login}', PEOPLE[ws].login).replaceAll('{admin}', PEOPLE[ws].admin);

describe('identity routes refuse', () => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await openApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it.each(ROUTES)('$method $path without credentials: 401', async (route) => {
    const response = await api.request(route.method, url(route.path, 'acme'), {
      token: null,
      body: route.body,
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it.each(ROUTES.filter((r) => r.adminOnly))('$method $path as a member: 403', async (route) => {
    const response = await api.request(route.method, url(route.path, 'acme'), {
      token: api.tokens.acmeMember,
      body: route.body,
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  it.each(ROUTES)('$method $path of another workspace: 404', async (route) => {
    for (const token of [api.tokens.acmeAdmin, api.tokens.acmeMember]) {
      const response = await api.request(route.method, url(route.path, 'other'), { token, body: route.body });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'not-found' } });
    }
  });

  it.each(ROUTES.filter((r) => r.invalid !== null))(
    '$method $path with a bad request: 400',
    async (route) => {
      const response = await api.request(route.method, url(route.invalid?.path ?? route.path, 'acme'), {
        body: route.invalid?.body ?? route.body,
      });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'validation-failed' } });
    },
  );

  it('intake tokens may not use them', async () => {
    const response = await api.request('GET', '/api/v1/workspaces/acme/logins', {
      token: api.tokens.acmeIntake,
    });
    expect(response.statusCode).toBe(403);
  });

  it('never shows the other workspace’s data in any answer', async () => {
    for (const route of ROUTES.filter((r) => r.method === 'GET')) {
      const response = await api.request('GET', url(route.path, 'acme'));
      expect(response.body).not.toMatch(/olga|other\.example/);
    }
  });
});
