// Login users over HTTP: paged search, create with aliases (unique in the workspace), change, delete
// or deactivate, passwords; every change audited. Both stores (the search runs SQL LIKE on each).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi, type ApiFixture } from '../support/api.js';
import { givePassword, PASSWORD, signIn } from '../support/session.js';
import { STORE_KINDS } from '../support/stores.js';

interface Page {
  items: { email: string; name: string; role: string; aliases: string[]; active: boolean }[];
  nextCursor: string | null;
}

describe.each(STORE_KINDS)('login users on $name', (kind) => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await openApi(kind);
  });
  afterAll(async () => {
    await api.close();
  });
  const list = async (query: string, token = api.tokens.acmeMember) => {
    const response = await api.request('GET', `/api/v1/workspaces/acme/logins${query}`, { token });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Page>();
  };

  it('lists logins by email to members, page by page', async () => {
    const first = await list('?limit=2');
    expect(first.items.map((l) => l.email)).toEqual(['former@acme.com', 'jill@acme.com']);
    expect(first.items[1]).toMatchObject({ name: 'Jill Hart', role: 'admin', aliases: ['jh@acme.com'] });
    const second = await list(`?limit=2&cursor=${first.nextCursor ?? ''}`);
    expect(second.items.map((l) => l.email)).toEqual(['sam@acme.com']);
    expect(second.nextCursor).toBeNull();
  });

  it('searches email and name in any case, and filters by role and active', async () => {
    expect((await list('?q=HART')).items.map((l) => l.email)).toEqual(['jill@acme.com']);
    expect((await list('?q=sam%40')).items.map((l) => l.email)).toEqual(['sam@acme.com']);
    expect((await list('?q=%25')).items).toEqual([]); // a literal %, not a wildcard
    expect((await list('?role=admin')).items.map((l) => l.email)).toEqual(['jill@acme.com']);
    expect((await list('?active=false')).items.map((l) => l.email)).toEqual(['former@acme.com']);
  });

  it('creates a login (admin), normalizing its addresses, and audits it', async () => {
    const response = await api.request('POST', '/api/v1/workspaces/acme/logins', {
      body: { email: 'New.Person@ACME.com', name: 'New Person', aliases: ['NP@acme.com'] },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      email: 'new.person@acme.com',
      role: 'member',
      aliases: ['np@acme.com'],
      active: true,
      hasPassword: false,
    });
    const one = await api.request('GET', '/api/v1/workspaces/acme/logins/NEW.person@acme.com', {
      token: api.tokens.acmeMember,
    });
    expect(one.json()).toMatchObject({ email: 'new.person@acme.com' });
    const audit = await api.request('GET', '/api/v1/workspaces/acme/audit?action=login.create');
    expect(audit.json()).toMatchObject({
      items: [
        { actor: 'jill@acme.com', subject: 'new.person@acme.com', changes: { role: { after: 'member' } } },
      ],
    });
  });

  it('refuses a login or alias that already belongs to a login with 409', async () => {
    for (const body of [
      { email: 'sam@acme.com' },
      { email: 'jh@acme.com' },
      { email: 'fresh@acme.com', aliases: ['sam@acme.com'] },
      { email: 'fresh@acme.com', aliases: ['jh@acme.com'] },
    ]) {
      const response = await api.request('POST', '/api/v1/workspaces/acme/logins', { body });
      expect(response.statusCode, JSON.stringify(body)).toBe(409);
      expect(response.json()).toMatchObject({ error: { code: 'conflict' } });
    }
    const patch = await api.request('PATCH', '/api/v1/workspaces/acme/logins/sam@acme.com', {
      body: { aliases: ['jh@acme.com'] },
    });
    expect(patch.statusCode).toBe(409);
    // The same address in another workspace is no conflict.
    const elsewhere = await api.request('POST', '/api/v1/workspaces/other/logins', {
      token: api.tokens.otherAdmin,
      body: { email: 'sam@acme.com', name: 'Sam elsewhere' },
    });
    expect(elsewhere.statusCode).toBe(201);
  });

  it('changes a login and audits what changed', async () => {
    const response = await api.request('PATCH', '/api/v1/workspaces/acme/logins/sam@acme.com', {
      body: { name: 'Sam O.', aliases: ['sam.o@acme.com'] },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ name: 'Sam O.', aliases: ['sam.o@acme.com'], role: 'member' });
    const audit = await api.request('GET', '/api/v1/workspaces/acme/audit?action=login.update&limit=1');
    expect(audit.json()).toMatchObject({
      items: [
        {
          subject: 'sam@acme.com',
          changes: {
            name: { before: 'Sam Ortiz', after: 'Sam O.' },
            aliases: { before: [], after: ['sam.o@acme.com'] },
          },
        },
      ],
    });
    const missing = await api.request('PATCH', '/api/v1/workspaces/acme/logins/ghost@acme.com', {
      body: { name: 'Ghost' },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('keeps the last active admin: no demotion, deactivation or deletion (409)', async () => {
    for (const [method, body] of [
      ['PATCH', { role: 'member' }],
      ['PATCH', { active: false }],
      ['DELETE', undefined],
    ] as const) {
      const response = await api.request(method, '/api/v1/workspaces/acme/logins/jill@acme.com', { body });
      expect(response.statusCode).toBe(409);
    }
  });

  it('keeps an admin when the last two demote each other at once: one of them is refused (409)', async () => {
    const login = (email: string) => `/api/v1/workspaces/acme/logins/${email}`;
    const as = { token: api.tokens.admin };
    const pair = ['jill@acme.com', 'sam@acme.com'];
    // A few rounds: on PostgreSQL the two transactions run on two connections of the pool.
    for (let round = 0; round < 5; round++) {
      for (const email of pair)
        expect(
          (await api.request('PATCH', login(email), { ...as, body: { role: 'admin' } })).statusCode,
        ).toBe(200);
      const answers = await Promise.all(
        pair.map((email, i) =>
          api.request('PATCH', login(email), {
            ...as,
            body: i === 0 ? { role: 'member' } : { active: false },
          }),
        ),
      );
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
      const admins = await api.request('GET', '/api/v1/workspaces/acme/logins?role=admin&active=true', as);
      expect(admins.json<Page>().items).toHaveLength(1);
      await api.request('PATCH', login('sam@acme.com'), { ...as, body: { active: true } });
      await api.request('PATCH', login('jill@acme.com'), { ...as, body: { role: 'admin' } });
      await api.request('PATCH', login('sam@acme.com'), { ...as, body: { role: 'member' } });
    }
  });

  it('deletes a login without history, and deactivates one that authored touchpoints', async () => {
    const deleted = await api.request('DELETE', '/api/v1/workspaces/acme/logins/new.person@acme.com');
    expect(deleted.json()).toEqual({ result: 'deleted' });
    expect((await api.request('GET', '/api/v1/workspaces/acme/logins/new.person@acme.com')).statusCode).toBe(
      404,
    );
    // The alias is free again.
    const reuse = await api.request('POST', '/api/v1/workspaces/acme/logins', {
      body: { email: 'np@acme.com', role: 'admin' },
    });
    expect(reuse.statusCode).toBe(201);
    // jill authored the fixture's kick-off touchpoint; with another admin she can be removed.
    const removed = await api.request('DELETE', '/api/v1/workspaces/acme/logins/jill@acme.com', {
      token: api.tokens.admin,
    });
    expect(removed.json()).toEqual({ result: 'deactivated' });
    const jill = await api.request('GET', '/api/v1/workspaces/acme/logins/jill@acme.com', {
      token: api.tokens.admin,
    });
    expect(jill.json()).toMatchObject({ active: false, aliases: ['jh@acme.com'] });
    // Her token was revoked with her.
    expect((await api.request('GET', '/api/v1/workspaces/acme/logins')).statusCode).toBe(401);
  });
});

describe('passwords over HTTP', () => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await openApi();
  });
  afterAll(async () => {
    await api.close();
  });
  const put = (email: string, body: unknown, token: string | null, headers?: Record<string, string>) =>
    api.request('PUT', `/api/v1/workspaces/acme/logins/${email}/password`, {
      token,
      body,
      ...(headers === undefined ? {} : { headers }),
    });

  it('lets an admin set anyone’s password, which then signs in; never audits the secret', async () => {
    const response = await put('sam@acme.com', { newPassword: PASSWORD }, api.tokens.acmeAdmin);
    expect(response.statusCode).toBe(204);
    await signIn(api, 'sam@acme.com');
    const audit = await api.request('GET', '/api/v1/workspaces/acme/audit?action=login.password');
    expect(audit.body).not.toContain(PASSWORD);
    expect(audit.json()).toMatchObject({ items: [{ subject: 'sam@acme.com', actor: 'jill@acme.com' }] });
  });

  it('makes a login give its current password to change its own', async () => {
    const session = await signIn(api, 'sam@acme.com');
    const without = await put(
      'sam@acme.com',
      { newPassword: 'sam’s second passphrase' },
      null,
      session.headers(),
    );
    expect(without.statusCode).toBe(403);
    const wrong = await put(
      'sam@acme.com',
      { newPassword: 'sam’s second passphrase', currentPassword: 'not it at all' },
      null,
      session.headers(),
    );
    expect(wrong.statusCode).toBe(403);
    const right = await put(
      'sam@acme.com',
      { newPassword: 'sam’s second passphrase', currentPassword: PASSWORD },
      null,
      session.headers(),
    );
    expect(right.statusCode).toBe(204);
  });

  it('refuses a member setting another login’s password, and short passwords', async () => {
    expect((await put('jill@acme.com', { newPassword: PASSWORD }, api.tokens.acmeMember)).statusCode).toBe(
      403,
    );
    const short = await put('sam@acme.com', { newPassword: 'short' }, api.tokens.acmeAdmin);
    expect(short.statusCode).toBe(400);
    expect(short.json<{ error: { message: string } }>().error.message).toContain('12');
  });

  it('lets the global admin token set a password without knowing the old one', async () => {
    await givePassword(api, 'acme', 'jill@acme.com');
    const response = await put('jill@acme.com', { newPassword: 'set by the operator' }, api.tokens.admin);
    expect(response.statusCode).toBe(204);
    await signIn(api, 'jill@acme.com', 'set by the operator');
  });
});
