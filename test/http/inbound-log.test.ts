// The inbound log over HTTP: listing with filters and paging, one entry with candidates and findings,
// the raw message for admins, and who may see what (acme's tokens never reach workspace other).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertInbound } from '../../src/store/inbound-repository.js';
import { openApi, type ApiFixture } from '../support/api.js';
import { ingestFixture } from '../support/inbound.js';
import { STORE_KINDS } from '../support/stores.js';
import { readFixture } from '../support/workspace.js';

const LOG = '/api/v1/workspaces/acme/inbound';

interface Item {
  inboundId: string;
  status: string;
  reason?: string | null;
  sender: string | null;
  receivedAt: string;
}

describe.each(STORE_KINDS)('inbound log on $name', (kind) => {
  let api: ApiFixture;
  let ids: { ambiguous: string; noAccount: string; recorded: string; stranger: string; other: string };
  // One store per kind: every test but the last only reads.
  beforeAll(async () => {
    api = await openApi(kind);
    // The ambiguous message comes first: once bcc-plain is recorded on globex, tie-break C2 (a recent
    // touchpoint from acme.com) would settle it.
    const ambiguous = await ingestFixture(api, 'ambiguous-parent-child.eml', {
      at: new Date('2026-11-26T08:00:00Z'),
      channel: 'smtp',
      mailFrom: 'Sam@Acme.com',
    });
    const recorded = await ingestFixture(api, 'bcc-plain.eml', { at: new Date('2026-11-26T09:00:00Z') });
    const noAccount = await ingestFixture(api, 'no-account.eml', { at: new Date('2026-11-26T10:00:00Z') });
    const stranger = await ingestFixture(api, 'stranger.eml', { at: new Date('2026-11-26T11:00:00Z') });
    const other = await ingestFixture(api, 'bcc-plain.eml', {
      at: new Date('2026-11-26T11:30:00Z'),
      rcpt: 'touchpoints@other.example',
    });
    expect([ambiguous, recorded, noAccount, stranger, other].map((i) => i.outcome.reason)).toEqual([
      'ambiguous-account',
      null,
      'no-account',
      'sender-not-a-user',
      'sender-not-a-user',
    ]);
    ids = {
      ambiguous: ambiguous.inboundId,
      recorded: recorded.inboundId,
      noAccount: noAccount.inboundId,
      stranger: stranger.inboundId,
      other: other.inboundId,
    };
  });
  afterAll(async () => {
    await api.close();
  });

  const list = async (query: string, token?: string) => {
    const response = await api.request('GET', `${LOG}${query}`, { token });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: Item[]; nextCursor: string | null }>();
  };

  it('lists the workspace’s messages newest first, each an outcome object with its inbound id', async () => {
    const page = await list('');
    expect(page.items.map((i) => i.inboundId)).toEqual([
      ids.stranger,
      ids.noAccount,
      ids.recorded,
      ids.ambiguous,
    ]);
    expect(page.nextCursor).toBeNull();
    const ambiguous = page.items[3];
    expect(ambiguous).toMatchObject({
      status: 'failed',
      reason: 'ambiguous-account',
      workspaceId: 'acme',
      scenario: 'bcc',
      candidates: ['globex', 'globex-eu'],
      channel: 'smtp',
      mailFrom: 'Sam@Acme.com',
      rcptTo: ['touchpoints@acme.example'],
      sender: 'sam@acme.com',
      attempts: 1,
      lastError: null,
    });
    expect(Object.keys(ambiguous ?? {})).toEqual(
      expect.arrayContaining(['trace', 'participants', 'subject']),
    );
  });

  it('filters by status, reason, sender, channel and received time, and they combine', async () => {
    const idsOf = async (query: string) => (await list(query)).items.map((i) => i.inboundId);
    expect(await idsOf('?status=failed')).toEqual([ids.stranger, ids.noAccount, ids.ambiguous]);
    expect(await idsOf('?status=recorded')).toEqual([ids.recorded]);
    expect(await idsOf('?reason=no-account')).toEqual([ids.noAccount]);
    // The From address or the envelope sender, compared normalised.
    expect(await idsOf('?sender=SAM%40acme.com')).toEqual([ids.ambiguous]);
    expect(await idsOf('?sender=mallory%40evil.example')).toEqual([ids.stranger]);
    expect(await idsOf('?channel=smtp')).toEqual([ids.ambiguous]);
    expect(await idsOf('?since=2026-11-26T09:00:00Z&until=2026-11-26T11:00:00Z')).toEqual([
      ids.noAccount,
      ids.recorded,
    ]);
    expect(await idsOf('?status=failed&sender=jill%40acme.com')).toEqual([ids.noAccount]);
    expect(await idsOf('?status=pending')).toEqual([]);
  });

  it('pages by cursor without losing or repeating a message', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`?limit=1${cursor === null ? '' : `&cursor=${cursor}`}`);
      seen.push(...page.items.map((i) => i.inboundId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(seen).toEqual([ids.stranger, ids.noAccount, ids.recorded, ids.ambiguous]);
    expect(pages).toBe(4);
    const two = await list('?limit=3&status=failed');
    expect(two.items).toHaveLength(3);
    expect(two.nextCursor).toBeNull();
  });

  it('refuses bad filters and cursors with 400', async () => {
    for (const query of [
      '?status=lost',
      '?reason=because',
      '?limit=0',
      '?limit=201',
      '?since=yesterday',
      '?sender=nobody',
      '?cursor=not-a-cursor',
      '?channel=fax',
    ]) {
      const response = await api.request('GET', `${LOG}${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json(), query).toMatchObject({ error: { code: 'validation-failed' } });
    }
  });

  it('reads one entry with its trace, candidate accounts with names and authentication findings', async () => {
    const response = await api.request('GET', `${LOG}/${ids.ambiguous}`, { token: api.tokens.acmeMember });
    expect(response.statusCode).toBe(200);
    const entry = response.json<Record<string, unknown>>();
    expect(entry).toMatchObject({
      inboundId: ids.ambiguous,
      status: 'failed',
      reason: 'ambiguous-account',
      rawSize: readFixture('ambiguous-parent-child.eml').byteLength,
      candidateAccounts: [
        { id: 'globex', name: 'Globex' },
        { id: 'globex-eu', name: 'Globex Europe' },
      ],
      authentication: { source: 'message-only', spfAligned: false, dkimAligned: false },
    });
    expect(entry.trace).toContainEqual({
      step: 'C.result',
      detail: 'Cannot choose between globex, globex-eu.',
    });
  });

  it('gives the raw message to admins only', async () => {
    const raw = await api.request('GET', `${LOG}/${ids.ambiguous}/raw`);
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-type']).toMatch(/^message\/rfc822/);
    expect(raw.rawPayload.equals(readFixture('ambiguous-parent-child.eml'))).toBe(true);
    const member = await api.request('GET', `${LOG}/${ids.ambiguous}/raw`, { token: api.tokens.acmeMember });
    expect(member.statusCode).toBe(403);
    expect(member.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('answers 401 without a token and 404 for another workspace’s log and messages', async () => {
    for (const url of [LOG, `${LOG}/${ids.ambiguous}`, `${LOG}/${ids.ambiguous}/raw`]) {
      const response = await api.request('GET', url, { token: null });
      expect(response.statusCode, url).toBe(401);
    }
    for (const url of [
      '/api/v1/workspaces/other/inbound',
      `/api/v1/workspaces/other/inbound/${ids.other}`,
      `/api/v1/workspaces/other/inbound/${ids.other}/raw`,
      `${LOG}/${ids.other}`,
      `${LOG}/${ids.other}/raw`,
    ]) {
      const response = await api.request('GET', url, { token: api.tokens.acmeAdmin });
      expect(response.statusCode, url).toBe(404);
      expect(response.json(), url).toMatchObject({ error: { code: 'not-found' } });
    }
    expect((await list('')).items.map((i) => i.inboundId)).not.toContain(ids.other);
    const theirs = await api.request('GET', `/api/v1/workspaces/other/inbound/${ids.other}`, {
      token: api.tokens.otherAdmin,
    });
    expect(theirs.statusCode).toBe(200);
  });
  it('shows a queued message (last: it adds one) with status queued and no outcome fields', async () => {
    await insertInbound(api.store.db, {
      id: 'queued-1',
      workspaceId: 'acme',
      receivedAt: new Date('2026-11-26T11:45:00Z'),
      channel: 'smtp',
      raw: readFixture('bcc-plain.eml'),
      sha256: 'x',
      mailFrom: 'Jill@ACME.com',
      rcptTo: ['touchpoints@acme.example'],
    });
    const [first] = (await list('?status=queued')).items;
    expect(first).toEqual({
      status: 'queued',
      workspaceId: 'acme',
      inboundId: 'queued-1',
      receivedAt: '2026-11-26T11:45:00.000Z',
      channel: 'smtp',
      mailFrom: 'Jill@ACME.com',
      rcptTo: ['touchpoints@acme.example'],
      sender: 'jill@acme.com',
      attempts: 0,
      lastError: null,
    });
    expect((await list('?sender=jill%40acme.com')).items[0]?.inboundId).toBe('queued-1');
    const detail = await api.request('GET', `${LOG}/queued-1`);
    expect(detail.json()).toEqual({
      ...first,
      rawSize: readFixture('bcc-plain.eml').byteLength,
      candidateAccounts: [],
      authentication: null,
    });
  });
});
