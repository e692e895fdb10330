// The Salesforce sync against a local fake of the REST API, on both stores: a recorded touchpoint becomes
// one completed Task, edits and retries write the same Task, limits pause the workspace's sync and it
// resumes, validation errors end in a visible "not synced" reason with a manual re-sync.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { afterEdit } from '../../src/outbound/touchpoint-effects.js';
import { ingestMessage } from '../../src/app/ingest-message.js';
import type { Email } from '../../src/domain/address.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { OutboxWorker } from '../../src/outbound/outbox-worker.js';
import { queueSalesforceSync, salesforceKey } from '../../src/outbound/salesforce/enqueue.js';
import { SalesforceIntegration } from '../../src/outbound/salesforce/integration.js';
import { settingsRow, type SettingsInput } from '../../src/outbound/salesforce/settings.js';
import { secretBox } from '../../src/secrets/secret-box.js';
import { outboxByKey } from '../../src/store/outbox-repository.js';
import {
  getSalesforceSettings,
  getSyncState,
  saveSalesforceSettings,
} from '../../src/store/salesforce-repository.js';
import type { Store } from '../../src/store/store.js';
import { TEST_SECRET_KEY } from '../support/api.js';
import {
  FAKE_SALESFORCE_HOSTS,
  settingsFor,
  startFakeSalesforce,
  type FakeSalesforce,
} from '../support/fake-salesforce.js';
import { STORE_KINDS } from '../support/stores.js';
import {
  FIXED_NOW,
  fixedDependencies,
  openFixtureStore,
  readFixture,
  TOUCHPOINT_ADDRESS,
} from '../support/workspace.js';

const logger = createLogger('silent');
const box = secretBox(() => TEST_SECRET_KEY, 'no key');
const GLOBEX_SF = '001000000000001AAA';
const BOB_CONTACT = '003000000000001AAA';
const HOUR = 60 * 60 * 1000;

