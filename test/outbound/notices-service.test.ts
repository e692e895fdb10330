// The whole path in the running service: a real .eml taken by SMTP fails as ambiguous, and the outbound
// relay (an smtp-server sink) receives the notice with the candidates and the link to the inbound log;
// without TOUCHMAIL_OUTBOUND_SMTP the notice is written to the log and kept in the outbox, not sent.
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { SmtpSink } from '../support/smtp-sink.js';
import { eventually, startTestService, type TestService } from '../support/service.js';
import { readFixture, TOUCHPOINT_ADDRESS } from '../support/workspace.js';

async function sendBySmtp(port: number, raw: Buffer, from: string): Promise<void> {
  const client = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  await client.sendMail({ envelope: { from, to: [TOUCHPOINT_ADDRESS] }, raw });
  client.close();
}

describe('notices in the running service', () => {
  let running: TestService | null = null;
  let sink: SmtpSink | null = null;
  afterEach(async () => {
    await running?.stop();
    await sink?.close();
    running = null;
    sink = null;
  });

  it('mails the sender of an ambiguous message the candidates and the link', async () => {
    sink = await new SmtpSink().start();
    running = await startTestService({
      TOUCHMAIL_OUTBOUND_SMTP: sink.url.href,
      TOUCHMAIL_PUBLIC_URL: 'https://touchmail.acme.test',
    });
    // Policy off: this test is about notices, not DNS.
    await running.store.db.updateTable('workspaces').set({ sender_auth_policy: 'off' }).execute();
    await sendBySmtp(running.smtpPort, readFixture('ambiguous-parent-child.eml'), 'sam@acme.com');

    const receiving = sink;
    const notice = await eventually(() => Promise.resolve(receiving.messages[0]));
    const inbound = await running.store.db.selectFrom('inbound_messages').select(['id', 'reason']).execute();
    expect(inbound).toEqual([{ id: expect.any(String) as string, reason: 'ambiguous-account' }]);
    expect(notice.mailFrom).toBe('');
    expect(notice.rcptTo).toEqual(['sam@acme.com']);
    expect(notice.header('auto-submitted')).toBe('auto-replied');
    expect(notice.parsed.text).toContain('Globex (globex)');
    expect(notice.parsed.text).toContain('Globex Europe (globex-eu)');
    expect(notice.parsed.text).toContain(`https://touchmail.acme.test/#/inbound/${inbound[0]?.id ?? ''}`);
    const metrics = await fetch(`${running.httpUrl}/metrics`).then((r) => r.text());
    expect(metrics).toContain('touchmail_notices_total{kind="failure",result="sent"} 1');
  });

  it('keeps notices in the outbox, not sent, when no outbound SMTP is configured', async () => {
    running = await startTestService();
    await running.store.db.updateTable('workspaces').set({ sender_auth_policy: 'off' }).execute();
    await sendBySmtp(running.smtpPort, readFixture('ambiguous-parent-child.eml'), 'sam@acme.com');
    const url = `${running.httpUrl}/api/v1/workspaces/acme/outbox?kind=notice`;
    const headers = { authorization: 'Bearer test-admin-token-0123456789' };
    const items = await eventually(async () => {
      const page = (await fetch(url, { headers }).then((r) => r.json())) as {
        items: { status: string }[];
      };
      return page.items.some((i) => i.status !== 'queued' && i.status !== 'sending') ? page.items : undefined;
    });
    expect(items).toMatchObject([
      {
        kind: 'notice',
        status: 'cancelled',
        lastError: expect.stringContaining('TOUCHMAIL_OUTBOUND_SMTP is not set') as string,
        payload: { type: 'failure', to: 'sam@acme.com' },
      },
    ]);
  });
});
