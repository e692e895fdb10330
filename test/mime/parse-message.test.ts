// What src/mime makes of raw mail that email-forward-parser only half reads: a forward claimed by the
// subject alone, a block without addresses. Never a crash (SPEC §10).
import { describe, expect, it } from 'vitest';
import { normalizeEmail, type Email } from '../../src/domain/address.js';
import { classifyMessage } from '../../src/domain/scenario.js';
import { normalizeSubject } from '../../src/domain/touchpoint.js';
import { TraceBuilder } from '../../src/domain/trace.js';
import { parseMessage } from '../../src/mime/parse-message.js';

const OPTIONS = { maxMessageBytes: 25 * 1024 * 1024, now: new Date('2026-11-26T00:00:00Z') };

function mail(subject: string, body: string, date = 'Tue, 3 Nov 2026 14:30:00 +0100'): Buffer {
  return Buffer.from(
    [
      'From: Jill Hart <jill@acme.com>',
      'To: touchpoints@acme.example',
      `Subject: ${subject}`,
      `Date: ${date}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
    ].join('\r\n'),
  );
}

async function parsed(subject: string, body: string, date?: string) {
  const result = await parseMessage(mail(subject, body, date), OPTIONS);
  if (!result.ok) throw new Error(result.detail);
  return result.message;
}

describe('parseMessage on forwards the forward parser cannot read', () => {
  it('takes a "Fwd:" subject over a body without a forward block as no forward (issue 16)', async () => {
    const message = await parsed('Fwd: hello', 'hi there');
    expect(message.subject).toBe('Fwd: hello');
    expect(message.forwarded).toEqual([]);
  });

  it('takes a "Fwd:" reply that only quotes its attribution line as no forward', async () => {
    const body = [
      'That’s true!',
      '',
      'On Wed, Oct 27, 2021 at 9:31 AM John Doe <john.doe@acme.com>',
      'wrote:',
      '',
      '> Unicum iter ad supremum.',
    ];
    const message = await parsed('Fwd: Integer consequat', body.join('\n'));
    expect(message.forwarded).toEqual([]);
  });

  it('still reads a separator forward whose subject was edited after "Fwd:"', async () => {
    const body = [
      'FYI',
      '',
      '---------- Forwarded message ---------',
      'From: Bob Stone <bob@globex.com>',
      'Date: Tue, Nov 3, 2026 at 2:05 PM',
      'Subject: Renewal',
      'To: Jill Hart <jill@acme.com>',
      '',
      'Can we talk?',
    ];
    const message = await parsed('Fwd: see below', body.join('\n'));
    expect(message.forwarded.map((f) => f.from.map((a) => a.email))).toEqual([['bob@globex.com']]);
  });

  it('keeps a forward whose block names its sender without an address, with no addresses', async () => {
    const body = [
      '-------- Forwarded Message --------',
      'Subject: Renewal',
      'Date: Tue, 3 Nov 2026 14:05:00 +0100',
      'From: Bob Stone',
      '',
      'Can we talk?',
    ];
    const message = await parsed('Fwd: Renewal', body.join('\n'));
    expect(message.forwarded).toHaveLength(1);
    expect(message.forwarded[0]).toMatchObject({ from: [], to: [], cc: [], subject: 'Renewal' });
  });
});

describe('parseMessage on the date of an inline forward', () => {
  const gmail = (date: string) =>
    [
      '---------- Forwarded message ---------',
      'From: Bob Stone <bob@globex.com>',
      `Date: ${date}`,
      'Subject: Renewal',
      'To: Jill Hart <jill@acme.com>',
      '',
      'Can we talk?',
    ].join('\n');

  it('reads a date without a zone in the zone of the forwarding message’s Date, and says so', async () => {
    const message = await parsed(
      'Fwd: Renewal',
      gmail('Tue, Nov 3, 2026 at 2:05 PM'),
      'Tue, 3 Nov 2026 14:30:00 +0100',
    );
    expect(message.forwarded[0]).toMatchObject({
      date: '2026-11-03T13:05:00.000Z',
      assumedZone: { offset: '+01:00', from: 'forwarder' },
    });
  });

  it('reads it as UTC, and says so, when the forwarding message’s Date names no zone', async () => {
    const message = await parsed(
      'Fwd: Renewal',
      gmail('Tue, Nov 3, 2026 at 2:05 PM'),
      'Tue, 3 Nov 2026 14:30:00 -0000',
    );
    expect(message.forwarded[0]).toMatchObject({
      date: '2026-11-03T14:05:00.000Z',
      assumedZone: { offset: '+00:00', from: 'utc' },
    });
  });

  it('keeps the zone a forwarded date names', async () => {
    const message = await parsed(
      'Fwd: Renewal',
      gmail('Tue, 3 Nov 2026 14:05:00 -0500'),
      'Tue, 3 Nov 2026 14:30:00 +0100',
    );
    expect(message.forwarded[0]).toMatchObject({ date: '2026-11-03T19:05:00.000Z', assumedZone: null });
  });
});

describe('parseMessage and classification on a subject of about 1 MiB (issue 25 item 12)', () => {
  // The largest subject the 1 MiB header limit lets through. The scans of it were quadratic: this took
  // minutes; it must now simply finish (no timing asserted: the test timeout is the bound).
  const LONG = 1024 * 1024 - 1024;
  const touchpoint = normalizeEmail('touchpoints@acme.example');
  const workspace = {
    internalDomains: ['acme.com'],
    everyTouchpointAddress: new Set<Email>(touchpoint === null ? [] : [touchpoint]),
  };

  it.each([
    ['letters without an @', `Notes peter@initech.com ${'a'.repeat(LONG - 24)}`, ['peter@initech.com']],
    ['"Re" then spaces', `Re${' '.repeat(LONG - 3)}x`, []],
  ])('%s', async (_, subject, customers) => {
    const message = await parsed(subject, 'Talked.');
    expect(message.subject.length).toBe(subject.length);
    const from = message.from;
    if (from === null) throw new Error('no From');
    const classification = classifyMessage({ message, sender: from, workspace }, new TraceBuilder());
    expect(classification).toMatchObject({ scenario: 'note', customerAddresses: customers });
    expect(normalizeSubject(message.subject).length).toBeGreaterThan(0);
  });
});
