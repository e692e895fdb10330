// The account timeline (INTERFACE.md) on every store: newest first with the id breaking ties, paged by
// cursor without duplicates or gaps, summaries with author, participants, preview and attachment count;
// and on SQLite a plan that reads the page along the index, never sorting the account's touchpoints.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApi, type ApiFixture } from '../support/api.js';
import { STORE_KINDS } from '../support/stores.js';

const TIMELINE = '/api/v1/workspaces/acme/accounts/initech/timeline';

interface Item {
  id: string;
  occurredAt: string;
  authorName: string | null;
  participants: { email: string }[];
  participantCount: number;
  preview: string;
  attachmentCount: number;
}

describe.each(STORE_KINDS)('account timeline on $name', (kind) => {
  let api: ApiFixture;
  beforeEach(async () => {
    api = await openApi(kind);
    const at = '2026-11-26T12:00:00.000Z';
    // 7 touchpoints, three of them at the same moment (the id decides among them).
    const times = ['01', '05', '05', '05', '03', '07', '02'];
    await api.store.db
      .insertInto('touchpoints')
      .values(
        times.map((day, i) => ({
          workspace_id: 'acme',
          id: `tp-${i}`,
          account_id: 'initech',
          type: 'Email',
          flow: 'Default',
          reason: null,
          subject: `Subject ${i}`,
          content_text: `Quoted history\n\n${'word '.repeat(100)}`,
          content_visible: i === 1 ? `Hello   Peter,\n\n${'🙂'.repeat(300)}` : null,
          content_html: null,
          occurred_at: `2026-10-${day}T09:00:00.000Z`,
          author_email: i === 2 ? 'someone@elsewhere.example' : 'jill@acme.com',
          author_domain: 'acme.com',
          scenario: 'bcc',
          message_key: null,
          content_key: null,
          inbound_id: null,
          trace: '[]',
          attachments: i === 1 ? '[{"name":"a.pdf","size":1},{"name":"b.png","size":2}]' : '[]',
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
    await api.store.db
      .insertInto('touchpoint_participants')
      .values(
        Array.from({ length: 25 }, (_, p) => ({
          workspace_id: 'acme',
          touchpoint_id: 'tp-1',
          email: `p${String(p).padStart(2, '0')}@initech.com`,
          name: `P ${p}`,
          side: 'external',
          position: p,
        })),
      )
      .execute();
  });
  afterEach(async () => {
    await api.close();
  });

  it('answers newest first, ties by id, page after page without duplicates or gaps', async () => {
    const seen: Item[] = [];
    let cursor: string | null = null;
    do {
      const response = await api.request(
        'GET',
        `${TIMELINE}?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
        { token: api.tokens.acmeMember },
      );
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json<{ items: Item[]; nextCursor: string | null }>();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen.map((t) => t.id)).toEqual(['tp-5', 'tp-3', 'tp-2', 'tp-1', 'tp-4', 'tp-6', 'tp-0']);
  });

  it('summarizes each touchpoint', async () => {
    const items = (await api.request('GET', TIMELINE)).json<{ items: Item[] }>().items;
    const tp1 = items.find((t) => t.id === 'tp-1');
    expect(tp1).toMatchObject({ authorName: 'Jill Hart', participantCount: 25, attachmentCount: 2 });
    expect(tp1?.participants).toHaveLength(20);
    expect(tp1?.participants[0]?.email).toBe('p00@initech.com');
    expect(tp1?.preview.startsWith('Hello Peter, 🙂')).toBe(true);
    expect(Array.from(tp1?.preview ?? '')).toHaveLength(201); // 200 characters and an ellipsis
    const tp2 = items.find((t) => t.id === 'tp-2');
    expect(tp2).toMatchObject({ authorName: null, participants: [], participantCount: 0 });
    expect(tp2?.preview.startsWith('Quoted history word word')).toBe(true);
  });

  it('answers 404 for an account that is not there, and an empty page for one without touchpoints', async () => {
    expect((await api.request('GET', '/api/v1/workspaces/acme/accounts/nobody/timeline')).statusCode).toBe(
      404,
    );
    const empty = await api.request('GET', '/api/v1/workspaces/acme/accounts/volga/timeline');
    expect(empty.json()).toEqual({ items: [], nextCursor: null });
  });

  it.runIf(kind.name === 'sqlite')(
    'reads a page along touchpoints_by_account_time, with no sort',
    async () => {
      const plan = await sql<{ detail: string }>`explain query plan
      select id from touchpoints
      where workspace_id = ${'acme'} and account_id = ${'initech'}
        and occurred_at <= ${'2026-10-05T09:00:00.000Z'}
        and (occurred_at < ${'2026-10-05T09:00:00.000Z'} or id < ${'tp-2'})
      order by occurred_at desc, id desc limit 51`.execute(api.store.db);
      const details = plan.rows.map((r) => r.detail).join('\n');
      expect(details).toMatch(/USING (COVERING )?INDEX touchpoints_by_account_time/);
      expect(details).not.toMatch(/TEMP B-TREE/);
    },
  );
});
