// End to end: a running service with the Salesforce sync configured over its API; a real .eml sent over
// SMTP is recorded and the outbox worker writes it to the fake Salesforce as a Task.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAKE_SALESFORCE_HOSTS,
  settingsFor,
  startFakeSalesforce,
  type FakeSalesforce,
} from '../support/fake-salesforce.js';
import { eventually, startTestService, type TestService } from '../support/service.js';
import { SmtpClient } from '../support/smtp-client.js';
import { readFixture, TOUCHPOINT_ADDRESS } from '../support/workspace.js';

const ADMIN = 'test-admin-token-0123456789';

describe('Salesforce sync end to end', () => {
  let service: TestService;
  let fake: FakeSalesforce;
  beforeAll(async () => {
    fake = await startFakeSalesforce({ contacts: [{ Id: '003000000000009AAA', Email: 'bob@globex.com' }] });
    service = await startTestService({
      TOUCHMAIL_SECRET_KEY: Buffer.alloc(32, 3).toString('base64'),
      TOUCHMAIL_SALESFORCE_EXTRA_HOSTS: FAKE_SALESFORCE_HOSTS.join(','),
    });
    await service.store.db
      .updateTable('accounts')
      .set({ attributes: JSON.stringify({ salesforceAccountId: '001000000000009AAA' }) })
      .where('id', '=', 'globex')
      .execute();
  });
  afterAll(async () => {
    await service.stop();
    await fake.close();
  });

  it('writes mail received over SMTP to Salesforce as a completed Task', async () => {
    const put = await fetch(`${service.httpUrl}/api/v1/workspaces/acme/settings/salesforce`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify(settingsFor(fake, { pauseBelowShare: 0.05 })),
    });
    expect(put.status).toBe(200);

    const { client } = await SmtpClient.connect(service.smtpPort);
    try {
      await client.command('EHLO client.example');
      const replies = await client.send('jill@acme.com', [TOUCHPOINT_ADDRESS], readFixture('bcc-plain.eml'));
      expect(replies.at(-1)?.code).toBe(250);
    } finally {
      await client.quit();
    }
    const task = await eventually(() => Promise.resolve([...fake.tasks.values()][0]), 20_000);
    expect(task.fields).toMatchObject({
      Subject: 'Renewal next steps',
      Status: 'Completed',
      Type: 'Email',
      WhatId: '001000000000009AAA',
      WhoId: '003000000000009AAA',
    });
    const touchpointId = String(task.fields.Touchmail_Id__c);
    const state = await eventually(async () => {
      const response = await fetch(
        `${service.httpUrl}/api/v1/workspaces/acme/touchpoints/${touchpointId}/salesforce`,
        { headers: { authorization: `Bearer ${ADMIN}` } },
      );
      const body = (await response.json()) as { status: string; taskId: string | null };
      return body.status === 'synced' ? body : undefined;
    });
    expect(state.taskId).toBe(task.Id);
  });
});
