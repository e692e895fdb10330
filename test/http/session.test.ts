// Sign-in for the web UI: the session cookie and its CSRF token, sign-out, and a login that is
// deactivated, demoted or given a new password losing its sessions (and tokens) at once; both stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLoginUser } from '../../src/app/login-users.js';
import { importWorkspace } from '../../src/app/import-workspace.js';
import type { HttpServer } from '../../src/http/server.js';
import { anotherNode, openApi, type ApiFixture } from '../support/api.js';
import { givePassword, PASSWORD, signIn } from '../support/session.js';
import { STORE_KINDS } from '../support/stores.js';
import { FIXED_NOW } from '../support/workspace.js';

describe.each(STORE_KINDS)('sessions on $name', (kind) => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await openApi(kind);
    await givePassword(api, 'acme', 'jill@acme.com');
    await givePassword(api, 'acme', 'sam@acme.com');
  });
  afterAll(async () => {
    await api.close();
  });
  const acting = () => ({ actor: 'test', now: api.context.messages.now() });

  it('signs in with email and password: a secure cookie, the login and a CSRF token', async () => {
    const response = await api.request('POST', '/api/v1/session', {
      token: null,
      body: { email: 'Jill@ACME.com', password: PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ login: unknown; csrfToken: unknown }>();
    expect(body.login).toEqual({
      email: 'jill@acme.com',
      name: 'Jill Hart',
      role: 'admin',
      workspaceId: 'acme',
    });
    expect(body.csrfToken).toMatch(/^[\w-]{43}$/);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^touchmail_session=[\w-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure'); // TOUCHMAIL_PUBLIC_URL of the fixture is http
    const stored = await api.store.db.selectFrom('sessions').select('id').execute();
    const value = /touchmail_session=([^;]*)/.exec(cookie)?.[1] ?? '';
    expect(stored.map((s) => s.id)).not.toContain(value); // only its digest is stored
  });

  it('answers one generic 401 for a wrong password, an unknown email or an inactive login', async () => {
    for (const body of [
      { email: 'jill@acme.com', password: 'not the password at all' },
      { email: 'nobody@acme.com', password: PASSWORD },
      { email: 'former@acme.com', password: PASSWORD },
      { email: 'not an address', password: PASSWORD },
    ]) {
      const response = await api.request('POST', '/api/v1/session', { token: null, body });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({
        error: { code: 'unauthenticated', message: 'The email or password is wrong.' },
      });
    }
  });

  it('refuses a malformed sign-in with 400', async () => {
    const response = await api.request('POST', '/api/v1/session', {
      token: null,
      body: { email: 'jill@acme.com' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'validation-failed' } });
  });

  it('says who is signed in, and 401 without a session', async () => {
    const session = await signIn(api, 'sam@acme.com');
    const me = await api.request('GET', '/api/v1/session', { token: null, headers: session.headers() });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({
      login: { email: 'sam@acme.com', name: 'Sam Ortiz', role: 'member', workspaceId: 'acme' },
      csrfToken: session.csrfToken,
    });
    expect((await api.request('GET', '/api/v1/session', { token: null })).statusCode).toBe(401);
    const forged = await api.request('GET', '/api/v1/session', {
      token: null,
      headers: { cookie: 'touchmail_session=forged' },
    });
    expect(forged.statusCode).toBe(401);
  });

  it('reads with the cookie alone, but changes only with the X-CSRF-Token header', async () => {
    const session = await signIn(api, 'jill@acme.com');
    const read = await api.request('GET', '/api/v1/workspaces/acme/logins', {
      token: null,
      headers: session.headers({ csrf: false }),
    });
    expect(read.statusCode).toBe(200);
    const body = { name: 'by session', role: 'member' };
    const refused = await api.request('POST', '/api/v1/workspaces/acme/tokens', {
      token: null,
      body,
      headers: session.headers({ csrf: false }),
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'csrf-failed' } });
    const wrong = await api.request('POST', '/api/v1/workspaces/acme/tokens', {
      token: null,
      body,
      headers: { ...session.headers({ csrf: false }), 'x-csrf-token': 'guess' },
    });
    expect(wrong.statusCode).toBe(403);
    const accepted = await api.request('POST', '/api/v1/workspaces/acme/tokens', {
      token: null,
      body,
      headers: session.headers(),
    });
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json()).toMatchObject({ loginEmail: 'jill@acme.com' });
  });

  it('keeps a session inside its workspace: another workspace is 404', async () => {
    const session = await signIn(api, 'jill@acme.com');
    const response = await api.request('GET', '/api/v1/workspaces/other/logins', {
      token: null,
      headers: session.headers(),
    });
    expect(response.statusCode).toBe(404);
  });

  it('signs out: the session ends and the cookie is cleared', async () => {
    const session = await signIn(api, 'sam@acme.com');
    const withoutCsrf = await api.request('DELETE', '/api/v1/session', {
      token: null,
      headers: session.headers({ csrf: false }),
    });
    expect(withoutCsrf.statusCode).toBe(403);
    const out = await api.request('DELETE', '/api/v1/session', { token: null, headers: session.headers() });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    const after = await api.request('GET', '/api/v1/workspaces/acme/logins', {
      token: null,
      headers: session.headers(),
    });
    expect(after.statusCode).toBe(401);
  });

  it('takes rights away at once when the login is demoted', async () => {
    await importWorkspace(
      api.store,
      { workspace: { id: 'acme' }, logins: [{ email: 'dana@acme.com', name: 'Dana', role: 'admin' }] },
      api.context.messages.now(),
    );
    await givePassword(api, 'acme', 'dana@acme.com');
    const session = await signIn(api, 'dana@acme.com');
    const settings = () =>
      api.request('GET', '/api/v1/workspaces/acme/settings', { token: null, headers: session.headers() });
    expect((await settings()).statusCode).toBe(200);
    const demoted = await changeLoginUser(api.store, 'acme', 'dana@acme.com', { role: 'member' }, acting());
    expect(demoted.ok).toBe(true);
    expect((await settings()).statusCode).toBe(403);
  });

  it('ends the sessions and tokens of a deactivated login', async () => {
    await importWorkspace(
      api.store,
      { workspace: { id: 'acme' }, logins: [{ email: 'leaver@acme.com', name: 'Leaver', role: 'member' }] },
      api.context.messages.now(),
    );
    await givePassword(api, 'acme', 'leaver@acme.com');
    const session = await signIn(api, 'leaver@acme.com');
    const created = await api.request('POST', '/api/v1/workspaces/acme/tokens', {
      token: null,
      body: { name: 'leaver script' },
      headers: session.headers(),
    });
    const { token } = created.json<{ token: string }>();
    const asToken = () => api.request('GET', '/api/v1/workspaces/acme/logins', { token });
    const asSession = () =>
      api.request('GET', '/api/v1/workspaces/acme/logins', { token: null, headers: session.headers() });
    expect((await asToken()).statusCode).toBe(200);
    expect((await asSession()).statusCode).toBe(200);
    const off = await api.request('PATCH', '/api/v1/workspaces/acme/logins/leaver@acme.com', {
      body: { active: false },
    });
    expect(off.statusCode).toBe(200);
    expect((await asToken()).statusCode).toBe(401);
    expect((await asSession()).statusCode).toBe(401);
    // Reactivated, the login signs in afresh; the old session and token stay dead.
    await changeLoginUser(api.store, 'acme', 'leaver@acme.com', { active: true }, acting());
    expect((await asToken()).statusCode).toBe(401);
    expect((await asSession()).statusCode).toBe(401);
  });

  it('stops a token of a login deactivated by an import (not through the API)', async () => {
    await importWorkspace(
      api.store,
      { workspace: { id: 'acme' }, logins: [{ email: 'temp@acme.com', name: 'Temp', role: 'admin' }] },
      api.context.messages.now(),
    );
    const created = await api.request('POST', '/api/v1/workspaces/acme/tokens', {
      body: { name: 'temp', role: 'admin', loginEmail: 'temp@acme.com' },
    });
    const { token } = created.json<{ token: string }>();
    expect((await api.request('GET', '/api/v1/workspaces/acme/settings', { token })).statusCode).toBe(200);
    await importWorkspace(
      api.store,
      { workspace: { id: 'acme' }, logins: [{ email: 'temp@acme.com', role: 'member' }] },
      api.context.messages.now(),
    );
    // Demoted: its admin token acts as a member.
    expect((await api.request('GET', '/api/v1/workspaces/acme/settings', { token })).statusCode).toBe(403);
    await importWorkspace(
      api.store,
      { workspace: { id: 'acme' }, logins: [{ email: 'temp@acme.com', role: 'member', active: false }] },
      api.context.messages.now(),
    );
    expect((await api.request('GET', '/api/v1/workspaces/acme/logins', { token })).statusCode).toBe(401);
  });

  it('ends the other sessions when the password changes, keeping the one that changed it', async () => {
    await importWorkspace(
      api.store,
      { workspace: { id: 'acme' }, logins: [{ email: 'pat@acme.com', name: 'Pat', role: 'member' }] },
      api.context.messages.now(),
    );
    await givePassword(api, 'acme', 'pat@acme.com');
    const laptop = await signIn(api, 'pat@acme.com');
    const phone = await signIn(api, 'pat@acme.com');
    const changed = await api.request('PUT', '/api/v1/workspaces/acme/logins/pat@acme.com/password', {
      token: null,
      headers: laptop.headers(),
      body: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' },
    });
    expect(changed.statusCode, changed.body).toBe(204);
    const me = (s: typeof laptop) =>
      api.request('GET', '/api/v1/session', { token: null, headers: s.headers() });
    expect((await me(laptop)).statusCode).toBe(200);
    expect((await me(phone)).statusCode).toBe(401);
    await signIn(api, 'pat@acme.com', 'a brand new passphrase');
    const old = await api.request('POST', '/api/v1/session', {
      token: null,
      body: { email: 'pat@acme.com', password: PASSWORD },
    });
    expect(old.statusCode).toBe(401);
  });

  it('asks for the workspace when the email is a login of several, and signs in to the one named', async () => {
    await importWorkspace(
      api.store,
      {
        workspace: { id: 'other' },
        logins: [{ email: 'jill@acme.com', name: 'Jill Elsewhere', role: 'member' }],
      },
      api.context.messages.now(),
    );
    await givePassword(api, 'other', 'jill@acme.com');
    const ambiguous = await api.request('POST', '/api/v1/session', {
      token: null,
      body: { email: 'jill@acme.com', password: PASSWORD },
    });
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json<{ error: { message: string } }>().error.message).toContain('workspaceId');
    const session = await signIn(api, 'jill@acme.com', PASSWORD, 'other');
    const me = await api.request('GET', '/api/v1/session', { token: null, headers: session.headers() });
    expect(me.json()).toMatchObject({ login: { workspaceId: 'other', role: 'member' } });
  });
});

