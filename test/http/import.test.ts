// POST /api/v1/import: the workspace document as the CLI takes it; the global admin token may create
// workspaces, a workspace admin may import only its own; problems answered by path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi, type ApiFixture } from '../support/api.js';

describe('import over HTTP', () => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await openApi();
  });
  afterAll(async () => {
    await api.close();
  });
  const post = (body: unknown, token: string | null = api.tokens.admin) =>
    api.request('POST', '/api/v1/import', { token, body });

  it('lets the admin token create a workspace and answers the summary', async () => {
    const response = await post({
      workspace: { id: 'initrode', name: 'Initrode', touchpointAddresses: ['tp@initrode.example'] },
      logins: [{ email: 'milton@initrode.example', role: 'admin' }],
      accounts: [{ id: 'a1', name: 'Stapler Co' }],
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      workspaceId: 'initrode',
      created: true,
      logins: 1,
      accounts: 1,
      users: 0,
      memberships: 0,
      touchpoints: 0,
    });
  });

  it('lets a workspace admin import into its own workspace, audited', async () => {
    const response = await post(
      { workspace: { id: 'acme' }, users: [{ id: 'u-new', email: 'new@globex.com' }] },
      api.tokens.acmeAdmin,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ workspaceId: 'acme', created: false, users: 1 });
    const audit = await api.request('GET', '/api/v1/workspaces/acme/audit?action=workspace.import');
    expect(audit.json()).toMatchObject({ items: [{ actor: 'jill@acme.com', subject: 'acme' }] });
  });

  it('answers 404 for another workspace or a new one, 403 for a member, 401 without a token', async () => {
    expect((await post({ workspace: { id: 'other', name: 'Taken' } }, api.tokens.acmeAdmin)).statusCode).toBe(
      404,
    );
    expect((await post({ workspace: { id: 'brand-new' } }, api.tokens.acmeAdmin)).statusCode).toBe(404);
    expect((await post({ workspace: { id: 'acme' } }, api.tokens.acmeMember)).statusCode).toBe(403);
    expect((await post({ workspace: { id: 'acme' } }, null)).statusCode).toBe(401);
    const other = await api.request('GET', '/api/v1/workspaces/other/settings', { token: api.tokens.admin });
    expect(other.json()).toMatchObject({ name: 'Other Inc' });
  });

  it('answers 400 with every problem by its path, storing nothing', async () => {
    const response = await post({
      workspace: { id: 'acme' },
      users: [{ id: 'u-x', email: 'not-an-address' }],
      memberships: [{ userId: 'u-x', accountId: 'acc-none' }],
      extra: true,
    });
    expect(response.statusCode).toBe(400);
    const { error } = response.json<{ error: { code: string; problems: { path: string }[] } }>();
    expect(error.code).toBe('validation-failed');
    expect(error.problems.map((p) => p.path)).toContain('(document)');
    const refs = await post({
      workspace: { id: 'acme' },
      memberships: [{ userId: 'u-bob', accountId: 'acc-none' }],
    });
    expect(refs.statusCode).toBe(400);
    expect(refs.json()).toMatchObject({
      error: { problems: [{ path: 'memberships[0].accountId' }] },
    });
    const notJson = await api.app.inject({
      method: 'POST',
      url: '/api/v1/import',
      headers: { authorization: `Bearer ${api.tokens.admin}`, 'content-type': 'application/json' },
      payload: '{"workspace":',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json()).toMatchObject({ error: { code: 'bad-request' } });
  });

  it("refuses another workspace's touchpoint address without telling which workspace has it", async () => {
    const response = await post(
      { workspace: { id: 'acme', touchpointAddresses: ['touchpoints@other.example'] } },
      api.tokens.acmeAdmin,
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: {
        problems: [
          {
            path: 'workspace.touchpointAddresses[0]',
            // The wording of PUT …/settings (routes/settings.ts): the other workspace stays unnamed.
            message: 'touchpoints@other.example is the touchpoint address of another workspace.',
          },
        ],
      },
    });
    expect(response.body).not.toContain('workspace other');
  });

  it('changes only what a partial document names, and keeps the workspace an admin', async () => {
    const partial = await post({ workspace: { id: 'acme' }, users: [{ id: 'u-bob', name: 'Robert Stone' }] });
    expect(partial.statusCode, partial.body).toBe(200);
    const bob = await api.request('GET', '/api/v1/workspaces/acme/users/u-bob');
    expect(bob.json()).toMatchObject({ email: 'bob@globex.com', name: 'Robert Stone' });
    const demoted = await post({
      workspace: { id: 'acme' },
      logins: [{ email: 'jill@acme.com', role: 'member' }],
    });
    expect(demoted.statusCode).toBe(400);
    expect(demoted.json()).toMatchObject({
      error: { code: 'validation-failed', problems: [{ path: 'logins[0]' }] },
    });
    const jill = await api.request('GET', '/api/v1/workspaces/acme/logins/jill@acme.com');
    expect(jill.json()).toMatchObject({ role: 'admin', active: true });
  });

  it('takes documents far larger than the 1 MiB of other routes', async () => {
    const users = Array.from({ length: 12_000 }, (_, i) => ({
      id: `bulk-${i}`,
      email: `person${i}@bulk-customer.example`,
      name: `Person number ${i} of the bulk customer`,
    }));
    const body = { workspace: { id: 'acme' }, users };
    expect(JSON.stringify(body).length).toBeGreaterThan(1024 * 1024);
    const response = await post(body);
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    expect(response.json()).toMatchObject({ users: 12_000 });
  });
});
