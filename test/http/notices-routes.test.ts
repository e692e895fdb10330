// The notice routes on both stores: the outbox (admins, paged, filtered) and the signed-in login's
// receipt setting; success, validation, no token, a member on an admin route, another workspace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginReceipts } from '../../src/store/notice-repository.js';
import { enqueueOutbox } from '../../src/store/outbox-repository.js';
import { openApi, type ApiFixture } from '../support/api.js';
import { STORE_KINDS } from '../support/stores.js';

const T0 = new Date('2026-11-26T12:00:00Z');

describe.each(STORE_KINDS)('notice routes on $name', (kind) => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await openApi(kind);
    for (let i = 0; i < 3; i++)
      await enqueueOutbox(api.store.db, new Date(T0.getTime() + i * 1000), {
        id: `n${i}`,
        workspaceId: 'acme',
        kind: i === 1 ? 'salesforce' : 'notice',
        key: `k${i}`,
        payload: { type: 'failure', to: 'jill@acme.com' },
      });
    await enqueueOutbox(api.store.db, T0, {
      id: 'o1',
      workspaceId: 'other',
      kind: 'notice',
      key: 'ko',
      payload: {},
    });
  });
  afterAll(async () => {
    await api.close();
  });

  describe('GET /outbox', () => {
    it('lists the workspace outbox newest first, paged and filtered', async () => {
      const first = await api.request('GET', '/api/v1/workspaces/acme/outbox?limit=2');
      expect(first.statusCode).toBe(200);
      const page = first.json<{ items: { id: string; payload: unknown }[]; nextCursor: string | null }>();
      expect(page.items.map((i) => i.id)).toEqual(['n2', 'n1']);
      expect(page.items[0]?.payload).toEqual({ type: 'failure', to: 'jill@acme.com' });
      expect(page.nextCursor).not.toBeNull();
      const next = await api.request(
        'GET',
        `/api/v1/workspaces/acme/outbox?limit=2&cursor=${page.nextCursor ?? ''}`,
      );
      expect(next.json<{ items: { id: string }[]; nextCursor: null }>()).toMatchObject({
        items: [{ id: 'n0' }],
        nextCursor: null,
      });
      const notices = await api.request('GET', '/api/v1/workspaces/acme/outbox?kind=notice&status=queued');
      expect(notices.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual(['n2', 'n0']);
      const admin = await api.request('GET', '/api/v1/workspaces/other/outbox', { token: api.tokens.admin });
      expect(admin.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual(['o1']);
    });

    it.each([
      ['an unknown status', '?status=lost'],
      ['a limit out of range', '?limit=500'],
      ['a cursor it never gave', '?cursor=bm90LWEtY3Vyc29y'],
    ])('refuses %s (400)', async (_name, query) => {
      const response = await api.request('GET', `/api/v1/workspaces/acme/outbox${query}`);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: expect.any(String) as string } });
    });

    it('refuses no token (401), a member (403) and another workspace (404)', async () => {
      const url = '/api/v1/workspaces/acme/outbox';
      expect((await api.request('GET', url, { token: null })).statusCode).toBe(401);
      expect((await api.request('GET', url, { token: api.tokens.acmeMember })).statusCode).toBe(403);
      expect((await api.request('GET', '/api/v1/workspaces/other/outbox')).statusCode).toBe(404);
    });
  });

  describe('GET/PUT /me/notices', () => {
    const url = '/api/v1/workspaces/acme/me/notices';
    it("reads and sets the signed-in login's receipts (off by default)", async () => {
      const member = { token: api.tokens.acmeMember };
      expect((await api.request('GET', url, member)).json()).toEqual({ receipts: false });
      const put = await api.request('PUT', url, { ...member, body: { receipts: true } });
      expect(put.statusCode).toBe(200);
      expect(put.json()).toEqual({ receipts: true });
      expect((await api.request('GET', url, member)).json()).toEqual({ receipts: true });
      expect(await loginReceipts(api.store.db, 'acme', 'sam@acme.com')).toBe(true);
      // Another login's setting is its own.
      expect(await loginReceipts(api.store.db, 'acme', 'jill@acme.com')).toBe(false);
    });

    it('refuses a bad body and a token without a login (400)', async () => {
      const bad = await api.request('PUT', url, { body: { receipts: 'yes' } });
      expect(bad.statusCode).toBe(400);
      expect((await api.request('PUT', url, { body: {} })).statusCode).toBe(400);
      const admin = await api.request('GET', url, { token: api.tokens.admin });
      expect(admin.statusCode).toBe(400);
      expect(admin.json()).toMatchObject({ error: { code: 'bad-request' } });
    });

    it('refuses no token (401), an intake token (403) and another workspace (404)', async () => {
      expect((await api.request('GET', url, { token: null })).statusCode).toBe(401);
      expect((await api.request('GET', url, { token: api.tokens.acmeIntake })).statusCode).toBe(403);
      const other = await api.request('PUT', '/api/v1/workspaces/other/me/notices', {
        body: { receipts: true },
      });
      expect(other.statusCode).toBe(404);
      expect(await loginReceipts(api.store.db, 'other', 'olga@other.example')).toBe(false);
    });
  });
});
