// The Salesforce routes: settings (admins only, secrets write-only, audited without them), the
// connection test against the fake Salesforce, a touchpoint's sync state and the manual re-sync; and
// that no setting or answer makes the service call anything but Salesforce, or show what it answered.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SalesforceIntegration } from '../../src/outbound/salesforce/integration.js';
import { listAudit } from '../../src/store/audit-repository.js';
import { getSalesforceSettings } from '../../src/store/salesforce-repository.js';
import { openApi, type ApiFixture } from '../support/api.js';
import { settingsFor, startFakeSalesforce, type FakeSalesforce } from '../support/fake-salesforce.js';

const SETTINGS = '/api/v1/workspaces/acme/settings/salesforce';
const SYNC = '/api/v1/workspaces/acme/touchpoints';

describe('Salesforce routes', () => {
  let api: ApiFixture;
  let fake: FakeSalesforce;
  let touchpointId: string;
  const body = () => settingsFor(fake, { fieldMapping: { description: 'Touchmail_Notes__c' } });

  beforeAll(async () => {
    api = await openApi();
    fake = await startFakeSalesforce();
    const row = await api.store.db
      .selectFrom('touchpoints')
      .select('id')
      .where('workspace_id', '=', 'acme')
      .executeTakeFirstOrThrow();
    touchpointId = row.id;
  });
  afterAll(async () => {
    await fake.close();
    await api.close();
  });

  it('shows the defaults before anything is configured', async () => {
    const response = await api.request('GET', SETTINGS);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      enabled: false,
      authFlow: 'client-credentials',
      apiVersion: '62.0',
      clientSecret: { configured: false },
      fieldMapping: { subject: 'Subject', description: 'Description' },
    });
  });

  it('says the sync is off: no state, and a re-sync is refused with 409', async () => {
    const state = await api.request('GET', `${SYNC}/${touchpointId}/salesforce`, {
      token: api.tokens.acmeMember,
    });
    expect(state.statusCode).toBe(200);
    expect(state.json()).toMatchObject({ status: 'none', taskId: null });
    const resync = await api.request('POST', `${SYNC}/${touchpointId}/salesforce/resync`);
    expect(resync.statusCode).toBe(409);
  });

  it('saves settings: secrets are write-only, sealed in the store and kept out of the audit log', async () => {
    const response = await api.request('PUT', SETTINGS, { body: body() });
    expect(response.statusCode).toBe(200);
    const view = response.json<Record<string, unknown>>();
    expect(view).toMatchObject({
      enabled: true,
      clientId: fake.clientId,
      clientSecret: { configured: true },
      password: { configured: false },
      fieldMapping: { description: 'Touchmail_Notes__c', subject: 'Subject' },
    });
    expect(JSON.stringify(view)).not.toContain(fake.clientSecret);
    const read = await api.request('GET', SETTINGS);
    expect(read.body).not.toContain(fake.clientSecret);
    const row = await getSalesforceSettings(api.store.db, 'acme');
    expect(JSON.stringify(row)).not.toContain(fake.clientSecret);

    // Left out: the stored secret stays.
    const withoutSecret = { ...body(), clientSecret: undefined };
    expect((await api.request('PUT', SETTINGS, { body: withoutSecret })).json()).toMatchObject({
      clientSecret: { configured: true },
    });

    const [latest, first] = await listAudit(api.store.db, 'acme', {
      limit: 2,
      action: 'settings.salesforce.update',
    });
    expect(latest?.changes).toEqual({});
    expect(first?.actor).toBe('jill@acme.com');
    expect(first?.changes).toMatchObject({
      enabled: { before: false, after: true },
      clientSecret: { before: 'not set', after: 'replaced' },
    });
    expect(JSON.stringify(first)).not.toContain(fake.clientSecret);
  });

  it('tests the connection with the stored settings and answers in plain words', async () => {
    await api.request('PUT', SETTINGS, { body: body() });
    const ok = await api.request('POST', `${SETTINGS}/test`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      ok: true,
      message: 'Connected to Salesforce.',
      organizationId: '00D000000000001AAA',
      apiUsage: { max: 15_000 },
    });
    await api.request('PUT', SETTINGS, { body: { ...body(), clientSecret: 'wrong' } });
    const refused = await api.request('POST', `${SETTINGS}/test`);
    expect(refused.json()).toMatchObject({
      ok: false,
      message: 'Salesforce refused the client secret (consumer secret): invalid client credentials',
    });
    await api.request('PUT', SETTINGS, { body: body() });
  });

  it('refuses invalid settings with 400 and every problem named', async () => {
    const response = await api.request('PUT', SETTINGS, {
      body: {
        ...body(),
        apiVersion: 'v62',
        loginUrl: 'http://evil.example',
        externalIdField: 'Id',
        fieldMapping: { subject: 'WhatId', status: 'Status; DROP' },
        clientSecret: null,
      },
    });
    expect(response.statusCode).toBe(400);
    const message = response.json<{ error: { message: string } }>().error.message;
    for (const part of [
      'apiVersion',
      'loginUrl',
      'externalIdField',
      'fieldMapping.subject',
      'fieldMapping.status',
      'clientSecret',
    ])
      expect(message).toContain(part);
    expect((await api.request('PUT', SETTINGS, { body: { ...body(), pauseBelowShare: 2 } })).statusCode).toBe(
      400,
    );
    expect((await api.request('PUT', SETTINGS, { body: { enabled: true } })).statusCode).toBe(400);
  });

  it('answers 401 without a token, 403 to members, 404 across workspaces', async () => {
    for (const [method, url] of [
      ['GET', SETTINGS],
      ['PUT', SETTINGS],
      ['POST', `${SETTINGS}/test`],
    ] as const) {
      const payload = method === 'PUT' ? { body: body() } : {};
      expect((await api.request(method, url, { token: null, ...payload })).statusCode).toBe(401);
      expect((await api.request(method, url, { token: api.tokens.acmeMember, ...payload })).statusCode).toBe(
        403,
      );
      const other = url.replace('/workspaces/acme/', '/workspaces/other/');
      expect((await api.request(method, other, payload)).statusCode).toBe(404);
    }
    expect((await api.request('GET', `${SYNC}/${touchpointId}/salesforce`, { token: null })).statusCode).toBe(
      401,
    );
    // acme's token on other's touchpoint, and other's touchpoint id under acme.
    expect(
      (await api.request('GET', '/api/v1/workspaces/other/touchpoints/o-tp/salesforce')).statusCode,
    ).toBe(404);
    expect((await api.request('GET', `${SYNC}/o-tp/salesforce`)).statusCode).toBe(404);
    expect((await api.request('POST', `${SYNC}/o-tp/salesforce/resync`)).statusCode).toBe(404);
    expect((await api.request('GET', `${SYNC}/not%20an%20id/salesforce`)).statusCode).toBe(400);
    expect((await api.request('POST', `${SYNC}/not%20an%20id/salesforce/resync`)).statusCode).toBe(400);
  });

  it('lets a member re-sync a touchpoint (queued, audited) and read its state', async () => {
    await api.request('PUT', SETTINGS, { body: body() });
    const resync = await api.request('POST', `${SYNC}/${touchpointId}/salesforce/resync`, {
      token: api.tokens.acmeMember,
    });
    expect(resync.statusCode).toBe(202);
    expect(resync.json()).toMatchObject({ touchpointId, status: 'pending', attempts: 0 });
    const queued = await api.store.db
      .selectFrom('outbox')
      .selectAll()
      .where('key', '=', `salesforce:acme:${touchpointId}`)
      .executeTakeFirst();
    expect(queued?.status).toBe('queued');
    const [entry] = await listAudit(api.store.db, 'acme', {
      limit: 1,
      action: 'touchpoint.salesforce-resync',
    });
    expect(entry).toMatchObject({ actor: 'sam@acme.com', subject: touchpointId });
    const state = await api.request('GET', `${SYNC}/${touchpointId}/salesforce`, {
      token: api.tokens.acmeMember,
    });
    expect(state.json()).toMatchObject({ status: 'pending' });
  });
});

