// The directory through the API on every store: accounts, users and memberships created, edited, listed
// page by page and searched; the hierarchy kept free of cycles; nothing recorded lost on delete; every
// write audited; and the default-BCC flag set here changing what the rules decide.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalizeEmail, type Email } from '../../src/domain/address.js';
import { resolveAccount } from '../../src/domain/resolve-account.js';
import { listAudit } from '../../src/store/audit-repository.js';
import { sqlDirectory } from '../../src/store/directory-repository.js';
import { openApi, type ApiFixture } from '../support/api.js';
import { STORE_KINDS } from '../support/stores.js';
import { FIXED_NOW } from '../support/workspace.js';

interface ErrorBody {
  error: { code: string; message: string };
}

const WS = '/api/v1/workspaces/acme';
const email = (raw: string): Email =>
  normalizeEmail(raw) ??
  (() => {
    throw new Error(raw);
  })();

describe.each(STORE_KINDS)('directory API on $name', (kind) => {
  let api: ApiFixture;
  beforeEach(async () => {
    api = await openApi(kind);
  });
  afterEach(async () => {
    await api.close();
  });

  /** Every item of a list, page by page, with the ids of each page. */
  const allPages = async (path: string, limit: number) => {
    const pages: unknown[][] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const url: string = `${WS}${path}${sep}limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`;
      const response = await api.request('GET', url);
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json<{ items: unknown[]; nextCursor: string | null }>();
      pages.push(body.items);
      cursor = body.nextCursor;
    } while (cursor !== null && pages.length < 100);
    return pages;
  };

  it('creates, reads, edits and deletes an account, auditing each write', async () => {
    const created = await api.request('POST', `${WS}/accounts`, {
      body: {
        id: 'hooli',
        name: 'Hooli',
        parentId: 'globex',
        attributes: { salesforceAccountId: '0015g00000ABCDE', tier: 'gold' },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ id: 'hooli', parentId: 'globex', attributes: { tier: 'gold' } });

    const patched = await api.request('PATCH', `${WS}/accounts/hooli`, {
      body: { name: 'Hooli XYZ', attributes: { tier: null, touchpointDefaultBccEmail: true } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json<{ attributes: unknown }>().attributes).toEqual({
      salesforceAccountId: '0015g00000ABCDE',
      touchpointDefaultBccEmail: true,
    });
    const row = await api.store.db
      .selectFrom('accounts')
      .select('default_bcc')
      .where('workspace_id', '=', 'acme')
      .where('id', '=', 'hooli')
      .executeTakeFirstOrThrow();
    expect(row.default_bcc).toBe(1);

    const globex = await api.request('GET', `${WS}/accounts/globex`, { token: api.tokens.acmeMember });
    expect(globex.json()).toMatchObject({
      childrenCount: 2,
      membersCount: 2,
      touchpointCount: 1,
      parent: null,
    });
    const hooli = await api.request('GET', `${WS}/accounts/hooli`);
    expect(hooli.json()).toMatchObject({ name: 'Hooli XYZ', parent: { id: 'globex', name: 'Globex' } });

    expect((await api.request('DELETE', `${WS}/accounts/hooli`)).statusCode).toBe(204);
    expect((await api.request('GET', `${WS}/accounts/hooli`)).statusCode).toBe(404);
    const audit = await listAudit(api.store.db, 'acme', { limit: 10 });
    expect(audit.map((e) => [e.action, e.subject, e.actor])).toEqual([
      ['account.delete', 'hooli', 'jill@acme.com'],
      ['account.update', 'hooli', 'jill@acme.com'],
      ['account.create', 'hooli', 'jill@acme.com'],
    ]);
    expect(audit[1]?.changes).toMatchObject({ name: { before: 'Hooli', after: 'Hooli XYZ' } });
  });

  it('refuses duplicates, unknown parents, cycles and bad attribute types', async () => {
    const post = (body: unknown) => api.request('POST', `${WS}/accounts`, { body });
    const patch = (id: string, body: unknown) => api.request('PATCH', `${WS}/accounts/${id}`, { body });
    expect((await post({ id: 'globex' })).statusCode).toBe(409);
    expect((await post({ id: 'x', parentId: 'o-acc' })).statusCode).toBe(400);
    expect((await patch('globex', { parentId: 'globex-eu' })).statusCode).toBe(409);
    expect((await patch('globex', { parentId: 'globex' })).statusCode).toBe(409);
    expect(
      (await patch('initech', { attributes: { salesforceAccountId: 42 } })).json<ErrorBody>().error.message,
    ).toMatch(/salesforceAccountId/);
    expect((await patch('initech', { attributes: { touchpointDefaultBccEmail: 'true' } })).statusCode).toBe(
      400,
    );
    const unchanged = await api.request('GET', `${WS}/accounts/globex`);
    expect(unchanged.json<{ parentId: string | null }>().parentId).toBeNull();
    const orphan = await patch('globex-eu', { parentId: null });
    expect(orphan.json()).toMatchObject({ parentId: null });
  });

  it('does not delete an account with touchpoints or children, and takes its memberships with it', async () => {
    const withTouchpoints = await api.request('DELETE', `${WS}/accounts/globex`);
    expect(withTouchpoints.statusCode).toBe(409);
    expect(withTouchpoints.json<ErrorBody>().error.message).toMatch(/1 touchpoint\(s\) and 1 child account/);
    expect((await api.request('DELETE', `${WS}/accounts/umbrella`)).statusCode).toBe(204);
    const ada = await api.request('GET', `${WS}/users/u-ada`);
    expect(ada.json<{ memberships: { accountId: string }[] }>().memberships.map((m) => m.accountId)).toEqual([
      'initech',
    ]);
  });

  it('pages accounts without duplicates or gaps, and searches id and name case-insensitively', async () => {
    for (let i = 0; i < 23; i++)
      expect(
        (await api.request('POST', `${WS}/accounts`, { body: { id: `bulk-${i}`, name: `Bulk Ｃo ${i}` } }))
          .statusCode,
      ).toBe(201);
    const pages = await allPages('/accounts', 4);
    const ids = pages.flat().map((a) => (a as { id: string }).id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect(ids).toEqual([...ids].sort());
    expect(pages.every((p) => p.length <= 4)).toBe(true);

    const search = async (q: string) =>
      (await allPages(`/accounts?q=${encodeURIComponent(q)}`, 50))
        .flat()
        .map((a) => (a as { id: string }).id);
    expect(await search('GLOBEX')).toEqual(['globex', 'globex-eu']);
    expect(await search('europe')).toEqual(['globex-eu']);
    expect(await search('bulk co 1')).toHaveLength(11); // full-width Ｃ folds to c
    expect(await search('100%')).toEqual([]);
    expect(await search('_')).toEqual([]);
    const children = (await allPages('/accounts?parentId=globex', 50)).flat();
    expect(children).toMatchObject([{ id: 'globex-eu' }]);
  });

  it('keeps users normalized and searchable, and lists the members of an account', async () => {
    const created = await api.request('POST', `${WS}/users`, {
      body: { id: 'u-new', email: ' Zoë@EXAMPLE.Münich.de ', name: 'Zoë New' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json<{ email: string }>().email).toBe('zoë@example.xn--mnich-kva.de');
    const domain = async (id: string) =>
      (
        await api.store.db
          .selectFrom('users')
          .select('email_domain')
          .where('workspace_id', '=', 'acme')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).email_domain;
    expect(await domain('u-new')).toBe('example.xn--mnich-kva.de');
    await api.request('PATCH', `${WS}/users/u-new`, { body: { email: 'zoe@newco.example' } });
    expect(await domain('u-new')).toBe('newco.example');
    expect((await api.request('POST', `${WS}/users`, { body: { id: 'u-new' } })).statusCode).toBe(409);

    const search = async (q: string) =>
      (await allPages(`/users?q=${encodeURIComponent(q)}`, 2)).flat().map((u) => (u as { id: string }).id);
    expect(await search('ИВАН')).toEqual(['u-ivan']);
    expect(await search('@globex.com')).toEqual(['u-bob', 'u-dual', 'u-eva']);
    expect(await search('zoë')).toEqual(['u-new']);
    // ?email= is exact, after the same normalization as the import (case; IDN to punycode).
    const byEmail = async (email: string) =>
      (await allPages(`/users?email=${encodeURIComponent(email)}`, 5))
        .flat()
        .map((u) => (u as { id: string }).id);
    expect(await byEmail('Bob@GLOBEX.com')).toEqual(['u-bob']);
    expect(await byEmail('bob@globex.co')).toEqual([]);
    expect(
      (await api.request('GET', `${WS}/users?email=${encodeURIComponent('not an address')}`)).statusCode,
    ).toBe(400);
    const members = (await allPages('/users?accountId=globex-eu', 1)).flat();
    expect(members.map((u) => (u as { id: string }).id)).toEqual(['u-dual', 'u-eva']);

    expect((await api.request('DELETE', `${WS}/users/u-dual`)).statusCode).toBe(204);
    const left = (await allPages('/memberships?accountId=globex-eu', 50)).flat();
    expect(left).toMatchObject([
      { userId: 'u-eva', accountName: 'Globex Europe', userEmail: 'eva@globex.com' },
    ]);
  });

  it('adds, edits and removes memberships, storing associatedAt in UTC', async () => {
    const post = (body: unknown) => api.request('POST', `${WS}/memberships`, { body });
    const added = await post({
      userId: 'u-bob',
      accountId: 'initech',
      associatedAt: '2026-03-01T10:00:00+02:00',
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toEqual({
      userId: 'u-bob',
      accountId: 'initech',
      associatedAt: '2026-03-01T08:00:00.000Z',
      isContact: false,
    });
    expect((await post({ userId: 'u-bob', accountId: 'initech' })).statusCode).toBe(409);
    const now = await post({ userId: 'u-peter', accountId: 'globex' });
    expect(now.json<{ associatedAt: string }>().associatedAt).toBe(FIXED_NOW.toISOString());

    const patched = await api.request('PATCH', `${WS}/memberships/u-bob/initech`, {
      body: { isContact: true, associatedAt: null },
    });
    expect(patched.json()).toMatchObject({ isContact: true, associatedAt: null });
    const ofBob = (await allPages('/memberships?userId=u-bob', 1)).flat();
    expect(ofBob).toMatchObject([{ accountId: 'globex' }, { accountId: 'initech', isContact: true }]);
    const all = (await allPages('/memberships', 3)).flat();
    const keys = all.map((m) =>
      JSON.stringify([(m as { userId: string }).userId, (m as { accountId: string }).accountId]),
    );
    expect(new Set(keys).size).toBe(12);
    expect(keys).toHaveLength(12);

    expect((await api.request('DELETE', `${WS}/memberships/u-bob/initech`)).statusCode).toBe(204);
    expect((await api.request('DELETE', `${WS}/memberships/u-bob/initech`)).statusCode).toBe(404);
    const actions = (await listAudit(api.store.db, 'acme', { limit: 10 })).map((e) => e.action);
    expect(actions).toEqual([
      'membership.delete',
      'membership.update',
      'membership.create',
      'membership.create',
    ]);
  });

  it('setting the default-BCC flag through the API changes the account the rules choose', async () => {
    // u-dual belongs to globex and globex-eu since the same moment: ambiguous by recency (SPEC §5 A3).
    const decide = () =>
      resolveAccount(
        {
          customerAddresses: [email('dual@globex.com')],
          sender: { email: email('sam@acme.com'), aliases: [] },
          now: FIXED_NOW,
        },
        sqlDirectory(api.store.db, 'acme'),
      );
    expect((await decide()).kind).toBe('ambiguous');
    const flagged = await api.request('PATCH', `${WS}/accounts/globex-eu`, {
      body: { attributes: { touchpointDefaultBccEmail: true } },
    });
    expect(flagged.statusCode).toBe(200);
    expect(await decide()).toMatchObject({ kind: 'matched', accountId: 'globex-eu' });
    await api.request('PATCH', `${WS}/accounts/globex-eu`, {
      body: { attributes: { touchpointDefaultBccEmail: null } },
    });
    expect((await decide()).kind).toBe('ambiguous');
  });
});
