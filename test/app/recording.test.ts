// SPEC §6: what a recorded touchpoint holds, read back from the store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestMessage } from '../../src/app/ingest-message.js';
import type { Email } from '../../src/domain/address.js';
import type { Store } from '../../src/store/store.js';
import { STORE_KINDS } from '../support/stores.js';
import {
  fixedDependencies,
  readFixture,
  TOUCHPOINT_ADDRESS,
  openFixtureStore,
} from '../support/workspace.js';

describe.each(STORE_KINDS)('recording on $name', (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openFixtureStore(kind);
  });
  afterEach(async () => {
    await store.close();
  });

  const record = async (raw: Buffer) => {
    const { outcome } = await ingestMessage(
      fixedDependencies(store),
      { raw, envelope: { mailFrom: null, rcptTo: [TOUCHPOINT_ADDRESS as Email] } },
      'cli',
    );
    expect(outcome.status).toBe('recorded');
    return store.db
      .selectFrom('touchpoints')
      .selectAll()
      .where('id', '=', outcome.touchpointId ?? '')
      .executeTakeFirstOrThrow();
  };

  it('records type Email, the default flow and reason, the author and the trace', async () => {
    const tp = await record(readFixture('bcc-plain.eml'));
    expect(tp).toMatchObject({
      type: 'Email',
      flow: 'Default',
      reason: 'Check-in',
      author_email: 'jill@acme.com',
      scenario: 'bcc',
      subject: 'Renewal next steps',
      occurred_at: '2026-11-19T15:04:05.000Z',
      message_key: 'mid:bcc-plain@mail.acme.com',
    });
    expect(tp.content_text).toContain('renewal quote by Friday');
    expect((JSON.parse(tp.trace) as { step: string }[]).map((t) => t.step)).toContain('A.account');
  });

  it('credits mail sent from an alias to the login', async () => {
    expect((await record(readFixture('alias-sender.eml'))).author_email).toBe('jill@acme.com');
  });

  it('shows a failed forward’s inbound entry with the forwarded message’s date (issue 17)', async () => {
    const raw = [
      'From: Jill Hart <jill@acme.com>',
      'To: touchpoints@acme.example',
      'Subject: Fwd: Hello',
      'Date: Thu, 26 Nov 2026 10:00:00 +0000',
      'Message-ID: <failed-forward@mail.acme.com>',
      '',
      '---------- Forwarded message ---------',
      'From: Nobody Known <someone@unknown-customer.example>',
      'Date: Tue, 3 Nov 2026 14:05:00 +0000',
      'Subject: Hello',
      'To: Jill Hart <jill@acme.com>',
      '',
      'Hi there.',
      '',
    ].join('\r\n');
    const { outcome } = await ingestMessage(
      fixedDependencies(store),
      { raw: Buffer.from(raw), envelope: { mailFrom: null, rcptTo: [TOUCHPOINT_ADDRESS as Email] } },
      'cli',
    );
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'no-account',
      occurredAt: '2026-11-03T14:05:00.000Z',
    });
  });

  it('takes the forwarded message’s subject and date for a forward', async () => {
    const tp = await record(readFixture('forward-attached.eml'));
    expect(tp).toMatchObject({
      scenario: 'forward',
      subject: 'Outage report',
      occurred_at: '2026-11-18T13:30:00.000Z',
      message_key: 'mid:outage-42@initech.com',
    });
    expect(tp.content_text).toContain('Logging this one');
    expect(tp.content_text).toContain('20 minute outage');
  });

  it('keeps sanitized HTML only', async () => {
    const tp = await record(readFixture('html-only.eml'));
    expect(tp.content_html).toContain('<b>Tuesday</b>');
    expect(tp.content_html).not.toContain('<script');
    expect(tp.content_text).toContain('Training is on Tuesday');
  });

  it('keeps the attachments’ decoded names and sizes', async () => {
    const tp = await record(readFixture('rfc2231-attachment.eml'));
    expect(JSON.parse(tp.attachments)).toEqual([
      { filename: 'Angebot für Globex.pdf', mimeType: 'application/pdf', size: 30 },
    ]);
  });

  it('folds quoted history and signature, keeping the full text', async () => {
    const reply = [
      'From: Jill Hart <jill@acme.com>',
      'To: Bob Stone <bob@globex.com>',
      'Subject: Re: Renewal',
      'Message-ID: <reply-1@mail.acme.com>',
      '',
      'Sounds good, see you Tuesday.',
      '',
      'On Wed, Nov 18, 2026 at 9:00 AM Bob Stone <bob@globex.com> wrote:',
      '> Can we meet on Tuesday?',
      '> Bob',
      '',
    ].join('\r\n');
    const tp = await record(Buffer.from(reply));
    expect(tp.content_visible).toBe('Sounds good, see you Tuesday.');
    expect(tp.content_text).toContain('> Can we meet on Tuesday?');
  });
});
