// Assign and retry over HTTP, end to end on both stores: real fixture mail fails, a person assigns an
// account or fixes the directory and retries, and the touchpoint is recorded through the worker's path.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/store/audit-repository.js';
import { openApi, type ApiFixture } from '../support/api.js';
import { ingestFixture } from '../support/inbound.js';
import { STORE_KINDS } from '../support/stores.js';

const LOG = '/api/v1/workspaces/acme/inbound';

interface Answer {
  inboundId: string;
  status: string;
  reason: string | null;
  accountId: string | null;
  touchpointId: string | null;
  trace: { step: string; detail: string }[];
}

describe.each(STORE_KINDS)('assign and retry on $name', (kind) => {
  let api: ApiFixture;
  beforeEach(async () => {
    api = await openApi(kind);
  });
  afterEach(async () => {
    await api.close();
  });

  const errorMessage = (response: { json: <T>() => T }) =>
    response.json<{ error: { message: string } }>().error.message;
  const inboundRow = (id: string) =>
    api.store.db.selectFrom('inbound_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('assigns an ambiguous message: recorded on the chosen account, traced and audited with who decided', async () => {
    const { inboundId } = await ingestFixture(api, 'ambiguous-parent-child.eml');
    const response = await api.request('POST', `${LOG}/${inboundId}/assign`, {
      token: api.tokens.acmeMember,
      body: { accountId: 'globex-eu' },
    });
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json<Answer>();
    expect(answer).toMatchObject({ inboundId, status: 'recorded', reason: null, accountId: 'globex-eu' });
    expect(answer.trace.map((e) => e.step).slice(-2)).toEqual(['assign', 'record']);
    expect(answer.trace.at(-2)?.detail).toBe('sam@acme.com assigned the message to account globex-eu.');
    // The account rules were not consulted: the person's choice stands.
    expect(answer.trace.map((e) => e.step)).not.toContain('C.result');

    const row = await inboundRow(inboundId);
    expect(row).toMatchObject({
      status: 'recorded',
      reason: null,
      touchpoint_id: answer.touchpointId,
      attempts: 2,
    });
    const touchpoint = await api.request('GET', `/api/v1/workspaces/acme/touchpoints/${answer.touchpointId}`);
    expect(touchpoint.json()).toMatchObject({
      account: { id: 'globex-eu', name: 'Globex Europe' },
      author: { email: 'sam@acme.com', name: 'Sam Ortiz' },
      source: { scenario: 'bcc', inboundId, messageKey: 'mid:ambig@mail.acme.com' },
    });
    const [audit] = await listAudit(api.store.db, 'acme', { limit: 10, action: 'inbound.assign' });
    expect(audit).toMatchObject({
      actor: 'sam@acme.com',
      subject: inboundId,
      changes: {
        status: { before: 'failed', after: 'recorded' },
        reason: { before: 'ambiguous-account', after: null },
        accountId: { before: null, after: 'globex-eu' },
      },
    });

    const again = await api.request('POST', `${LOG}/${inboundId}/assign`, { body: { accountId: 'globex' } });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'conflict' } });
    expect(errorMessage(again)).toMatch(/already recorded/);
  });

  it('retries a message after the directory was fixed, and records it where the rules now point', async () => {
    const { inboundId } = await ingestFixture(api, 'no-account.eml');
    // Nothing changed yet: the rules fail the same way, and say who asked.
    const first = await api.request('POST', `${LOG}/${inboundId}/retry`);
    expect(first.statusCode, first.body).toBe(200);
    const unchanged = first.json<Answer>();
    expect(unchanged).toMatchObject({ status: 'failed', reason: 'no-account' });
    expect(unchanged.trace[0]).toEqual({
      step: 'retry',
      detail: 'jill@acme.com asked for the rules to run again against the directory as it is now.',
    });

    const added = await api.request('POST', '/api/v1/workspaces/acme/users', {
      body: { id: 'u-zed', email: 'zed@unknown-corp.example', name: 'Zed' },
    });
    expect(added.statusCode, added.body).toBe(201);
    await api.store.db
      .insertInto('memberships')
      .values({
        workspace_id: 'acme',
        user_id: 'u-zed',
        account_id: 'initech',
        associated_at: null,
        is_contact: 0,
      })
      .execute();

    const second = await api.request('POST', `${LOG}/${inboundId}/retry`, { token: api.tokens.acmeMember });
    expect(second.statusCode, second.body).toBe(200);
    const recorded = second.json<Answer>();
    expect(recorded).toMatchObject({ status: 'recorded', accountId: 'initech' });
    expect(recorded.touchpointId).not.toBeNull();
    expect((await inboundRow(inboundId)).status).toBe('recorded');
    const audits = await listAudit(api.store.db, 'acme', { limit: 10, action: 'inbound.retry' });
    expect(audits.map((a) => a.actor)).toEqual(['sam@acme.com', 'jill@acme.com']);

    const third = await api.request('POST', `${LOG}/${inboundId}/retry`);
    expect(third.statusCode).toBe(409);
  });

  it('retries an ambiguous message once the contact is on one account only', async () => {
    const { inboundId } = await ingestFixture(api, 'ambiguous-parent-child.eml');
    await api.store.db
      .deleteFrom('memberships')
      .where('workspace_id', '=', 'acme')
      .where('user_id', '=', 'u-dual')
      .where('account_id', '=', 'globex-eu')
      .execute();
    const response = await api.request('POST', `${LOG}/${inboundId}/retry`);
    expect(response.json()).toMatchObject({ status: 'recorded', accountId: 'globex' });
  });

  it('refuses to assign what an account cannot settle, or what is done or queued, with 409', async () => {
    const stranger = await ingestFixture(api, 'stranger.eml');
    const refused = await api.request('POST', `${LOG}/${stranger.inboundId}/assign`, {
      body: { accountId: 'globex' },
    });
    expect(refused.statusCode).toBe(409);
    expect(errorMessage(refused)).toMatch(/no author/);
    // A stranger's message can still be retried (after the sender was made a login): it fails again here.
    const retried = await api.request('POST', `${LOG}/${stranger.inboundId}/retry`);
    expect(retried.json()).toMatchObject({ status: 'failed', reason: 'sender-not-a-user' });

    const recorded = await ingestFixture(api, 'bcc-plain.eml');
    for (const action of ['assign', 'retry']) {
      const response = await api.request('POST', `${LOG}/${recorded.inboundId}/${action}`, {
        body: { accountId: 'globex' },
      });
      expect(response.statusCode, action).toBe(409);
    }
    await api.store.db
      .insertInto('inbound_messages')
      .values({
        id: 'queued-1',
        workspace_id: 'acme',
        received_at: '2026-11-26T12:00:00Z',
        channel: 'smtp',
        raw: new Uint8Array([1]),
        raw_size: 1,
        raw_sha256: 'x',
        mail_from: null,
        rcpt_to: '[]',
        status: 'queued',
        reason: null,
        outcome: null,
        touchpoint_id: null,
        updated_at: '2026-11-26T12:00:00Z',
        lease_owner: null,
        lease_until: null,
        last_error: null,
        client_ip: null,
        helo: null,
        authentication: null,
        from_address: null,
        envelope_sender: null,
      })
      .execute();
    const queued = await api.request('POST', `${LOG}/queued-1/retry`);
    expect(queued.statusCode).toBe(409);
    expect(errorMessage(queued)).toMatch(/queued/);
  });

  it('answers 400, 401 and 404 (another workspace’s message or account) without changing anything', async () => {
    const { inboundId } = await ingestFixture(api, 'ambiguous-parent-child.eml');
    const other = await ingestFixture(api, 'bcc-plain.eml', { rcpt: 'touchpoints@other.example' });
    const cases: [string, string, { token?: string | null; body?: unknown }, number][] = [
      ['assign', inboundId, { body: {} }, 400],
      ['assign', inboundId, { body: { accountId: '' } }, 400],
      ['assign', inboundId, { token: null, body: { accountId: 'globex' } }, 401],
      ['retry', inboundId, { token: null }, 401],
      ['assign', inboundId, { body: { accountId: 'o-acc' } }, 404],
      ['assign', other.inboundId, { body: { accountId: 'globex' } }, 404],
      ['retry', other.inboundId, {}, 404],
      ['retry', 'no-such-message', {}, 404],
    ];
    for (const [action, id, options, status] of cases) {
      const response = await api.request('POST', `${LOG}/${id}/${action}`, options);
      expect(response.statusCode, `${action} ${JSON.stringify(options)}`).toBe(status);
    }
    for (const action of ['assign', 'retry']) {
      const response = await api.request(
        'POST',
        `/api/v1/workspaces/other/inbound/${other.inboundId}/${action}`,
        {
          body: { accountId: 'o-acc' },
        },
      );
      expect(response.statusCode, action).toBe(404);
    }
    expect(await inboundRow(inboundId)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(await inboundRow(other.inboundId)).toMatchObject({ attempts: 1 });
  });
});
