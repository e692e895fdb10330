// Account health through the API on every store (SPEC §13, INTERFACE's account item): the figures after
// each path that changes them — recording, the same mail again, assign, retry, an edit that moves a
// touchpoint, imported history, time passing — and the list sorted, filtered and paged by them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anotherNode, openApi, type ApiFixture } from '../support/api.js';
import { ingestFixture } from '../support/inbound.js';
import { STORE_KINDS } from '../support/stores.js';
import { FIXED_NOW } from '../support/workspace.js';

const WS = '/api/v1/workspaces/acme';

interface Item {
  id: string;
  name: string;
  lastTouchAt: string | null;
  lastTouchBy: string | null;
  touchpoints30d: number;
  touchpoints90d: number;
  domains: string[];
}

describe.each(STORE_KINDS)('account health API on $name', (kind) => {
  let api: ApiFixture;
  beforeEach(async () => {
    api = await openApi(kind);
  });
  afterEach(async () => {
    await api.close();
  });

  const health = async (id: string) => {
    const response = await api.request('GET', `${WS}/accounts/${id}`, { token: api.tokens.acmeMember });
    expect(response.statusCode, response.body).toBe(200);
    const { lastTouchAt, lastTouchBy, touchpoints30d, touchpoints90d, domains } = response.json<Item>();
    return { lastTouchAt, lastTouchBy, touchpoints30d, touchpoints90d, domains };
  };
  const listed = async (query: string, limit = 200) => {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `${WS}/accounts?${query}&limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`;
      const response = await api.request('GET', url);
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json<{ items: Item[]; nextCursor: string | null }>();
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return items;
  };

  it('keeps every figure current through recording, duplicates, assign, retry, moves and imports', async () => {
    // Imported history (the fixture's Kick-off, 24 days before now).
    expect(await health('globex')).toEqual({
      lastTouchAt: '2026-11-02T09:00:00.000Z',
      lastTouchBy: 'jill@acme.com',
      touchpoints30d: 1,
      touchpoints90d: 1,
      domains: [],
    });
    expect(await health('initech')).toMatchObject({
      lastTouchAt: null,
      lastTouchBy: null,
      touchpoints30d: 0,
    });

    // Assigned by a person: the rules find it ambiguous between globex and globex-eu.
    const ambiguous = await ingestFixture(api, 'ambiguous-parent-child.eml');
    const assigned = await api.request('POST', `${WS}/inbound/${ambiguous.inboundId}/assign`, {
      body: { accountId: 'globex-eu' },
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(await health('globex-eu')).toMatchObject({
      lastTouchAt: '2026-11-19T15:04:05.000Z',
      lastTouchBy: 'sam@acme.com',
      touchpoints30d: 1,
    });

    const recorded = await ingestFixture(api, 'bcc-plain.eml');
    expect(recorded.outcome).toMatchObject({ status: 'recorded', accountId: 'globex' });
    expect(await health('globex')).toMatchObject({
      lastTouchAt: '2026-11-19T15:04:05.000Z',
      lastTouchBy: 'jill@acme.com',
      touchpoints30d: 2,
      touchpoints90d: 2,
    });
    // The same mail again is the same touchpoint: nothing more to count.
    const again = await ingestFixture(api, 'bcc-plain.eml');
    expect(again.outcome).toMatchObject({ status: 'ignored', reason: 'duplicate' });
    expect(await health('globex')).toMatchObject({ touchpoints30d: 2, touchpoints90d: 2 });

    const unmatched = await ingestFixture(api, 'no-account.eml');
    await api.request('POST', `${WS}/users`, { body: { id: 'u-zed', email: 'zed@unknown-corp.example' } });
    await api.request('POST', `${WS}/memberships`, { body: { userId: 'u-zed', accountId: 'initech' } });
    const retried = await api.request('POST', `${WS}/inbound/${unmatched.inboundId}/retry`);
    expect(retried.json()).toMatchObject({ status: 'recorded', accountId: 'initech' });
    expect(await health('initech')).toMatchObject({ lastTouchBy: 'jill@acme.com', touchpoints30d: 1 });

    // Moved by an edit: globex falls back to its Kick-off, initech gains it.
    const moved = await api.request('PATCH', `${WS}/touchpoints/${recorded.outcome.touchpointId ?? ''}`, {
      body: { accountId: 'initech' },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await health('globex')).toMatchObject({
      lastTouchAt: '2026-11-02T09:00:00.000Z',
      touchpoints30d: 1,
    });
    expect(await health('initech')).toMatchObject({ touchpoints30d: 2, touchpoints90d: 2 });

    // History imported: 60 days back counts in 90 days only; a future date is not yet the last touch.
    const imported = await api.request('POST', '/api/v1/import', {
      body: {
        workspace: { id: 'acme' },
        touchpoints: [
          {
            accountId: 'volga',
            authorEmail: 'sam@acme.com',
            occurredAt: '2026-09-27T10:00:00Z',
            subject: 'QBR',
          },
          {
            accountId: 'volga',
            authorEmail: 'jill@acme.com',
            occurredAt: '2026-11-28T10:00:00Z',
            subject: 'Plan',
          },
        ],
      },
    });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(await health('volga')).toEqual({
      lastTouchAt: '2026-09-27T10:00:00.000Z',
      lastTouchBy: 'sam@acme.com',
      touchpoints30d: 0,
      touchpoints90d: 1,
      domains: [],
    });
  });

  it('sorts coldest first (never touched first), warmest first (never touched last), by name; ties by name, then id', async () => {
    await ingestFixture(api, 'bcc-plain.eml');
    const names = (items: Item[]) => items.map((i) => i.id);
    // Never touched, by name: Dragon Foods, Initech, Nippon Trading, Umbrella, Volga Logistics (and the
    // parent Globex's child Globex Europe); then globex, touched.
    const never = ['dragon', 'globex-eu', 'initech', 'nippon', 'umbrella', 'volga'];
    expect(names(await listed('sort=lastTouchAt'))).toEqual([...never, 'globex']);
    expect(names(await listed('sort=-lastTouchAt'))).toEqual(['globex', ...never]);
    expect(names(await listed('sort=name'))).toEqual([
      'dragon',
      'globex',
      'globex-eu',
      'initech',
      'nippon',
      'umbrella',
      'volga',
    ]);
    // Paging walks the same order without gaps or repeats.
    for (const sort of ['lastTouchAt', '-lastTouchAt', 'name'])
      expect(names(await listed(`sort=${sort}`, 2))).toEqual(names(await listed(`sort=${sort}`)));
  });

  it('filters the accounts not touched since a time, never-touched included, and pages them', async () => {
    const ambiguous = await ingestFixture(api, 'ambiguous-parent-child.eml');
    await api.request('POST', `${WS}/inbound/${ambiguous.inboundId}/assign`, {
      body: { accountId: 'initech' },
    });
    await ingestFixture(api, 'bcc-plain.eml');
    // Everything touched on 19 November: touched since the 10th, so only the never-touched are cold.
    const cold = await listed(`sort=lastTouchAt&notTouchedSince=2026-11-10T00:00:00Z`, 2);
    expect(cold.map((i) => i.id)).toEqual(['dragon', 'globex-eu', 'nippon', 'umbrella', 'volga']);
    // Since the 20th, both touched accounts are cold too, after the never-touched ones.
    const colder = await listed(`sort=lastTouchAt&notTouchedSince=2026-11-20T00:00:00Z`);
    expect(colder.map((i) => i.id).slice(-2)).toEqual(['globex', 'initech']);
    // Without a sort, the cold accounts come coldest first.
    expect(await listed(`notTouchedSince=2026-11-20T00:00:00Z`, 3)).toEqual(colder);
  });

  it('answers 400 for an unknown sort, a bad time, or a cursor of another order', async () => {
    expect((await api.request('GET', `${WS}/accounts?sort=warmth`)).statusCode).toBe(400);
    expect((await api.request('GET', `${WS}/accounts?notTouchedSince=last-month`)).statusCode).toBe(400);
    const page = (await api.request('GET', `${WS}/accounts?sort=name&limit=1`)).json<{
      nextCursor: string;
    }>();
    const mixed = await api.request('GET', `${WS}/accounts?sort=lastTouchAt&cursor=${page.nextCursor}`);
    expect(mixed.statusCode).toBe(400);
  });

  it('rolls the windows with time, and a future-dated touchpoint becomes the last touch when its time comes', async () => {
    await ingestFixture(api, 'bcc-plain.eml');
    await api.request('POST', '/api/v1/import', {
      body: {
        workspace: { id: 'acme' },
        touchpoints: [
          {
            accountId: 'globex',
            authorEmail: 'sam@acme.com',
            occurredAt: '2026-12-05T10:00:00Z',
            subject: 'Onsite',
          },
        ],
      },
    });
    expect(await health('globex')).toMatchObject({
      lastTouchAt: '2026-11-19T15:04:05.000Z',
      touchpoints30d: 2,
    });
    // The same store seen 25 days later: Kick-off (2 Nov) is 49 days old, bcc-plain (19 Nov) 32, the
    // onsite (5 Dec) 16 — and now the last touch.
    const later = await anotherNode(api, new Date(FIXED_NOW.getTime() + 25 * 86_400_000));
    try {
      const response = await later.inject({
        method: 'GET',
        url: `${WS}/accounts?sort=-lastTouchAt&limit=1`,
        headers: { authorization: `Bearer ${api.tokens.acmeMember}` },
      });
      expect(response.json<{ items: Item[] }>().items[0]).toMatchObject({
        id: 'globex',
        lastTouchAt: '2026-12-05T10:00:00.000Z',
        lastTouchBy: 'sam@acme.com',
        touchpoints30d: 1,
        touchpoints90d: 3,
      });
    } finally {
      await later.close();
    }
  });
});
