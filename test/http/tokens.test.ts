// API tokens over HTTP: admins manage every token of the workspace; a member only member tokens of its
// own login; the secret is answered once and works at once; revoked tokens stop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi, type ApiFixture } from '../support/api.js';

interface Token {
  id: string;
  name: string;
  role: string;
  loginEmail: string | null;
  revokedAt: string | null;
  token?: string;
}

describe('API tokens over HTTP', () => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await openApi();
  });
  afterAll(async () => {
    await api.close();
  });
  const create = (body: unknown, token = api.tokens.acmeAdmin) =>
    api.request('POST', '/api/v1/workspaces/acme/tokens', { token, body });
  const list = async (token: string, query = '') =>
    (await api.request('GET', `/api/v1/workspaces/acme/tokens${query}`, { token })).json<{
      items: Token[];
      nextCursor: string | null;
    }>();

  it('creates a token whose secret is shown once and works at once', async () => {
    const response = await create({ name: 'CRM sync', role: 'intake', loginEmail: null });
    expect(response.statusCode).toBe(201);
    const created = response.json<Token>();
    expect(created).toMatchObject({ name: 'CRM sync', role: 'intake', loginEmail: null, revokedAt: null });
    expect(created.token).toMatch(/^tm_/);
    const listed = await list(api.tokens.acmeAdmin);
    const row = listed.items.find((t) => t.id === created.id);
    expect(row).toBeDefined();
    expect(JSON.stringify(listed)).not.toContain(created.token);
    const used = await api.request('GET', '/api/v1/workspaces/acme/logins', { token: created.token ?? '' });
    expect(used.statusCode).toBe(403); // an intake token delivers mail only
  });

  it('binds an admin’s token to its login by default', async () => {
    const created = (await create({ name: 'mine', role: 'admin' })).json<Token>();
    expect(created.loginEmail).toBe('jill@acme.com');
  });

  it('refuses a token for a login that does not exist or is inactive', async () => {
    for (const loginEmail of ['ghost@acme.com', 'former@acme.com']) {
      const response = await create({ name: 'x', loginEmail });
      expect(response.statusCode).toBe(400);
    }
  });

  it('lets a member create, list and revoke only member tokens of its own login', async () => {
    const member = api.tokens.acmeMember;
    expect((await create({ name: 'escalate', role: 'admin' }, member)).statusCode).toBe(403);
    expect((await create({ name: 'for jill', loginEmail: 'jill@acme.com' }, member)).statusCode).toBe(403);
    const own = await create({ name: 'my script' }, member);
    expect(own.statusCode).toBe(201);
    const mine = own.json<Token>();
    expect(mine).toMatchObject({ role: 'member', loginEmail: 'sam@acme.com' });
    const seen = await list(member);
    expect(seen.items.every((t) => t.loginEmail === 'sam@acme.com')).toBe(true);
    const jills = (await list(api.tokens.acmeAdmin)).items.find((t) => t.loginEmail === 'jill@acme.com');
    const foreign = await api.request('DELETE', `/api/v1/workspaces/acme/tokens/${jills?.id ?? ''}`, {
      token: member,
    });
    expect(foreign.statusCode).toBe(404);
    const revoked = await api.request('DELETE', `/api/v1/workspaces/acme/tokens/${mine.id}`, {
      token: member,
    });
    expect(revoked.statusCode).toBe(204);
    const after = await api.request('GET', '/api/v1/workspaces/acme/logins', { token: mine.token ?? '' });
    expect(after.statusCode).toBe(401);
    const again = await api.request('DELETE', `/api/v1/workspaces/acme/tokens/${mine.id}`, { token: member });
    expect(again.statusCode).toBe(404);
    expect(
      (await list(member, '?revoked=true')).items.find((t) => t.id === mine.id)?.revokedAt,
    ).not.toBeNull();
  });

  it('never reaches another workspace’s tokens', async () => {
    const others = (
      await api.request('GET', '/api/v1/workspaces/other/tokens', { token: api.tokens.otherAdmin })
    ).json<{ items: Token[] }>().items;
    expect(others.length).toBeGreaterThan(0);
    const other = others[0];
    const response = await api.request('DELETE', `/api/v1/workspaces/acme/tokens/${other?.id ?? ''}`);
    expect(response.statusCode).toBe(404);
    expect((await list(api.tokens.acmeAdmin)).items.map((t) => t.id)).not.toContain(other?.id);
  });

  it('pages the list', async () => {
    const first = await list(api.tokens.acmeAdmin, '?limit=1');
    expect(first.items).toHaveLength(1);
    const second = await list(api.tokens.acmeAdmin, `?limit=1&cursor=${first.nextCursor ?? ''}`);
    expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
  });

  it('audits creation and revocation', async () => {
    const audit = await api.request('GET', '/api/v1/workspaces/acme/audit?action=token.revoke');
    expect(audit.json()).toMatchObject({ items: [{ actor: 'sam@acme.com' }] });
  });
});
