// SPEC §6: the same mail reaching the same account twice makes one touchpoint, participants merged.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InboundWorker } from '../../src/app/inbound-worker.js';
import { ingestMessage } from '../../src/app/ingest-message.js';
import { createLogger } from '../../src/logger.js';
import type { Email } from '../../src/domain/address.js';
import { insertInbound } from '../../src/store/inbound-repository.js';
import { participantsOf } from '../../src/store/touchpoint-repository.js';
import type { Store } from '../../src/store/store.js';
import { STORE_KINDS } from '../support/stores.js';
import { FIXED_NOW, fixedDependencies, TOUCHPOINT_ADDRESS, openFixtureStore } from '../support/workspace.js';

const envelope = { mailFrom: null, rcptTo: [TOUCHPOINT_ADDRESS as Email] };
const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'));

const FORWARD_ATTACHED = (original: string[]) => [
  'From: Sam Ortiz <sam@acme.com>',
  'To: touchpoints@acme.example',
  'Subject: Fw: Renewal next steps',
  'Message-ID: <fw-1@mail.acme.com>',
  'Content-Type: multipart/mixed; boundary="b"',
  '',
  '--b',
  'Content-Type: text/plain',
  '',
  'Logging.',
  '--b',
  'Content-Type: message/rfc822',
  '',
  ...original,
  '--b--',
  '',
];

const ORIGINAL = [
  'From: Jill Hart <jill@acme.com>',
  'To: Bob Stone <bob@globex.com>',
  'Subject: Renewal next steps',
  'Date: Thu, 19 Nov 2026 15:04:05 +0000',
  'Message-ID: <renewal-1@mail.acme.com>',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Bob, the quote follows on Friday.',
  '',
];