describe('sign-in throttling', () => {
  it('answers 429 with Retry-After after ten failures for one email and address, and not for others', async () => {
    const api = await openApi();
    try {
      await givePassword(api, 'acme', 'sam@acme.com');
      const attempt = (email: string, password: string) =>
        api.request('POST', '/api/v1/session', { token: null, body: { email, password } });
      for (let i = 0; i < 10; i++)
        expect((await attempt('sam@acme.com', `wrong guess ${i}`)).statusCode).toBe(401);
      const blocked = await attempt('sam@acme.com', PASSWORD);
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json()).toMatchObject({ error: { code: 'rate-limited' } });
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      await givePassword(api, 'acme', 'jill@acme.com');
      expect((await attempt('jill@acme.com', PASSWORD)).statusCode).toBe(200);
      // Counted in the store, by digest: no address in clear.
      const rows = await api.store.db.selectFrom('sign_in_failures').selectAll().execute();
      expect(rows).toMatchObject([{ count: 11 }]); // the refused attempt counted too
      expect(JSON.stringify(rows)).not.toContain('sam@acme.com');
    } finally {
      await api.close();
    }
  });

  it.each(STORE_KINDS)(
    'throttles a parallel burst of wrong passwords at the limit on $name: each attempt counts before its hash is checked',
    async (kind) => {
      const api = await openApi(kind);
      try {
        await givePassword(api, 'acme', 'sam@acme.com');
        const burst = await Promise.all(
          Array.from({ length: 25 }, (_, i) =>
            api.request('POST', '/api/v1/session', {
              token: null,
              body: { email: 'sam@acme.com', password: `wrong guess ${i}` },
            }),
          ),
        );
        const statuses = burst.map((r) => r.statusCode);
        expect(statuses.filter((s) => s === 401)).toHaveLength(10);
        expect(statuses.filter((s) => s === 429)).toHaveLength(15);
      } finally {
        await api.close();
      }
    },
  );

  it('shares the count between API nodes of one store, and a new window starts after 15 minutes', async () => {
    const api = await openApi();
    const later = await anotherNode(api, new Date(FIXED_NOW.getTime() + 15 * 60 * 1000 + 1000));
    const other = await anotherNode(api, FIXED_NOW);
    try {
      await givePassword(api, 'acme', 'sam@acme.com');
      const attempt = (node: HttpServer, password: string) =>
        node.inject({
          method: 'POST',
          url: '/api/v1/session',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ email: 'sam@acme.com', password }),
        });
      for (let i = 0; i < 10; i++)
        expect((await attempt(i % 2 === 0 ? api.app : other, `wrong guess ${i}`)).statusCode).toBe(401);
      expect((await attempt(api.app, PASSWORD)).statusCode).toBe(429);
      expect((await attempt(other, PASSWORD)).statusCode).toBe(429);
      expect((await attempt(later, PASSWORD)).statusCode).toBe(200);
    } finally {
      await other.close();
      await later.close();
      await api.close();
    }
  });
});
