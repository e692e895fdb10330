// HTTP intake: raw MIME and each provider's inbound-parse format, authenticated, durable before 2xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/store/token-repository.js';
import { eventually, startTestService, type TestService } from '../support/service.js';
import { addWorkspace, readFixture, TOUCHPOINT_ADDRESS } from '../support/workspace.js';

const ADMIN = 'test-admin-token-0123456789';
const message = (id: string) =>
  [
    'From: Jill Hart <jill@acme.com>',
    'To: Bob Stone <bob@globex.com>',
    'Subject: Renewal',
    `Message-ID: <${id}@acme.com>`,
    '',
    'Hi Bob.',
    '',
  ].join('\r\n');

describe('HTTP intake', () => {
  let t: TestService;
  let intakeToken: string;
  let otherToken: string;
  beforeAll(async () => {
    t = await startTestService();
    intakeToken = (
      await createToken(
        t.store.db,
        { workspaceId: 'acme', name: 'provider', role: 'intake', loginEmail: null },
        new Date(),
      )
    ).token;
    await addWorkspace(t.store, 'other');
    otherToken = (
      await createToken(
        t.store.db,
        { workspaceId: 'other', name: 'other', role: 'admin', loginEmail: null },
        new Date(),
      )
    ).token;
  });
  afterAll(async () => {
    await t.stop();
  });

  const post = (
    path: string,
    body: RequestInit['body'],
    headers: Record<string, string>,
    token: string | null = ADMIN,
  ) =>
    fetch(`${t.httpUrl}${path}`, {
      method: 'POST',
      body,
      headers: { ...headers, ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    });
  const statusOf = (id: string) =>
    eventually(async () => {
      const row = await t.store.db
        .selectFrom('inbound_messages')
        .select(['status', 'channel', 'rcpt_to', 'mail_from'])
        .where('id', '=', id)
        .executeTakeFirst();
      return row === undefined || row.status === 'queued' ? undefined : row;
    });

  it('takes raw MIME and answers the outcome', async () => {
    const response = await post(
      `/api/v1/workspaces/acme/inbound?rcpt=${TOUCHPOINT_ADDRESS}`,
      readFixture('bcc-plain.eml'),
      { 'content-type': 'message/rfc822' },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'recorded', accountId: 'globex', workspaceId: 'acme' });
    expect(typeof body.inboundId).toBe('string');
  });

  it('refuses a missing, unknown or foreign token', async () => {
    const raw = message('auth');
    const none = await post(
      '/api/v1/workspaces/acme/inbound',
      raw,
      { 'content-type': 'message/rfc822' },
      null,
    );
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    expect(
      (await post('/api/v1/workspaces/acme/inbound', raw, { 'content-type': 'message/rfc822' }, 'tm_nope'))
        .status,
    ).toBe(401);
    const foreign = await post(
      '/api/v1/workspaces/acme/inbound',
      raw,
      { 'content-type': 'message/rfc822' },
      otherToken,
    );
    expect(foreign.status).toBe(404);
  });

  it('takes an intake token, also as the password of Basic auth', async () => {
    const basic = `Basic ${Buffer.from(`provider:${intakeToken}`).toString('base64')}`;
    const response = await post(
      '/api/v1/workspaces/acme/inbound',
      message('basic'),
      { 'content-type': 'message/rfc822', authorization: basic },
      null,
    );
    expect(response.status).toBe(200);
  });

  it('refuses a recipient of another workspace, a wrong media type and an oversize body', async () => {
    const wrongRcpt = await post('/api/v1/workspaces/acme/inbound?rcpt=someone@else.example', message('r'), {
      'content-type': 'message/rfc822',
    });
    expect(wrongRcpt.status).toBe(400);
    const json = await post('/api/v1/workspaces/acme/inbound', JSON.stringify({ a: 1 }), {
      'content-type': 'application/json',
    });
    expect(json.status).toBe(415);
    expect(await json.json()).toMatchObject({ error: { code: 'unsupported-media-type' } });
    const big = await post('/api/v1/workspaces/acme/inbound', 'x'.repeat(t.config.maxMessageBytes + 10), {
      'content-type': 'message/rfc822',
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'payload-too-large' } });
  });

  it('takes SendGrid Inbound Parse (raw, multipart)', async () => {
    const form = new FormData();
    form.set('email', message('sendgrid'));
    form.set('envelope', JSON.stringify({ to: [TOUCHPOINT_ADDRESS], from: 'jill@acme.com' }));
    const response = await post('/api/v1/workspaces/acme/inbound/sendgrid', form, {}, intakeToken);
    expect(response.status).toBe(202);
    const { inboundIds } = (await response.json()) as { inboundIds: string[] };
    expect(await statusOf(inboundIds[0] ?? '')).toMatchObject({
      status: 'recorded',
      channel: 'http',
      mail_from: 'jill@acme.com',
    });
  });

  it('answers a cut-off multipart body 400 in the error shape, not 500', async () => {
    const boundary = 'cut-here';
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\n${message('cut')}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="envelope"\r\n\r\n{"to":[`;
    const response = await post(
      '/api/v1/workspaces/acme/inbound/sendgrid',
      body,
      { 'content-type': `multipart/form-data; boundary=${boundary}` },
      intakeToken,
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'bad-request' } });
  });

  it('answers request headers over 16 KiB 431 in the error shape', async () => {
    const response = await fetch(`${t.httpUrl}/healthz`, { headers: { 'x-padding': 'x'.repeat(20_000) } });
    expect(response.status).toBe(431);
    expect(await response.json()).toEqual({
      error: { code: 'headers-too-large', message: 'The request headers are larger than 16 KiB.' },
    });
  });

  it('takes a Mailgun route with body-mime (urlencoded)', async () => {
    const body = new URLSearchParams({
      'body-mime': message('mailgun'),
      recipient: TOUCHPOINT_ADDRESS,
      sender: 'jill@acme.com',
    });
    const response = await post('/api/v1/workspaces/acme/inbound/mailgun', body, {}, intakeToken);
    expect(response.status).toBe(202);
    const { inboundIds } = (await response.json()) as { inboundIds: string[] };
    expect(await statusOf(inboundIds[0] ?? '')).toMatchObject({ status: 'recorded' });
  });

  it('takes Postmark inbound JSON with RawEmail, and says what is missing without it', async () => {
    const ok = await post(
      '/api/v1/workspaces/acme/inbound/postmark',
      JSON.stringify({
        RawEmail: message('postmark'),
        OriginalRecipient: TOUCHPOINT_ADDRESS,
        From: 'jill@acme.com',
      }),
      { 'content-type': 'application/json' },
      intakeToken,
    );
    expect(ok.status).toBe(202);
    const missing = await post(
      '/api/v1/workspaces/acme/inbound/postmark',
      JSON.stringify({ From: 'jill@acme.com' }),
      { 'content-type': 'application/json' },
      intakeToken,
    );
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain('RawEmail');
  });

  it('takes Amazon SES through SNS (base64 content) and acknowledges a subscription confirmation', async () => {
    const notification = {
      notificationType: 'Received',
      mail: { source: 'jill@acme.com', destination: [TOUCHPOINT_ADDRESS] },
      receipt: { recipients: [TOUCHPOINT_ADDRESS] },
      content: Buffer.from(message('ses')).toString('base64'),
    };
    const sns = {
      Type: 'Notification',
      MessageId: 'x',
      TopicArn: 'arn:aws:sns:eu-west-1:1:touchmail',
      Message: JSON.stringify(notification),
    };
    const response = await post(
      '/api/v1/workspaces/acme/inbound/ses',
      JSON.stringify(sns),
      { 'content-type': 'text/plain; charset=UTF-8' },
      intakeToken,
    );
    expect(response.status).toBe(202);
    const { inboundIds } = (await response.json()) as { inboundIds: string[] };
    expect(await statusOf(inboundIds[0] ?? '')).toMatchObject({ status: 'recorded' });
    const confirm = await post(
      '/api/v1/workspaces/acme/inbound/ses',
      JSON.stringify({ Type: 'SubscriptionConfirmation', SubscribeURL: 'https://sns.example/confirm' }),
      { 'content-type': 'text/plain' },
      intakeToken,
    );
    expect(confirm.status).toBe(200);
  });
});
