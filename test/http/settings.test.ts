// Workspace settings (admin only): read, replace normalized like the import, 409 for another
// workspace's touchpoint address, audited with each changed field; the audit log paged. Both stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkspaceContext } from '../../src/store/workspace-repository.js';
import { openApi, type ApiFixture } from '../support/api.js';
import { STORE_KINDS } from '../support/stores.js';

describe.each(STORE_KINDS)('settings on $name', (kind) => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await openApi(kind);
  });
  afterAll(async () => {
    await api.close();
  });
  const current = async () =>
    (await api.request('GET', '/api/v1/workspaces/acme/settings')).json<Record<string, unknown>>();

  it('reads the settings', async () => {
    expect(await current()).toEqual({
      name: 'Acme Corp',
      touchpointAddresses: ['touchpoints@acme.example'],
      internalDomains: ['acme.com'],
      defaultFlow: 'Default',
      defaultReason: 'Check-in',
      senderAuthPolicy: 'dmarc',
      trustedAuthservIds: [],
      neverLog: [],
      storage: 'full',
      rawRetentionDays: null,
      inboundRetentionDays: null,
    });
  });

  it('replaces them normalized, in force for the rules at once, and audits the changed fields', async () => {
    const response = await api.request('PUT', '/api/v1/workspaces/acme/settings', {
      body: {
        name: 'Acme',
        touchpointAddresses: ['Touchpoints@ACME.example', 'log@bücher.example'],
        internalDomains: ['@ACME.com', 'acme.co.uk'],
        defaultFlow: 'Renewal',
        defaultReason: null,
        senderAuthPolicy: 'strict',
        trustedAuthservIds: ['MX.Google.com'],
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    const expected = {
      name: 'Acme',
      touchpointAddresses: ['log@xn--bcher-kva.example', 'touchpoints@acme.example'],
      internalDomains: ['acme.co.uk', 'acme.com'],
      defaultFlow: 'Renewal',
      defaultReason: null,
      senderAuthPolicy: 'strict',
      trustedAuthservIds: ['mx.google.com'],
      neverLog: [],
      storage: 'full',
      rawRetentionDays: null,
      inboundRetentionDays: null,
    };
    expect(response.json()).toEqual(expected);
    expect(await current()).toEqual(expected);
    const context = await loadWorkspaceContext(api.store.db, 'acme');
    expect(context?.senderAuthPolicy).toBe('strict');
    expect(context?.everyTouchpointAddress.has('log@xn--bcher-kva.example' as never)).toBe(true);
    const audit = await api.request('GET', '/api/v1/workspaces/acme/audit?action=settings.update');
    const [entry] = audit.json<{ items: { actor: string; changes: Record<string, unknown> }[] }>().items;
    expect(entry?.actor).toBe('jill@acme.com');
    expect(Object.keys(entry?.changes ?? {}).sort()).toEqual([
      'defaultFlow',
      'defaultReason',
      'internalDomains',
      'name',
      'senderAuthPolicy',
      'touchpointAddresses',
      'trustedAuthservIds',
    ]);
    expect(entry?.changes.defaultReason).toEqual({ before: 'Check-in', after: null });
  });

  it('replaces the privacy rules normalized, in force for the rules at once, audited before and after', async () => {
    const before = await current();
    const response = await api.request('PUT', '/api/v1/workspaces/acme/settings', {
      body: {
        ...before,
        neverLog: ['CEO@Globex.com', '@Legal.Globex.com', 'ceo@globex.com'],
        storage: 'no-body',
        rawRetentionDays: 0,
        inboundRetentionDays: 90,
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    const privacy = {
      neverLog: ['ceo@globex.com', 'legal.globex.com'],
      storage: 'no-body',
      rawRetentionDays: 0,
      inboundRetentionDays: 90,
    };
    expect(await current()).toEqual({ ...before, ...privacy });
    const context = await loadWorkspaceContext(api.store.db, 'acme');
    expect(context?.neverLog).toEqual(privacy.neverLog);
    expect(context?.storage).toBe('no-body');
    const audit = await api.request('GET', '/api/v1/workspaces/acme/audit?action=settings.update');
    const entry = audit
      .json<{ items: { changes: Record<string, unknown> }[] }>()
      .items.find((item) => 'neverLog' in item.changes);
    expect(entry?.changes).toEqual({
      neverLog: { before: [], after: privacy.neverLog },
      storage: { before: 'full', after: 'no-body' },
      rawRetentionDays: { before: null, after: 0 },
      inboundRetentionDays: { before: null, after: 90 },
    });

    // A client that knows nothing of the privacy rules keeps them when it saves the other settings.
    const { neverLog, storage, rawRetentionDays, inboundRetentionDays, ...older } = await current();
    expect([neverLog, storage, rawRetentionDays, inboundRetentionDays]).toHaveLength(4);
    const kept = await api.request('PUT', '/api/v1/workspaces/acme/settings', {
      body: { ...older, defaultFlow: 'Kept' },
    });
    expect(kept.json()).toMatchObject({ ...privacy, defaultFlow: 'Kept' });
  });

  it('refuses a never-log entry that is neither an address nor a domain, and a negative retention (400)', async () => {
    const before = await current();
    const bad = await api.request('PUT', '/api/v1/workspaces/acme/settings', {
      body: { ...before, neverLog: ['globex.com', 'not an address@', 'com'] },
    });
    expect(bad.statusCode).toBe(400);
    const { error } = bad.json<{ error: { problems: { path: string }[] } }>();
    expect(error.problems.map((p) => p.path)).toEqual(['neverLog[1]', 'neverLog[2]']);
    const negative = await api.request('PUT', '/api/v1/workspaces/acme/settings', {
      body: { ...before, rawRetentionDays: -1 },
    });
    expect(negative.statusCode).toBe(400);
    expect(await current()).toEqual(before);
  });

  it('refuses a touchpoint address of another workspace with 409, changing nothing', async () => {
    const before = await current();
    const response = await api.request('PUT', '/api/v1/workspaces/acme/settings', {
      body: { ...before, touchpointAddresses: ['touchpoints@other.example'] },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json<{ error: { message: string } }>().error.message).not.toContain('other Inc');
    expect(await current()).toEqual(before);
  });

  it('names each bad value by its path (400)', async () => {
    const response = await api.request('PUT', '/api/v1/workspaces/acme/settings', {
      body: { ...(await current()), internalDomains: ['not a domain'], touchpointAddresses: ['nope'] },
    });
    expect(response.statusCode).toBe(400);
    const { error } = response.json<{ error: { problems: { path: string }[] } }>();
    expect(error.problems.map((p) => p.path).sort()).toEqual([
      'internalDomains[0]',
      'touchpointAddresses[0]',
    ]);
  });

  it('pages the audit log newest first', async () => {
    for (const name of ['A1', 'A2', 'A3'])
      await api.request('PUT', '/api/v1/workspaces/acme/settings', { body: { ...(await current()), name } });
    const first = await api.request('GET', '/api/v1/workspaces/acme/audit?action=settings.update&limit=2');
    const page1 = first.json<{ items: { changes: { name?: { after: string } } }[]; nextCursor: string }>();
    expect(page1.items).toHaveLength(2);
    const second = await api.request(
      'GET',
      `/api/v1/workspaces/acme/audit?action=settings.update&limit=2&cursor=${page1.nextCursor}`,
    );
    const page2 = second.json<{ items: unknown[]; nextCursor: string | null }>();
    expect(page1.items.length + page2.items.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(page2.items)).not.toEqual(JSON.stringify(page1.items));
  });
});
