// A person's data over HTTP (SPEC §11) on both stores: export and erasure are admin-only, validated, kept
// to their workspace; a raw message no longer kept answers 404. The rules themselves: test/app/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestMessage } from '../../src/app/ingest-message.js';
import { importWorkspace } from '../../src/app/import-workspace.js';
import type { Email } from '../../src/domain/address.js';
import { openApi, type ApiFixture } from '../support/api.js';
import { STORE_KINDS } from '../support/stores.js';
import { FIXED_NOW, readFixture, TOUCHPOINT_ADDRESS } from '../support/workspace.js';

describe.each(STORE_KINDS)('personal data routes on $name', (kind) => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await openApi(kind);
  });
  afterAll(async () => {
    await api.close();
  });
  const ingest = (fixture: string) =>
    ingestMessage(
      api.context.messages,
      { raw: readFixture(fixture), envelope: { mailFrom: null, rcptTo: [TOUCHPOINT_ADDRESS as Email] } },
      'cli',
    );

  it('is for admins only (403 for a member), and refuses what is not an address (400)', async () => {
    const member = api.tokens.acmeMember;
    const read = await api.request('GET', '/api/v1/workspaces/acme/personal-data?email=bob@globex.com', {
      token: member,
    });
    expect(read.statusCode).toBe(403);
    const erase = await api.request('POST', '/api/v1/workspaces/acme/erasures', {
      token: member,
      body: { email: 'bob@globex.com' },
    });
    expect(erase.statusCode).toBe(403);
    const bad = await api.request('POST', '/api/v1/workspaces/acme/erasures', { body: { email: 'nope' } });
    expect(bad.statusCode).toBe(400);
    const other = await api.request('GET', '/api/v1/workspaces/other/personal-data?email=bob@globex.com');
    expect(other.statusCode).toBe(404);
  });

  it('exports, then erases a person: the user gone, the touchpoint kept with [erased], audited with counts', async () => {
    const { outcome } = await ingest('bcc-plain.eml');
    expect(outcome.status).toBe('recorded');
    const exported = await api.request('GET', '/api/v1/workspaces/acme/personal-data?email=Bob@Globex.com');
    expect(exported.statusCode, exported.body).toBe(200);
    const data = exported.json<{ users: { id: string }[]; touchpoints: { id: string }[] }>();
    expect(data.users.map((u) => u.id)).toEqual(['u-bob']);
    expect(data.touchpoints.map((t) => t.id)).toContain(outcome.touchpointId);

    const erased = await api.request('POST', '/api/v1/workspaces/acme/erasures', {
      body: { email: 'bob@globex.com' },
    });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json()).toMatchObject({ users: 1, inboundMessages: 1 });
    const users = await api.request('GET', '/api/v1/workspaces/acme/users?email=bob@globex.com');
    expect(users.json<{ items: unknown[] }>().items).toEqual([]);
    const touchpoint = await api.request(
      'GET',
      `/api/v1/workspaces/acme/touchpoints/${outcome.touchpointId}`,
    );
    expect(touchpoint.statusCode).toBe(200);
    expect(JSON.stringify(touchpoint.json())).not.toContain('bob@globex.com');
    expect(touchpoint.json<{ participants: { email: string }[] }>().participants).toContainEqual(
      expect.objectContaining({ email: '[erased]' }),
    );
    const audit = await api.request('GET', '/api/v1/workspaces/acme/audit?action=person.erase');
    const [entry] = audit.json<{ items: { subject: string | null }[] }>().items;
    expect(entry?.subject).toBeNull();
    expect(JSON.stringify(entry)).not.toContain('bob@');
  });

  it('answers 404 for the raw message and attachments of a message no longer kept, its entry still listed', async () => {
    const done = await importWorkspace(
      api.store,
      { workspace: { id: 'acme', storage: 'no-body' } },
      FIXED_NOW,
    );
    expect(done.ok).toBe(true);
    const { inboundId, outcome } = await ingest('rfc2231-attachment.eml');
    expect(outcome.status).toBe('recorded');
    expect((await api.request('GET', `/api/v1/workspaces/acme/inbound/${inboundId}`)).statusCode).toBe(200);
    expect((await api.request('GET', `/api/v1/workspaces/acme/inbound/${inboundId}/raw`)).statusCode).toBe(
      404,
    );
    const attachment = await api.request(
      'GET',
      `/api/v1/workspaces/acme/touchpoints/${outcome.touchpointId}/attachments/0`,
    );
    expect(attachment.statusCode).toBe(404);
    const touchpoint = await api.request(
      'GET',
      `/api/v1/workspaces/acme/touchpoints/${outcome.touchpointId}`,
    );
    expect(touchpoint.json()).toMatchObject({ source: { originalKept: false }, attachments: [] });
  });

  it('says a touchpoint’s original is kept while it is', async () => {
    const done = await importWorkspace(api.store, { workspace: { id: 'acme', storage: 'full' } }, FIXED_NOW);
    expect(done.ok).toBe(true);
    const { outcome } = await ingest('html-only.eml');
    expect(outcome.status).toBe('recorded');
    const touchpoint = await api.request(
      'GET',
      `/api/v1/workspaces/acme/touchpoints/${outcome.touchpointId}`,
    );
    expect(touchpoint.json()).toMatchObject({ source: { originalKept: true } });
  });
});
