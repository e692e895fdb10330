// Touchpoints over HTTP: reading one, editing it (SPEC §7) with its edit history and notify choice,
// optimistic concurrency, the "same mail" rule when moving accounts, and workspace isolation.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestMessage } from '../../src/app/ingest-message.js';
import { insertTouchpoints } from '../../src/store/touchpoint-repository.js';
import { normalizeEmail, type Email } from '../../src/domain/address.js';
import { openApi, type ApiFixture } from '../support/api.js';
import { ingestFixture } from '../support/inbound.js';
import { STORE_KINDS } from '../support/stores.js';

interface Touchpoint {
  id: string;
  account: { id: string; name: string };
  subject: string;
  content: { text: string; visibleText: string | null; html: string | null };
  participants: { email: string; name: string; side: string }[];
  updatedAt: string;
  editCount: number;
}

interface Edit {
  editor: string;
  changes: Record<string, { before: unknown; after: unknown }>;
  participantsAdded: { email: string; side: string }[];
  participantsRemoved: { email: string }[];
  notify: string;
}

describe.each(STORE_KINDS)('touchpoints on $name', (kind) => {
  let api: ApiFixture;
  let id: string;
  let inboundId: string;
  let url: string;
  beforeEach(async () => {
    api = await openApi(kind);
    const ingested = await ingestFixture(api, 'bcc-plain.eml');
    if (ingested.outcome.touchpointId === null) throw new Error('bcc-plain was not recorded');
    id = ingested.outcome.touchpointId;
    inboundId = ingested.inboundId;
    url = `/api/v1/workspaces/acme/touchpoints/${id}`;
  });
  afterEach(async () => {
    await api.close();
  });

  const read = async () => {
    const response = await api.request('GET', url);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Touchpoint>();
  };
  const edits = async (query = '') => {
    const response = await api.request('GET', `${url}/edits${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: Edit[]; nextCursor: string | null }>();
  };

  it('reads one touchpoint with everything SPEC §6 keeps, to members too', async () => {
    const response = await api.request('GET', url, { token: api.tokens.acmeMember });
    expect(response.statusCode).toBe(200);
    const touchpoint = response.json<Record<string, unknown>>();
    expect(touchpoint).toMatchObject({
      id,
      workspaceId: 'acme',
      account: { id: 'globex', name: 'Globex' },
      type: 'Email',
      flow: 'Default',
      reason: 'Check-in',
      subject: 'Renewal next steps',
      content: { visibleText: null, html: null },
      occurredAt: '2026-11-19T15:04:05.000Z',
      author: { email: 'jill@acme.com', name: 'Jill Hart' },
      participants: [
        { email: 'jill@acme.com', name: 'Jill Hart', side: 'internal' },
        { email: 'bob@globex.com', name: 'Bob Stone', side: 'external' },
      ],
      attachments: [],
      source: { scenario: 'bcc', inboundId, messageKey: 'mid:bcc-plain@mail.acme.com' },
      editCount: 0,
    });
    expect(response.json<Touchpoint>().content.text).toContain('renewal quote by Friday');
    expect(touchpoint.trace).toContainEqual({ step: 'A.result', detail: 'One candidate account: globex.' });
    expect(response.headers.etag).toBe(`"${String(touchpoint.updatedAt)}"`);
  });

  it('edits subject, content and participants; keeps the edit with who did it and whom to notify', async () => {
    const response = await api.request('PATCH', url, {
      token: api.tokens.acmeMember,
      body: {
        subject: '  Renewal: next steps ',
        content: 'Summary: quote by Friday.',
        participants: [
          { email: 'jill@acme.com' },
          { email: 'Bob@Globex.com' },
          { email: 'eva@globex.com', name: 'Eva Lind' },
          { email: 'ops@eu.acme.com' },
        ],
        notify: 'new',
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    const edited = response.json<Touchpoint>();
    expect(edited).toMatchObject({
      subject: 'Renewal: next steps',
      content: { text: 'Summary: quote by Friday.', visibleText: null, html: null },
      participants: [
        { email: 'jill@acme.com', name: 'Jill Hart', side: 'internal' },
        { email: 'bob@globex.com', name: 'Bob Stone', side: 'external' },
        { email: 'eva@globex.com', name: 'Eva Lind', side: 'external' },
        // A subdomain of an internal domain is internal (SPEC §4).
        { email: 'ops@eu.acme.com', name: '', side: 'internal' },
      ],
      editCount: 1,
    });
    const { items } = await edits();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      editor: 'sam@acme.com',
      notify: 'new',
      participantsAdded: [
        { email: 'eva@globex.com', side: 'external' },
        { email: 'ops@eu.acme.com', side: 'internal' },
      ],
      participantsRemoved: [],
      changes: {
        subject: { before: 'Renewal next steps', after: 'Renewal: next steps' },
        content: { after: 'Summary: quote by Friday.' },
      },
    });
  });

  it('keeps the sides participants were recorded with; only the participants an edit adds are classified', async () => {
    // Jill writes from her alias at the labs subsidiary, Cc'ing her labs colleague Kim: recorded with the
    // From's domain, both are internal (SPEC §4). Her login's domain, acme.com, would make them external.
    const alias = await api.request('PATCH', '/api/v1/workspaces/acme/logins/jill@acme.com', {
      token: api.tokens.acmeAdmin,
      body: { aliases: ['jh@acme.com', 'jill@acme-labs.com'] },
    });
    expect(alias.statusCode, alias.body).toBe(200);
    const raw = [
      'From: Jill Hart <jill@acme-labs.com>',
      'To: Bob Stone <bob@globex.com>',
      'Cc: Kim Labs <kim@acme-labs.com>',
      'Subject: Lab results',
      'Date: Thu, 19 Nov 2026 15:04:05 +0000',
      'Message-ID: <lab-results@acme-labs.com>',
      '',
      'Bob, the results are in.',
      '',
    ].join('\r\n');
    const { outcome } = await ingestMessage(
      api.context.messages,
      { raw: Buffer.from(raw), envelope: { mailFrom: null, rcptTo: ['touchpoints@acme.example' as Email] } },
      'cli',
    );
    expect(outcome.status).toBe('recorded');
    // Jill herself is recorded once, under her login's address, whichever alias she wrote from (issue 17).
    const recorded = [
      { email: 'jill@acme.com', side: 'internal' },
      { email: 'bob@globex.com', side: 'external' },
      { email: 'kim@acme-labs.com', side: 'internal' },
    ];
    const labsUrl = `/api/v1/workspaces/acme/touchpoints/${outcome.touchpointId ?? ''}`;

    // An API client that sends the whole state back with a new subject changes the subject only.
    const subjectOnly = await api.request('PATCH', labsUrl, {
      body: { subject: 'Lab results (final)', participants: recorded.map(({ email }) => ({ email })) },
    });
    expect(subjectOnly.statusCode, subjectOnly.body).toBe(200);
    expect(subjectOnly.json<Touchpoint>().participants).toMatchObject(recorded);

    const added = await api.request('PATCH', labsUrl, {
      body: {
        participants: [
          ...recorded.map(({ email }) => ({ email })),
          { email: 'ops@eu.acme.com' },
          { email: 'eva@globex.com' },
        ],
      },
    });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json<Touchpoint>().participants).toMatchObject([
      ...recorded,
      { email: 'ops@eu.acme.com', side: 'internal' },
      { email: 'eva@globex.com', side: 'external' },
    ]);
    const history = (await api.request('GET', `${labsUrl}/edits`)).json<{ items: Edit[] }>().items;
    expect(history.map((e) => Object.keys(e.changes))).toEqual([['participants'], ['subject']]);
  });

  it('refuses a field it does not know (a typo must not look saved) and keeps a null reason null', async () => {
    const typo = await api.request('PATCH', url, { body: { subjekt: 'Renamed' } });
    expect(typo.statusCode).toBe(400);
    expect(typo.json()).toMatchObject({ error: { code: 'validation-failed' } });
    const cleared = await api.request('PATCH', url, { body: { reason: null } });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json()).toMatchObject({ reason: null });
  });

  it('records notify as none when nothing was added and the content stayed', async () => {
    const response = await api.request('PATCH', url, {
      body: { reason: 'Renewal', participants: [{ email: 'jill@acme.com' }], notify: 'all' },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ reason: 'Renewal', participants: [{ email: 'jill@acme.com' }] });
    const [edit] = (await edits()).items;
    expect(edit).toMatchObject({
      editor: 'jill@acme.com',
      notify: 'none',
      participantsAdded: [],
      participantsRemoved: [{ email: 'bob@globex.com' }],
      changes: { reason: { before: 'Check-in', after: 'Renewal' } },
    });
    // A request that changes nothing stores nothing.
    const same = await api.request('PATCH', url, { body: { reason: 'Renewal' } });
    expect(same.statusCode).toBe(200);
    expect((await edits()).items).toHaveLength(1);
  });

  it('refuses to overwrite a concurrent edit (If-Match or updatedAt) with 409', async () => {
    const before = await read();
    const first = await api.request('PATCH', url, {
      body: { subject: 'First' },
      headers: { 'if-match': `"${before.updatedAt}"` },
    });
    expect(first.statusCode, first.body).toBe(200);
    const stale = await api.request('PATCH', url, {
      body: { subject: 'Second' },
      headers: { 'if-match': `"${before.updatedAt}"` },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: { code: 'conflict' } });
    const staleBody = await api.request('PATCH', url, {
      body: { subject: 'Second', updatedAt: before.updatedAt },
    });
    expect(staleBody.statusCode).toBe(409);
    // The version moves on every edit, even within one millisecond (the test clock stands still).
    const now = await read();
    expect(now.subject).toBe('First');
    expect(now.updatedAt > before.updatedAt).toBe(true);
    const fresh = await api.request('PATCH', url, { body: { subject: 'Second', updatedAt: now.updatedAt } });
    expect(fresh.statusCode).toBe(200);
  });

  it('moves a touchpoint to another account unless the same mail is already there (409)', async () => {
    const moved = await api.request('PATCH', url, { body: { accountId: 'initech' } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ account: { id: 'initech', name: 'Initech' } });

    const author = normalizeEmail('jill@acme.com');
    if (author === null) throw new Error('not an address');
    await insertTouchpoints(
      api.store.db,
      api.store.capabilities,
      'acme',
      [
        {
          id: 'copy-on-umbrella',
          draft: {
            accountId: 'umbrella',
            type: 'Email',
            flow: 'Default',
            reason: null,
            subject: 'Renewal next steps',
            contentText: 'copy',
            contentVisible: null,
            contentHtml: null,
            occurredAt: '2026-11-19T15:04:05.000Z',
            author,
            scenario: 'bcc',
            participants: [],
            messageKey: 'mid:bcc-plain@mail.acme.com',
            contentKey: null,
            inboundId: null,
            attachments: [],
            trace: [],
          },
        },
      ],
      new Date('2026-11-26T12:00:00Z'),
    );
    const clash = await api.request('PATCH', url, { body: { accountId: 'umbrella' } });
    expect(clash.statusCode).toBe(409);
    expect(clash.json<{ error: { message: string } }>().error.message).toMatch(/copy-on-umbrella/);
    expect((await read()).account.id).toBe('initech');
  });

  it('pages the edit history newest first', async () => {
    for (const subject of ['One', 'Two', 'Three'])
      expect((await api.request('PATCH', url, { body: { subject } })).statusCode).toBe(200);
    const first = await edits('?limit=2');
    expect(first.items.map((e) => e.changes.subject?.after)).toEqual(['Three', 'Two']);
    expect(first.nextCursor).not.toBeNull();
    const second = await edits(`?limit=2&cursor=${first.nextCursor ?? ''}`);
    expect(second.items.map((e) => e.changes.subject?.after)).toEqual(['One']);
    expect(second.nextCursor).toBeNull();
  });

  it('answers 400 for bad edits and leaves the touchpoint as it was', async () => {
    const bad: unknown[] = [
      { subject: '' },
      { subject: '   ' },
      { notify: 'everyone' },
      { participants: [{ email: 'not an address' }] },
      { participants: [{ email: 'touchpoints@acme.example' }] },
      { participants: 'bob@globex.com' },
      { content: { text: 'rich' } },
      { participants: Array.from({ length: 501 }, (_, i) => ({ email: `p${i}@globex.com` })) },
    ];
    for (const body of bad) {
      const response = await api.request('PATCH', url, { body });
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'validation-failed' } });
    }
    expect(await read()).toMatchObject({ subject: 'Renewal next steps', editCount: 0 });
    const edits400 = await api.request('GET', `${url}/edits?limit=500`);
    expect(edits400.statusCode).toBe(400);
  });

  it('serves an attachment out of the stored message as a download, to members too', async () => {
    const ingested = await ingestFixture(api, 'rfc2231-attachment.eml');
    const touchpointId = ingested.outcome.touchpointId;
    if (touchpointId === null) throw new Error('rfc2231-attachment was not recorded');
    const base = `/api/v1/workspaces/acme/touchpoints/${touchpointId}`;
    const touchpoint = (await api.request('GET', base)).json<{
      attachments: { filename: string; size: number; download: string }[];
    }>();
    const [pdf] = touchpoint.attachments;
    expect(pdf).toMatchObject({
      filename: 'Angebot für Globex.pdf',
      download: `${base}/attachments/0`,
    });
    const response = await api.request('GET', pdf?.download ?? '', { token: api.tokens.acmeMember });
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.toString('latin1')).toBe('%PDF-1.4\n% fake pdf for tests\n');
    expect(response.rawPayload.byteLength).toBe(pdf?.size);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="Angebot f_r Globex.pdf"; filename*=UTF-8''Angebot%20f%C3%BCr%20Globex.pdf`,
    );
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain('sandbox');

    expect((await api.request('GET', `${base}/attachments/1`)).statusCode).toBe(404);
    expect((await api.request('GET', `${url}/attachments/0`)).statusCode).toBe(404); // it has none
    expect((await api.request('GET', `${base}/attachments/x`)).statusCode).toBe(400);
    expect((await api.request('GET', `${base}/attachments/0`, { token: null })).statusCode).toBe(401);
    expect(
      (await api.request('GET', `${base}/attachments/0`, { token: api.tokens.otherAdmin })).statusCode,
    ).toBe(404);
  });

  it('answers 401 without a token and 404 across workspaces', async () => {
    for (const [method, path] of [
      ['GET', url],
      ['PATCH', url],
      ['GET', `${url}/edits`],
    ] as const) {
      const response = await api.request(method, path, { token: null, body: { subject: 'x' } });
      expect(response.statusCode, `${method} ${path}`).toBe(401);
    }
    for (const path of [
      '/api/v1/workspaces/acme/touchpoints/o-tp',
      '/api/v1/workspaces/other/touchpoints/o-tp',
    ]) {
      for (const method of ['GET', 'PATCH'] as const) {
        const response = await api.request(method, path, { body: { subject: 'Mine now' } });
        expect(response.statusCode, `${method} ${path}`).toBe(404);
      }
      expect((await api.request('GET', `${path}/edits`)).statusCode).toBe(404);
    }
    const toOtherAccount = await api.request('PATCH', url, { body: { accountId: 'o-acc' } });
    expect(toOtherAccount.statusCode).toBe(404);
    const theirs = await api.request('GET', '/api/v1/workspaces/other/touchpoints/o-tp', {
      token: api.tokens.otherAdmin,
    });
    expect(theirs.json()).toMatchObject({ subject: 'Other kick-off', account: { name: 'Other Customer' } });
  });
});
