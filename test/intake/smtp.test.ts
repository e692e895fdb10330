// SMTP intake over real sessions: what is accepted, refused and when, and that accepted mail is recorded.
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { eventually, startTestService, type TestService } from '../support/service.js';
import { SmtpClient } from '../support/smtp-client.js';
import { addWorkspace, readFixture, TOUCHPOINT_ADDRESS } from '../support/workspace.js';

const bcc = (id: string) =>
  [
    'From: Jill Hart <jill@acme.com>',
    'To: Bob Stone <bob@globex.com>',
    'Subject: Renewal',
    `Message-ID: <${id}@acme.com>`,
    'Date: Thu, 19 Nov 2026 15:04:05 +0000',
    '',
    'Hi Bob.',
    '',
  ].join('\r\n');

describe('SMTP intake', () => {
  let running: TestService | null = null;
  const start = async (env: Record<string, string> = {}) => (running = await startTestService(env));
  afterEach(async () => {
    await running?.stop();
    running = null;
  });
  const inbound = (t: TestService) =>
    t.store.db.selectFrom('inbound_messages').selectAll().orderBy('received_at').execute();

  it('accepts mail for a touchpoint address, stores it before 250, and records it', async () => {
    const t = await start();
    const { client, greeting } = await SmtpClient.connect(t.smtpPort);
    expect(greeting.code).toBe(220);
    expect((await client.command('EHLO client.example')).text).toMatch(/SIZE \d+/);
    const replies = await client.send('jill@acme.com', [TOUCHPOINT_ADDRESS], readFixture('bcc-plain.eml'));
    expect(replies.map((r) => r.code)).toEqual([250, 250, 250]);
    const id = /Accepted as (\S+)/.exec(replies[2]?.text ?? '')?.[1];
    const row = await t.store.db
      .selectFrom('inbound_messages')
      .selectAll()
      .where('id', '=', id ?? '')
      .executeTakeFirst();
    expect(row).toBeDefined(); // committed before the 250 came back
    const recorded = await eventually(async () => {
      const r = await t.store.db
        .selectFrom('inbound_messages')
        .select(['status', 'touchpoint_id'])
        .where('id', '=', id ?? '')
        .executeTakeFirst();
      return r?.status === 'queued' ? undefined : r;
    });
    expect(recorded.status).toBe('recorded');
    await client.quit();
  });

  it('refuses an unknown recipient at RCPT TO with 550 5.1.1 (no relay, no bounce later)', async () => {
    const t = await start();
    const { client } = await SmtpClient.connect(t.smtpPort);
    await client.command('EHLO client.example');
    await client.command('MAIL FROM:<jill@acme.com>');
    const reply = await client.command('RCPT TO:<someone@elsewhere.example>');
    expect(reply.code).toBe(550);
    expect(reply.text).toContain('5.1.1');
    expect((await client.command('DATA')).code).toBe(503); // no valid recipient: no DATA
    expect(await inbound(t)).toEqual([]);
    await client.quit();
  });

  it('refuses a message over the size limit with 552 and stores nothing', async () => {
    const t = await start({ TOUCHMAIL_MAX_MESSAGE_BYTES: '2048' });
    const { client } = await SmtpClient.connect(t.smtpPort);
    await client.command('EHLO client.example');
    expect((await client.command('MAIL FROM:<jill@acme.com> SIZE=100000')).code).toBe(552);
    const replies = await client.send(
      'jill@acme.com',
      [TOUCHPOINT_ADDRESS],
      bcc('big') + 'x'.repeat(5000) + '\r\n',
    );
    expect(replies.at(-1)?.code).toBe(552);
    expect(await inbound(t)).toEqual([]);
    await client.quit();
  });

  it('closes an idle session', async () => {
    const t = await start({ TOUCHMAIL_SMTP_IDLE_TIMEOUT: '1' });
    const { client } = await SmtpClient.connect(t.smtpPort);
    await client.command('EHLO client.example');
    const reply = await client.reply();
    expect(reply.code).toBe(421);
    await client.closed;
    expect(client.isClosed).toBe(true);
  });

  it('limits connections per client address', async () => {
    const t = await start({ TOUCHMAIL_SMTP_MAX_CLIENTS_PER_IP: '2' });
    const a = await SmtpClient.connect(t.smtpPort);
    const b = await SmtpClient.connect(t.smtpPort);
    const c = await SmtpClient.connect(t.smtpPort);
    expect([a.greeting.code, b.greeting.code, c.greeting.code]).toEqual([220, 220, 421]);
    await Promise.all([a.client.quit(), b.client.quit(), c.client.quit()]);
  });

  it('gives each workspace of a multi-workspace transaction its own inbound message', async () => {
    const t = await start();
    await addWorkspace(t.store, 'other', 'log@other.example');
    const { client } = await SmtpClient.connect(t.smtpPort);
    await client.command('EHLO client.example');
    const replies = await client.send(
      'jill@acme.com',
      [TOUCHPOINT_ADDRESS, 'log@other.example'],
      bcc('multi'),
    );
    expect(replies.map((r) => r.code)).toEqual([250, 250, 250, 250]);
    const rows = await inbound(t);
    expect(rows.map((r) => [r.workspace_id, JSON.parse(r.rcpt_to) as unknown]).sort()).toEqual([
      ['acme', [TOUCHPOINT_ADDRESS]],
      ['other', ['log@other.example']],
    ]);
    await client.quit();
  });

  it('answers 451 4.3.0, never 250, when the store cannot take the message', async () => {
    const t = await start();
    const { client } = await SmtpClient.connect(t.smtpPort);
    await client.command('EHLO client.example');
    await sql`drop table inbound_messages`.execute(t.store.db).catch(async () => {
      // Referenced by touchpoints: rename it away instead.
      await sql`alter table inbound_messages rename to inbound_messages_gone`.execute(t.store.db);
    });
    const replies = await client.send('jill@acme.com', [TOUCHPOINT_ADDRESS], bcc('fail'));
    expect(replies.at(-1)?.code).toBe(451);
    expect(replies.at(-1)?.text).toContain('4.3.0');
    await client.quit();
  });

  it('counts sessions, acceptances and outcomes in /metrics', async () => {
    const t = await start();
    const { client } = await SmtpClient.connect(t.smtpPort);
    await client.command('EHLO client.example');
    await client.send('jill@acme.com', [TOUCHPOINT_ADDRESS], bcc('m1'));
    await client.send('jill@acme.com', [TOUCHPOINT_ADDRESS], readFixture('stranger.eml'));
    await client.command('MAIL FROM:<jill@acme.com>');
    await client.command('RCPT TO:<nobody@elsewhere.example>');
    await client.quit();
    const text = await eventually(async () => {
      const body = await (await fetch(`${t.httpUrl}/metrics`)).text();
      // Both outcomes, in whichever order the workers finish them.
      return body.includes('touchmail_processing_seconds_count 2') ? body : undefined;
    });
    expect(text).toContain('touchmail_inbound_total{status="recorded"} 1');
    expect(text).toContain('touchmail_inbound_queued 0');
    expect(text).toContain('touchmail_smtp_sessions_total 1');
    expect(text).toContain('touchmail_smtp_rejected_total{code="550"} 1');
    expect(text).toContain('touchmail_inbound_accepted_total{channel="smtp"} 2');
    expect(text).toContain('touchmail_inbound_total{status="failed",reason="sender-not-a-user"} 1');
  });
});