describe('Salesforce settings reach Salesforce only (issue 25 #8)', () => {
  let api: ApiFixture;
  let fake: FakeSalesforce;
  /** A service of the host that no workspace may reach: it counts what reaches it. */
  let internal: Server;
  let internalHits: string[];
  let internalUrl: string;

  beforeAll(async () => {
    api = await openApi();
    internalHits = [];
    internal = createServer((req, res) => {
      internalHits.push(`${req.method} ${req.url}`);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('internal-only: db password is hunter2');
    });
    await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
    // By name, not by the address the operator allowed for the fake: the host as an attacker names it.
    internalUrl = `http://localhost:${(internal.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    internal.closeAllConnections();
    await new Promise<void>((resolve) => internal.close(() => resolve()));
    await api.close();
  });
  afterEach(async () => {
    await fake.close();
  });
  const test = async () =>
    (await api.request('POST', `${SETTINGS}/test`)).json<{ ok: boolean; message: string }>();

  it('refuses a login URL on this host, or any host but Salesforce’s, unless the operator allows it', async () => {
    fake = await startFakeSalesforce();
    const strict = await openApi(undefined, undefined, { salesforceExtraHosts: [] });
    try {
      for (const loginUrl of [
        fake.url,
        internalUrl,
        'https://10.0.0.5',
        'https://login.salesforce.com:8443',
      ]) {
        const response = await strict.request('PUT', SETTINGS, { body: settingsFor(fake, { loginUrl }) });
        expect(response.statusCode).toBe(400);
        expect(response.json<{ error: { message: string } }>().error.message).toMatch(/^loginUrl: /);
      }
      const myDomain = { loginUrl: 'https://acme.my.salesforce.com' };
      expect((await strict.request('PUT', SETTINGS, { body: settingsFor(fake, myDomain) })).statusCode).toBe(
        200,
      );
    } finally {
      await strict.close();
    }
  });

  it('does not log in with stored settings the operator no longer allows', async () => {
    fake = await startFakeSalesforce();
    expect((await api.request('PUT', SETTINGS, { body: settingsFor(fake) })).statusCode).toBe(200);
    const strict = new SalesforceIntegration(
      {
        store: api.store,
        secrets: api.context.salesforce.secrets,
        now: () => new Date(),
        logger: api.context.logger,
        syncTotal: null,
      },
      { timeoutMs: 2_000, maxAttempts: 1, extraHosts: [] },
    );
    expect(await strict.testConnection('acme')).toEqual({
      ok: false,
      message:
        'The login URL is not a Salesforce host: enter https://login.salesforce.com or your My Domain URL',
    });
    expect(fake.requests).toEqual([]);
  });

  it('never calls an instance URL that is not Salesforce’s', async () => {
    fake = await startFakeSalesforce({ instanceUrl: internalUrl });
    await api.request('PUT', SETTINGS, { body: settingsFor(fake) });
    const answer = await test();
    expect(answer).toEqual({
      ok: false,
      message: 'Salesforce answered with an instance URL that is not a Salesforce host',
      organizationId: null,
      apiUsage: null,
    });
    expect(internalHits).toEqual([]);
  });

  it('does not follow a redirect of the token endpoint', async () => {
    fake = await startFakeSalesforce();
    await api.request('PUT', SETTINGS, { body: settingsFor(fake) });
    fake.fail('token', { kind: 'redirect', status: 307, location: `${internalUrl}/services/oauth2/token` });
    const answer = await test();
    expect(answer).toMatchObject({ ok: false, message: 'Salesforce answered 307' });
    expect(internalHits).toEqual([]);
  });

  it('answers a status and fixed words, never the body of an answer Salesforce did not structure', async () => {
    fake = await startFakeSalesforce();
    await api.request('PUT', SETTINGS, { body: settingsFor(fake) });
    fake.fail('query', { kind: 'error', status: 404, message: 'internal-only: db password is hunter2' });
    expect(await test()).toMatchObject({ ok: false, message: 'Salesforce answered 404' });
    fake.fail('token', { kind: 'error', status: 400, message: 'internal-only: db password is hunter2' });
    expect(await test()).toMatchObject({ ok: false, message: 'Salesforce answered 400' });
    const audit = await listAudit(api.store.db, 'acme', { limit: 5, action: 'settings.salesforce.test' });
    expect(JSON.stringify(audit)).not.toContain('hunter2');
  });
});