describe.each(STORE_KINDS)('idempotent recording on $name', (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openFixtureStore(kind);
  });
  afterEach(async () => {
    await store.close();
  });
  const ingest = (raw: Buffer) =>
    ingestMessage({ ...fixedDependencies(store), newId: randomUUID }, { raw, envelope }, 'cli');
  /** Queues `messages` and records them in one worker batch; returns how many the batch took. */
  const recordInOneBatch = async (messages: string[][]) => {
    await insertInbound(
      store.db,
      ...messages.map(crlf).map((raw, i) => ({
        id: `in-${i}`,
        workspaceId: 'acme',
        receivedAt: new Date(FIXED_NOW.getTime() + i),
        channel: 'smtp' as const,
        raw,
        sha256: `sha-${i}`,
        mailFrom: null,
        rcptTo: [TOUCHPOINT_ADDRESS],
      })),
    );
    const worker = new InboundWorker(
      fixedDependencies(store),
      { owner: 'w', batchSize: 10, batchBytes: 1 << 20, leaseMs: 60_000, pollMs: 1000 },
      createLogger('silent'),
    );
    return worker.processBatch();
  };
  const touchpointCount = async () =>
    (await store.db.selectFrom('touchpoints').select('id').where('scenario', 'is not', null).execute())
      .length;

  it('Bcc’d by one teammate and forwarded as an attachment by another: one touchpoint, participants merged', async () => {
    const bcc = await ingest(crlf(ORIGINAL));
    const forward = await ingest(crlf(FORWARD_ATTACHED(ORIGINAL)));
    expect(bcc.outcome.status).toBe('recorded');
    expect(forward.outcome).toMatchObject({
      status: 'recorded',
      scenario: 'forward',
      touchpointId: bcc.outcome.touchpointId,
    });
    expect(await touchpointCount()).toBe(1);
    const participants = await participantsOf(store.db, 'acme', bcc.outcome.touchpointId ?? '');
    expect(participants.map((p) => p.email)).toEqual(['jill@acme.com', 'bob@globex.com', 'sam@acme.com']);
  });

  it('the same mail three times in one recording batch: recorded, then merged, then a duplicate', async () => {
    expect(await recordInOneBatch([ORIGINAL, FORWARD_ATTACHED(ORIGINAL), ORIGINAL])).toBe(3);
    const rows = await store.db
      .selectFrom('inbound_messages')
      .select(['status', 'reason', 'touchpoint_id'])
      .orderBy('id')
      .execute();
    const id = rows[0]?.touchpoint_id;
    expect(id).toBeTruthy();
    expect(rows).toEqual([
      { status: 'recorded', reason: null, touchpoint_id: id },
      { status: 'recorded', reason: null, touchpoint_id: id },
      { status: 'ignored', reason: 'duplicate', touchpoint_id: id },
    ]);
    expect(await touchpointCount()).toBe(1);
    const participants = await participantsOf(store.db, 'acme', id ?? '');
    expect(participants.map((p) => p.email)).toEqual(['jill@acme.com', 'bob@globex.com', 'sam@acme.com']);
  });

  it('Bcc’d by one teammate and forwarded inline by another: one touchpoint', async () => {
    const bcc = await ingest(crlf(ORIGINAL));
    const forward = await ingest(
      crlf([
        'From: Sam Ortiz <sam@acme.com>',
        'To: touchpoints@acme.example',
        'Subject: Fwd: Renewal next steps',
        'Date: Fri, 20 Nov 2026 09:00:00 +0000',
        'Message-ID: <fwd-inline-1@mail.acme.com>',
        'Content-Type: text/plain; charset=utf-8',
        '',
        '---------- Forwarded message ---------',
        'From: Jill Hart <jill@acme.com>',
        'Date: Thu, Nov 19, 2026 at 3:04 PM',
        'Subject: Renewal next steps',
        'To: Bob Stone <bob@globex.com>',
        '',
        '',
        'Bob, the quote follows on Friday.',
        '',
      ]),
    );
    expect(forward.outcome).toMatchObject({ scenario: 'forward', touchpointId: bcc.outcome.touchpointId });
    expect(await touchpointCount()).toBe(1);
  });

  // Issue 25 item 2: the forward header shows the forwarder's local time without a zone; read as UTC it
  // was an hour off the Bcc'd copy, and "the same mail" minute (SPEC §6) never matched.
  const BCC_AT_PLUS_ONE = [
    'From: Jill Hart <jill@acme.com>',
    'To: Bob Stone <bob@globex.com>',
    'Subject: Renewal next steps',
    'Date: Tue, 3 Nov 2026 14:05:27 +0100',
    'Message-ID: <renewal-cet@mail.acme.com>',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Bob, the quote follows on Friday.',
    '',
  ];
  const INLINE_FORWARD_AT_PLUS_ONE = [
    'From: Sam Ortiz <sam@acme.com>',
    'To: touchpoints@acme.example',
    'Subject: Fwd: Renewal next steps',
    'Date: Tue, 3 Nov 2026 16:30:00 +0100',
    'Message-ID: <fwd-cet@mail.acme.com>',
    'Content-Type: text/plain; charset=utf-8',
    '',
    '---------- Forwarded message ---------',
    'From: Jill Hart <jill@acme.com>',
    'Date: Tue, Nov 3, 2026 at 2:05 PM',
    'Subject: Renewal next steps',
    'To: Bob Stone <bob@globex.com>',
    '',
    '',
    'Bob, the quote follows on Friday.',
    '',
  ];

  it.each([
    ['the Bcc’d copy first', [BCC_AT_PLUS_ONE, INLINE_FORWARD_AT_PLUS_ONE]],
    ['the inline forward first', [INLINE_FORWARD_AT_PLUS_ONE, BCC_AT_PLUS_ONE]],
  ])(
    'Bcc’d at +01:00 and forwarded inline at +01:00 with a date without a zone: one touchpoint (%s)',
    async (_, [first, second]) => {
      const one = await ingest(crlf(first ?? []));
      const two = await ingest(crlf(second ?? []));
      expect(one.outcome.status).toBe('recorded');
      // 14:05 at +01:00 is 13:05 UTC; the forward shows no seconds.
      expect(one.outcome.occurredAt?.slice(0, 16)).toBe('2026-11-03T13:05');
      // Recorded (participants merged) or ignored as a duplicate: either way, on the same touchpoint.
      expect(two.outcome.touchpointId).toBe(one.outcome.touchpointId);
      expect(await touchpointCount()).toBe(1);
      const forward = [one, two].find((r) => r.outcome.scenario === 'forward');
      expect(forward?.outcome.trace.map((t) => t.detail).join('\n')).toContain('forwarder’s zone +01:00');
    },
  );

  it('a redelivery of byte-identical mail without a Message-ID is a duplicate', async () => {
    const raw = crlf(['From: jill@acme.com', 'To: bob@globex.com', 'Subject: No id', '', 'Hello Bob.', '']);
    const first = await ingest(raw);
    const second = await ingest(raw);
    expect(second.outcome).toMatchObject({
      status: 'ignored',
      reason: 'duplicate',
      touchpointId: first.outcome.touchpointId,
    });
    expect(await touchpointCount()).toBe(1);
  });

  it('the same mail again with another customer goes to the account it is on (SPEC §5 step 0), merged', async () => {
    const first = await ingest(crlf(ORIGINAL));
    const again = await ingest(
      crlf(ORIGINAL.map((line) => (line.startsWith('To:') ? 'To: Peter <peter@initech.com>' : line))),
    );
    expect(again.outcome).toMatchObject({
      status: 'recorded',
      accountId: 'globex',
      touchpointId: first.outcome.touchpointId,
    });
    expect(again.outcome.trace.map((t) => t.step)).toContain('0.known-mail');
    expect(await touchpointCount()).toBe(1);
    const participants = await participantsOf(store.db, 'acme', first.outcome.touchpointId ?? '');
    expect(participants.map((p) => p.email)).toEqual([
      'jill@acme.com',
      'bob@globex.com',
      'peter@initech.com',
    ]);
  });

  it('a re-forward of a known mail that names customers of two accounts goes where the mail is (step 0)', async () => {
    // Jill's mail to Bob (Globex) with Eva (Globex EU) in Cc: Jill's own history picks Globex (C1).
    const withEva = ORIGINAL.flatMap((line) =>
      line.startsWith('To:') ? [line, 'Cc: Eva <eva@globex.com>'] : [line],
    );
    const bcc = await ingest(crlf(withEva));
    expect(bcc.outcome).toMatchObject({ status: 'recorded', accountId: 'globex' });
    // Sam, without history on either, forwards it as an attachment: the mail is known, so no tie-break.
    const forward = await ingest(crlf(FORWARD_ATTACHED(withEva)));
    expect(forward.outcome).toMatchObject({
      status: 'recorded',
      scenario: 'forward',
      accountId: 'globex',
      touchpointId: bcc.outcome.touchpointId,
    });
    expect(forward.outcome.trace.map((t) => t.step)).not.toContain('C.result');
    const participants = await participantsOf(store.db, 'acme', bcc.outcome.touchpointId ?? '');
    expect(participants.map((p) => p.email)).toEqual([
      'jill@acme.com',
      'bob@globex.com',
      'eva@globex.com',
      'sam@acme.com',
    ]);
  });

  it('two mails with different Message-IDs are two touchpoints, whatever their sender, subject and minute', async () => {
    const second = ORIGINAL.map((line) =>
      line.startsWith('Message-ID:')
        ? 'Message-ID: <renewal-2@mail.acme.com>'
        : line.startsWith('Bob,')
          ? 'Bob, and the contract too.'
          : line,
    );
    const a = await ingest(crlf(ORIGINAL));
    const b = await ingest(crlf(second));
    expect(a.outcome.status).toBe('recorded');
    expect(b.outcome.status).toBe('recorded');
    expect(b.outcome.touchpointId).not.toBe(a.outcome.touchpointId);
    expect(await touchpointCount()).toBe(2);
  });

  it('two mails with different Message-IDs in one recording batch are two touchpoints', async () => {
    const second = ORIGINAL.map((line) =>
      line.startsWith('Message-ID:') ? 'Message-ID: <renewal-2@mail.acme.com>' : line,
    );
    expect(await recordInOneBatch([ORIGINAL, second])).toBe(2);
    expect(await touchpointCount()).toBe(2);
  });

  it('a Message-ID of 6,000 characters is kept as a key that fits, and still finds its repeat', async () => {
    const long = ORIGINAL.map((line) =>
      line.startsWith('Message-ID:') ? `Message-ID: <${'x'.repeat(6000)}@mail.acme.com>` : line,
    );
    const first = await ingest(crlf(long));
    const again = await ingest(crlf(long));
    expect(first.outcome.status).toBe('recorded');
    expect(again.outcome).toMatchObject({ status: 'ignored', reason: 'duplicate' });
    const row = await store.db
      .selectFrom('touchpoints')
      .select('message_key')
      .where('scenario', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(row.message_key).toMatch(/^mid:sha256:[0-9a-f]{64}$/);
  });

  it('stores the outcome on the inbound message', async () => {
    const { inboundId, outcome } = await ingest(crlf(ORIGINAL));
    const row = await store.db
      .selectFrom('inbound_messages')
      .selectAll()
      .where('id', '=', inboundId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'recorded',
      reason: null,
      touchpoint_id: outcome.touchpointId,
      raw_size: crlf(ORIGINAL).byteLength,
    });
    expect(JSON.parse(row.outcome ?? 'null')).toEqual(outcome);
  });
});