describe.each(STORE_KINDS)('Salesforce sync on $name', (kind) => {
  let store: Store;
  let fake: FakeSalesforce;
  let now: Date;
  let worker: OutboxWorker;
  let metrics: ReturnType<typeof createMetrics>;
  let deps: ReturnType<typeof fixedDependencies>;

  const configure = async (overrides: Partial<SettingsInput> = {}) => {
    const before = await getSalesforceSettings(store.db, 'acme');
    const result = settingsRow('acme', settingsFor(fake, overrides), before, box, now, FAKE_SALESFORCE_HOSTS);
    if (!result.ok) throw new Error(result.problems.join('; '));
    await saveSalesforceSettings(store.db, result.row);
  };

  /** Records the fixture mail (with its own Message-ID when `id` is given) through the real pipeline. */
  const record = async (id?: string) => {
    let raw = readFixture('bcc-plain.eml').toString('utf8');
    if (id !== undefined)
      raw = raw
        .replace('<bcc-plain@mail.acme.com>', `<${id}@mail.acme.com>`)
        .replace('Subject: Renewal next steps', `Subject: Renewal (${id})`);
    const { outcome } = await ingestMessage(
      deps,
      { raw: Buffer.from(raw), envelope: { mailFrom: null, rcptTo: [TOUCHPOINT_ADDRESS as Email] } },
      'cli',
    );
    expect(outcome.status).toBe('recorded');
    return outcome.touchpointId ?? '';
  };

  const state = (touchpointId: string) => getSyncState(store.db, 'acme', touchpointId);
  const item = (touchpointId: string) => outboxByKey(store.db, salesforceKey('acme', touchpointId));

  beforeEach(async () => {
    store = await openFixtureStore(kind);
    now = FIXED_NOW;
    deps = fixedDependencies(store, now);
    fake = await startFakeSalesforce({ contacts: [{ Id: BOB_CONTACT, Email: 'Bob@Globex.com' }] });
    await store.db
      .updateTable('accounts')
      .set({ attributes: JSON.stringify({ salesforceAccountId: GLOBEX_SF }) })
      .where('workspace_id', '=', 'acme')
      .where('id', '=', 'globex')
      .execute();
    metrics = createMetrics(() => Promise.resolve(0));
    const integration = new SalesforceIntegration(
      { store, secrets: box, now: () => now, logger, syncTotal: metrics.salesforceSyncTotal },
      { timeoutMs: 400, maxAttempts: 4, extraHosts: FAKE_SALESFORCE_HOSTS },
    );
    worker = new OutboxWorker(
      store,
      [integration.handler()],
      { owner: 'test:sf', batchSize: 10, leaseMs: 60_000, pollMs: 50 },
      logger,
      () => now,
    );
    await configure();
  });
  afterEach(async () => {
    await fake.close();
    await store.close();
  });

  it('writes a recorded touchpoint as one completed Task with WhatId, WhoId and the participants', async () => {
    const tp = await record();
    expect((await state(tp))?.status).toBe('pending');
    expect(await worker.processBatch()).toBe(1);
    expect(fake.tasks.size).toBe(1);
    const task = fake.tasks.get(tp);
    expect(task?.fields).toMatchObject({
      Subject: 'Renewal next steps',
      ActivityDate: '2026-11-19',
      Status: 'Completed',
      Type: 'Email',
      WhatId: GLOBEX_SF,
      WhoId: BOB_CONTACT,
      Touchmail_Id__c: tp,
    });
    expect(task?.fields.Description).toContain("I'll send the renewal quote by Friday.");
    expect(task?.fields.Description).toContain(
      'Participants:\n- Jill Hart <jill@acme.com> (internal)\n- Bob Stone <bob@globex.com> (external)',
    );
    expect(fake.contactLookups).toEqual(['bob@globex.com']);
    expect(await state(tp)).toMatchObject({
      status: 'synced',
      task_id: task?.Id,
      last_error: null,
      attempts: 1,
    });
    expect((await item(tp))?.status).toBe('sent');
    expect(await metrics.registry.getSingleMetricAsString('touchmail_salesforce_sync_total')).toContain(
      'result="synced"} 1',
    );
  });

  it('writes an edit to the same Task (upsert by the external id)', async () => {
    const tp = await record();
    await worker.processBatch();
    const first = fake.tasks.get(tp)?.Id;
    await store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('touchpoints')
        .set({ subject: 'Renewal: quote sent' })
        .where('id', '=', tp)
        .execute();
      await afterEdit(trx, deps, {
        workspaceId: 'acme',
        touchpointId: tp,
        editId: 'e-1',
        editor: 'jill@acme.com',
        notify: 'none',
        addedParticipants: [],
        contentChanged: false,
      });
    });
    expect((await state(tp))?.status).toBe('pending');
    await worker.processBatch();
    expect(fake.tasks.size).toBe(1);
    expect(fake.tasks.get(tp)).toMatchObject({ Id: first, fields: { Subject: 'Renewal: quote sent' } });
    expect(await state(tp)).toMatchObject({ status: 'synced', task_id: first });
  });

  it('keeps the Task id when an older API version answers an update with 204', async () => {
    await configure({ apiVersion: '45.0' });
    const tp = await record();
    await worker.processBatch();
    const first = fake.tasks.get(tp)?.Id;
    await store.db.transaction().execute((trx) => queueSalesforceSync(trx, deps, 'acme', tp));
    await worker.processBatch();
    expect(fake.count('upsert')).toBe(2);
    expect(await state(tp)).toMatchObject({ status: 'synced', task_id: first });
  });

  it('retries after a timeout without making a second Task', async () => {
    fake.fail('upsert', { kind: 'slow', ms: 1_500, apply: true });
    const tp = await record();
    await worker.processBatch();
    expect(fake.tasks.size).toBe(1); // Salesforce did it; we did not hear back
    expect(await state(tp)).toMatchObject({
      status: 'pending',
      last_error: 'Salesforce did not answer in time',
    });
    const queued = await item(tp);
    expect(queued?.status).toBe('queued');
    const due = new Date(queued?.due_at ?? '');
    expect(due.getTime()).toBeGreaterThan(now.getTime());
    now = new Date(due.getTime() + 1);
    await worker.processBatch();
    expect(fake.count('upsert')).toBe(2);
    expect(fake.tasks.size).toBe(1);
    expect(await state(tp)).toMatchObject({ status: 'synced', attempts: 2 });
  });

  it('retries 5xx with growing delays and gives up after the configured attempts', async () => {
    const answer = { kind: 'error', status: 500, errorCode: 'UNKNOWN_EXCEPTION', message: 'boom' } as const;
    fake.fail('upsert', answer, answer, answer, answer);
    const tp = await record();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      await worker.processBatch();
      const queued = await item(tp);
      if (queued?.status !== 'queued') break;
      delays.push(Date.parse(queued.due_at) - now.getTime());
      now = new Date(queued.due_at);
    }
    expect(delays).toHaveLength(3);
    expect(delays[2] ?? 0).toBeGreaterThan(delays[0] ?? 0);
    expect((await item(tp))?.status).toBe('failed');
    expect((await state(tp))?.last_error).toMatch(
      /^not synced: gave up after 4 attempts: Salesforce answered 500/,
    );
  });

  it('pauses the workspace on 403 REQUEST_LIMIT_EXCEEDED, keeps recording, and resumes by itself', async () => {
    fake.fail('upsert', {
      kind: 'error',
      status: 403,
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
    });
    const first = await record();
    await worker.processBatch();
    const settings = await getSalesforceSettings(store.db, 'acme');
    expect(settings?.paused_until).toBe(new Date(now.getTime() + HOUR).toISOString());
    expect(settings?.pause_reason).toContain('REQUEST_LIMIT_EXCEEDED');
    expect(await state(first)).toMatchObject({ status: 'paused' });
    expect((await item(first))?.status).toBe('queued');

    // Intake is not affected: the next mail is recorded, its Task waits for the end of the pause.
    const second = await record('second');
    expect((await item(second))?.due_at).toBe(settings?.paused_until);
    now = new Date(now.getTime() + 10 * 60 * 1000);
    expect(await worker.processBatch()).toBe(0);
    expect(fake.count('upsert')).toBe(1);

    now = new Date(now.getTime() + HOUR);
    expect(await worker.processBatch()).toBe(2);
    expect(fake.tasks.size).toBe(2);
    expect((await state(first))?.status).toBe('synced');
    expect((await state(second))?.status).toBe('synced');
  });

  it('pauses briefly on 503 without counting it against the touchpoint', async () => {
    fake.fail('query', { kind: 'error', status: 503 });
    const tp = await record();
    await worker.processBatch();
    const settings = await getSalesforceSettings(store.db, 'acme');
    expect(settings?.pause_reason).toBe('Salesforce is unavailable (503)');
    expect(settings?.paused_until).toBe(new Date(now.getTime() + 5 * 60 * 1000).toISOString());
    expect((await item(tp))?.status).toBe('queued');
    now = new Date(now.getTime() + 6 * 60 * 1000);
    await worker.processBatch();
    expect((await state(tp))?.status).toBe('synced');
  });

  it('pauses when the remaining daily allocation falls below the configured share', async () => {
    fake.apiUsage = { used: 13_600, max: 15_000 };
    const first = await record();
    await worker.processBatch();
    expect((await state(first))?.status).toBe('synced');
    const settings = await getSalesforceSettings(store.db, 'acme');
    expect(settings?.pause_reason).toBe(
      'only 9.3% of the daily API allocation remains (13602/15000 used); the sync pauses below 10%',
    );
    const second = await record('second');
    expect(await worker.processBatch()).toBe(0);
    expect((await item(second))?.due_at).toBe(settings?.paused_until);
    // A day later the rolling allocation has room again.
    fake.apiUsage = { used: 200, max: 15_000 };
    now = new Date(now.getTime() + 2 * HOUR);
    await worker.processBatch();
    expect((await state(second))?.status).toBe('synced');
    expect((await getSalesforceSettings(store.db, 'acme'))?.paused_until).toBe(settings?.paused_until);
  });

  it('ends a validation error (400) in "not synced: reason", and a manual re-sync writes it after the fix', async () => {
    fake.fail('upsert', {
      kind: 'error',
      status: 400,
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Tasks on closed accounts are not allowed',
    });
    const tp = await record();
    await worker.processBatch();
    expect(await state(tp)).toMatchObject({
      status: 'failed',
      last_error: 'not synced: FIELD_CUSTOM_VALIDATION_EXCEPTION: Tasks on closed accounts are not allowed',
    });
    expect((await item(tp))?.status).toBe('failed');
    now = new Date(now.getTime() + HOUR);
    expect(await worker.processBatch()).toBe(0);

    await store.db.transaction().execute((trx) => queueSalesforceSync(trx, deps, 'acme', tp));
    expect(await state(tp)).toMatchObject({ status: 'pending', last_error: null, attempts: 0 });
    await worker.processBatch();
    expect(await state(tp)).toMatchObject({ status: 'synced', attempts: 1 });
    expect(fake.tasks.size).toBe(1);
  });

  it('does not sync a touchpoint whose account has no salesforceAccountId, and says why', async () => {
    await store.db.updateTable('accounts').set({ attributes: '{}' }).where('id', '=', 'globex').execute();
    const tp = await record();
    await worker.processBatch();
    expect(await state(tp)).toMatchObject({
      status: 'failed',
      last_error: 'not synced: the account has no salesforceAccountId',
    });
    expect(fake.count('upsert')).toBe(0);
  });

  it('logs in again once when the session expired (401 INVALID_SESSION_ID)', async () => {
    const first = await record();
    await worker.processBatch();
    expect(fake.count('token')).toBe(1);
    fake.expireSessions();
    const second = await record('second');
    await worker.processBatch();
    expect(fake.count('token')).toBe(2);
    expect((await state(first))?.status).toBe('synced');
    expect((await state(second))?.status).toBe('synced');
  });

  it('pauses when Salesforce refuses the login, and saving the settings lifts the pause', async () => {
    await configure({ clientSecret: 'wrong' });
    const tp = await record();
    await worker.processBatch();
    const settings = await getSalesforceSettings(store.db, 'acme');
    expect(settings?.pause_reason).toBe(
      'Salesforce refused the client secret (consumer secret): invalid client credentials',
    );
    expect((await state(tp))?.status).toBe('paused');
    await configure({ clientSecret: fake.clientSecret });
    await worker.processBatch();
    expect((await state(tp))?.status).toBe('synced');
  });

  it('logs in with the username-password flow (password and security token)', async () => {
    await configure({
      authFlow: 'username-password',
      username: fake.username,
      password: 'Pa55word!',
      securityToken: 'TOKEN123',
    });
    const tp = await record();
    await worker.processBatch();
    expect((await state(tp))?.status).toBe('synced');
    const login = fake.requests.find((r) => r.path === '/services/oauth2/token');
    expect(new URLSearchParams(login?.body).get('grant_type')).toBe('password');
  });

  it('queues nothing while the sync is off', async () => {
    await configure({ enabled: false });
    const tp = await record();
    expect(await item(tp)).toBeNull();
    expect(await state(tp)).toBeNull();
  });

  it('stores secrets encrypted: the plaintext is nowhere in the row', async () => {
    await configure({
      authFlow: 'username-password',
      username: fake.username,
      password: 'Pa55word!',
      securityToken: 'TOKEN123',
    });
    const row = await getSalesforceSettings(store.db, 'acme');
    const text = JSON.stringify(row);
    for (const secret of [fake.clientSecret, 'Pa55word!', 'TOKEN123']) expect(text).not.toContain(secret);
    expect(row?.client_secret).toMatch(/^tmsec:v1:[0-9a-f]{8}:/);
    // Two seals of the same secret differ (random IV).
    await configure({ clientSecret: fake.clientSecret });
    const again = await getSalesforceSettings(store.db, 'acme');
    expect(again?.client_secret).not.toBe(row?.client_secret);
  });
});
