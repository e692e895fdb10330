// Invitations (issue 18): an admin invites a login by a one-time link instead of choosing its password;
// the link sets the password and signs the login in, once, within 72 hours; both stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpServer } from '../../src/http/server.js';
import { anotherNode, openApi, type ApiFixture } from '../support/api.js';
import { STORE_KINDS } from '../support/stores.js';
import { FIXED_NOW } from '../support/workspace.js';

const NEW_PASSWORD = 'a password of my own choosing';

describe.each(STORE_KINDS)('invitations on $name', (kind) => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await openApi(kind);
  });
  afterAll(async () => {
    await api.close();
  });

  async function newLogin(email: string): Promise<void> {
    const created = await api.request('POST', '/api/v1/workspaces/acme/logins', {
      token: api.tokens.acmeAdmin,
      body: { email, name: 'Invited Person', role: 'member' },
    });
    expect(created.statusCode, created.body).toBe(201);
  }

  async function invite(email: string): Promise<{ link: string; expiresAt: string; token: string }> {
    const response = await api.request('POST', `/api/v1/workspaces/acme/logins/${email}/invitations`, {
      token: api.tokens.acmeAdmin,
    });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json<{ link: string; expiresAt: string }>();
    return { ...body, token: body.link.split('#/invitation/')[1] ?? '' };
  }

  const accept = (token: string, password = NEW_PASSWORD, server?: HttpServer) =>
    server === undefined
      ? api.request('POST', '/api/v1/invitations/accept', { token: null, body: { token, password } })
      : server.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token, password } });

  it('invites a login by a link to the web UI, kept only as a digest, and audits it without the link', async () => {
    await newLogin('ivy@acme.com');
    const invitation = await invite('Ivy@ACME.com');
    expect(invitation.link).toMatch(/^http:\/\/touchmail\.test\/#\/invitation\/[\w-]{43}$/);
    expect(invitation.expiresAt).toBe(new Date(FIXED_NOW.getTime() + 72 * 3600 * 1000).toISOString());
    const stored = await api.store.db.selectFrom('invitations').selectAll().execute();
    expect(stored.map((s) => s.login_email)).toContain('ivy@acme.com');
    expect(JSON.stringify(stored)).not.toContain(invitation.token);
    const audit = await api.request('GET', '/api/v1/workspaces/acme/audit?action=login.invite', {
      token: api.tokens.acmeAdmin,
    });
    expect(audit.json()).toMatchObject({ items: [{ actor: 'jill@acme.com', subject: 'ivy@acme.com' }] });
    expect(audit.body).not.toContain(invitation.token);
  });

  it('lets only an admin invite, and only an existing, active login', async () => {
    const asMember = await api.request('POST', '/api/v1/workspaces/acme/logins/jill@acme.com/invitations', {
      token: api.tokens.acmeMember,
    });
    expect(asMember.statusCode).toBe(403);
    const unknown = await api.request('POST', '/api/v1/workspaces/acme/logins/nobody@acme.com/invitations', {
      token: api.tokens.acmeAdmin,
    });
    expect(unknown.statusCode).toBe(404);
    const inactive = await api.request('POST', '/api/v1/workspaces/acme/logins/former@acme.com/invitations', {
      token: api.tokens.acmeAdmin,
    });
    expect(inactive.statusCode).toBe(409);
  });

  it('sets the password and signs the login in, once', async () => {
    await newLogin('ian@acme.com');
    const { token } = await invite('ian@acme.com');
    const response = await accept(token);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      login: { email: 'ian@acme.com', role: 'member', workspaceId: 'acme' },
      csrfToken: expect.stringMatching(/^[\w-]{43}$/) as unknown,
    });
    const cookie = /touchmail_session=([^;]*)/.exec(String(response.headers['set-cookie']))?.[1] ?? '';
    const me = await api.request('GET', '/api/v1/session', {
      token: null,
      headers: { cookie: `touchmail_session=${cookie}` },
    });
    expect(me.json()).toMatchObject({ login: { email: 'ian@acme.com' } });
    const signIn = await api.request('POST', '/api/v1/session', {
      token: null,
      body: { email: 'ian@acme.com', password: NEW_PASSWORD },
    });
    expect(signIn.statusCode).toBe(200);

    const again = await accept(token, 'yet another password here');
    expect(again.statusCode).toBe(400);
    expect(again.json()).toEqual({
      error: {
        code: 'bad-request',
        message:
          'This invitation link was already used, has expired or does not exist; ask an admin for a new one.',
      },
    });
  });

  it('keeps the link usable when the password is refused', async () => {
    await newLogin('iris@acme.com');
    const { token } = await invite('iris@acme.com');
    const short = await accept(token, 'too short');
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ error: { code: 'validation-failed' } });
    expect((await accept(token)).statusCode).toBe(200);
  });

  it('refuses an expired link and an unknown one alike', async () => {
    await newLogin('ines@acme.com');
    const { token } = await invite('ines@acme.com');
    const later = await anotherNode(api, new Date(FIXED_NOW.getTime() + 72 * 3600 * 1000 + 1));
    try {
      const expired = await accept(token, NEW_PASSWORD, later);
      expect(expired.statusCode).toBe(400);
      expect(expired.json()).toMatchObject({ error: { code: 'bad-request' } });
    } finally {
      await later.close();
    }
    const unknown = await accept('not-a-token-anyone-was-given');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: { code: 'bad-request' } });
  });

  it('refuses a link of a login deactivated since, leaving its password unset', async () => {
    await newLogin('iggy@acme.com');
    const { token } = await invite('iggy@acme.com');
    const off = await api.request('PATCH', '/api/v1/workspaces/acme/logins/iggy@acme.com', {
      token: api.tokens.acmeAdmin,
      body: { active: false },
    });
    expect(off.statusCode).toBe(200);
    expect((await accept(token)).statusCode).toBe(400);
    const login = await api.store.db
      .selectFrom('logins')
      .select('password_hash')
      .where('email', '=', 'iggy@acme.com')
      .executeTakeFirstOrThrow();
    expect(login.password_hash).toBeNull();
  });

  it('refuses a link of a login deleted and made again under the same email since', async () => {
    await newLogin('isa@acme.com');
    const { token } = await invite('isa@acme.com');
    const gone = await api.request('DELETE', '/api/v1/workspaces/acme/logins/isa@acme.com', {
      token: api.tokens.acmeAdmin,
    });
    expect(gone.json()).toEqual({ result: 'deleted' });
    const later = await anotherNode(api, new Date(FIXED_NOW.getTime() + 1000));
    try {
      const again = await later.inject({
        method: 'POST',
        url: '/api/v1/workspaces/acme/logins',
        headers: { authorization: `Bearer ${api.tokens.acmeAdmin}` },
        payload: { email: 'isa@acme.com', name: 'Another Isa', role: 'member' },
      });
      expect(again.statusCode, again.body).toBe(201);
      const refused = await accept(token, NEW_PASSWORD, later);
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ error: { code: 'bad-request' } });
    } finally {
      await later.close();
    }
  });

  it('limits acceptances per address like sign-in: 429 with Retry-After past 10 failures', async () => {
    let last = await accept('guess-0');
    for (let i = 1; i < 12 && last.statusCode !== 429; i++) last = await accept(`guess-${i}`);
    expect(last.statusCode).toBe(429);
    expect(last.headers['retry-after']).toMatch(/^\d+$/);
    expect(last.json()).toMatchObject({ error: { code: 'rate-limited' } });
  });
});
