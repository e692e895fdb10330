// Notices over real SMTP (SPEC §7), on both stores: real messages processed, notices queued in the
// recording transaction, sent by the outbox worker to an smtp-server sink that answers 250, 4xx or 5xx
// on demand. Checks the envelope (MAIL FROM:<>), the headers, who gets nothing, the rate limit, retries,
// permanent failures and at-most-once sending across a crash or a store error after the relay took it.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { InsertQueryNode, type KyselyPlugin } from 'kysely';
import { dkimSign } from 'mailauth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageDependencies } from '../../src/app/dependencies.js';
import { importWorkspace } from '../../src/app/import-workspace.js';
import { ingestMessage } from '../../src/app/ingest-message.js';
import { afterEdit } from '../../src/outbound/touchpoint-effects.js';
import type { Email } from '../../src/domain/address.js';
import type { Envelope } from '../../src/domain/message.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics, type Metrics } from '../../src/metrics.js';
import { noticeHandler } from '../../src/outbound/notices/notice-handler.js';
import { createNoticeTransport } from '../../src/outbound/notices/smtp-transport.js';
import { OutboxWorker } from '../../src/outbound/outbox-worker.js';
import { setLoginReceipts } from '../../src/store/notice-repository.js';
import { claimOutboxItem } from '../../src/store/outbox-repository.js';
import type { Store } from '../../src/store/store.js';
import { appendParticipants, participantsOf } from '../../src/store/touchpoint-repository.js';
import { stubResolver } from '../support/dns.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { STORE_KINDS } from '../support/stores.js';
import {
  FIXED_NOW,
  fixedDependencies,
  openFixtureStore,
  readFixture,
  TOUCHPOINT_ADDRESS,
} from '../support/workspace.js';

const logger = createLogger('silent');
const PUBLIC_URL = new URL('https://touchmail.acme.test/');

const partnerKey = (() => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    record: `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`,
  };
})();
/**
 * partner.example signs with DKIM and publishes DMARC (p=none: monitoring only), so its alignment is
 * evaluated; acme.com publishes no DMARC (so unsigned login mail passes G3).
 */
const DNS = stubResolver({
  'sel._domainkey.partner.example': partnerKey.record,
  '_dmarc.partner.example': 'v=DMARC1; p=none',
});
/** acme.com publishes DMARC p=reject: unsigned mail claiming to be from acme.com fails gate G3. */
const STRICT_ACME_DNS = stubResolver({ '_dmarc.acme.com': 'v=DMARC1; p=reject' });

let messageCounter = 0;
/** A message; each gets its own Message-ID unless one is given. */
function mail(fields: {
  from: string;
  to?: string;
  subject?: string;
  body?: string;
  extra?: string[];
}): string {
  return [
    `From: ${fields.from}`,
    ...(fields.to === undefined ? [] : [`To: ${fields.to}`]),
    `Subject: ${fields.subject ?? 'Hello'}`,
    'Date: Thu, 19 Nov 2026 15:04:05 +0000',
    `Message-ID: <m${++messageCounter}-${randomUUID()}@mail.test>`,
    ...(fields.extra ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    fields.body ?? 'Some notes.',
    '',
  ].join('\r\n');
}

async function signedByPartner(message: string): Promise<string> {
  const key = {
    signingDomain: 'partner.example',
    selector: 'sel',
    privateKey: partnerKey.privateKey,
    canonicalization: 'relaxed/relaxed',
  };
  const { signatures, errors } = await dkimSign(message, { ...key, signatureData: [key] });
  if (signatures === '') throw new Error(`DKIM signing failed: ${JSON.stringify(errors)}`);
  return signatures + message;
}

/** A store fault: the first insert into `table` fails, as a lock timeout or a failover would. */
function failFirstInsertInto(table: string): KyselyPlugin & { readonly failed: () => boolean } {
  let failed = false;
  return {
    transformQuery: ({ node }) => {
      if (!failed && InsertQueryNode.is(node) && node.into?.table.identifier.name === table) {
        failed = true;
        throw new Error(`injected store fault: insert into ${table}`);
      }
      return node;
    },
    transformResult: ({ result }) => Promise.resolve(result),
    failed: () => failed,
  };
}

describe.each(STORE_KINDS)('notices on $name', (kind) => {
  let store: Store;
  let sink: SmtpSink;
  let now: Date;
  let deps: MessageDependencies;
  let metrics: Metrics;

  beforeEach(async () => {
    store = await openFixtureStore(kind);
    sink = await new SmtpSink().start();
    now = FIXED_NOW;
    deps = {
      ...fixedDependencies(store),
      now: () => now,
      verification: { resolver: DNS, authservId: 'mx.touchmail.test' },
    };
    metrics = createMetrics(() => Promise.resolve(0));
  });
  afterEach(async () => {
    await sink.close();
    await store.close();
  });

  const ingest = (
    raw: string | Buffer,
    envelope: Partial<Envelope> = {},
    with_: Partial<MessageDependencies> = {},
  ) =>
    ingestMessage(
      { ...deps, ...with_ },
      {
        raw: typeof raw === 'string' ? Buffer.from(raw) : raw,
        envelope: { mailFrom: null, rcptTo: [TOUCHPOINT_ADDRESS as Email], ...envelope },
      },
      'cli',
    );
  const handler = (rateLimit = 10, on: Store = store) =>
    noticeHandler({
      store: on,
      transport: createNoticeTransport(sink.url),
      publicUrl: PUBLIC_URL,
      rateLimit,
      now: () => now,
      newId: randomUUID,
      logger,
      metrics,
    });
  const worker = (rateLimit = 10, on: Store = store) =>
    new OutboxWorker(
      on,
      [handler(rateLimit, on)],
      { owner: 'test:1', batchSize: 10, leaseMs: 60_000, pollMs: 50 },
      logger,
      () => now,
    );
  const notices = () =>
    store.db.selectFrom('outbox').selectAll().where('kind', '=', 'notice').orderBy('created_at').execute();

  it('tells the sender why an ambiguous message was not logged: candidates, link, MAIL FROM:<>, headers', async () => {
    const { inboundId, outcome } = await ingest(readFixture('ambiguous-parent-child.eml'));
    expect(outcome.reason).toBe('ambiguous-account');
    expect(await notices()).toMatchObject([{ key: `notice:failure:${inboundId}`, status: 'queued' }]);

    expect(await worker().processBatch()).toBe(1);
    expect(sink.messages).toHaveLength(1);
    const sent = sink.messages[0];
    if (sent === undefined) throw new Error('nothing sent');
    // The envelope: null reverse-path, the login's registered address.
    expect(sent.mailFrom).toBe('');
    expect(sent.rcptTo).toEqual(['sam@acme.com']);
    expect(sent.header('auto-submitted')).toBe('auto-replied');
    expect(sent.header('x-auto-response-suppress')).toBe('All');
    expect(sent.header('in-reply-to')).toBe('<ambig@mail.acme.com>');
    expect(sent.header('references')).toBe('<ambig@mail.acme.com>');
    expect(sent.parsed.from).toMatchObject({ name: 'Touchmail', address: 'touchpoints@acme.example' });
    expect(sent.parsed.subject).toBe(
      'Not logged: the customer is associated with more than one account — "Pricing"',
    );
    const link = `https://touchmail.acme.test/#/inbound/${inboundId}`;
    for (const body of [sent.parsed.text ?? '', sent.parsed.html ?? '']) {
      expect(body).toContain('Globex (globex)');
      expect(body).toContain('Globex Europe (globex-eu)');
      expect(body).toContain(link);
      expect(body).toContain('Tried to break the tie');
    }
    expect(sent.parsed.text).toContain('email address on only one account');
    expect(await notices()).toMatchObject([{ status: 'sent', attempts: 1 }]);
    expect(await metrics.registry.getSingleMetricAsString('touchmail_notices_total')).toContain(
      'touchmail_notices_total{kind="failure",result="sent"} 1',
    );
  });

  it.each([
    {
      name: 'empty-message',
      raw: () => mail({ from: 'Jill Hart <jill@acme.com>', subject: 'Fwd:', body: '' }),
      to: 'jill@acme.com',
      subject: 'Not logged: the message was empty — "Fwd:"',
    },
    {
      name: 'no-customer-address',
      raw: () => mail({ from: 'Jill Hart <jill@acme.com>', to: 'Sam <sam@acme.com>', subject: 'Internal' }),
      to: 'jill@acme.com',
      subject: 'Not logged: no customer address was found — "Internal"',
    },
    {
      name: 'no-account',
      raw: () =>
        mail({ from: 'Jill Hart <jill@acme.com>', to: 'x@unknown-customer.example', subject: 'Intro' }),
      to: 'jill@acme.com',
      subject: 'Not logged: no account matches the customer — "Intro"',
    },
    {
      name: 'no-account, from an alias: told at the registered address',
      raw: () => mail({ from: 'Jill <jh@acme.com>', to: 'x@unknown-customer.example', subject: 'Alias' }),
      to: 'jill@acme.com',
      subject: 'Not logged: no account matches the customer — "Alias"',
    },
    {
      name: 'too-large (refused before the gates; the sender is read from the headers)',
      raw: () =>
        mail({
          from: 'Jill Hart <jill@acme.com>',
          to: 'bob@globex.com',
          subject: 'Big',
          body: 'x'.repeat(4000),
        }),
      to: 'jill@acme.com',
      subject: 'Not logged: the message is too large — "Big"',
      deps: { maxMessageBytes: 2048 },
    },
    {
      name: 'sender-not-a-user whose domain authenticated (aligned DKIM)',
      raw: () => mail({ from: 'Kim <kim@partner.example>', to: 'bob@globex.com', subject: 'From a partner' }),
      sign: true,
      to: 'kim@partner.example',
      subject: 'Not logged: your address is not a Touchmail login — "From a partner"',
    },
  ])('$name: a notice to $to', async (c) => {
    const raw = c.sign === true ? await signedByPartner(c.raw()) : c.raw();
    await ingest(raw, {}, c.deps ?? {});
    await worker().processBatch();
    expect(sink.messages.map((m) => [m.mailFrom, m.rcptTo, m.parsed.subject])).toEqual([
      ['', [c.to], c.subject],
    ]);
  });

  it('never answers automated mail, null or mailer-daemon return paths, forged or unverified senders', async () => {
    await ingest(readFixture('auto-reply.eml'));
    await ingest(readFixture('list-mail.eml'));
    await ingest(readFixture('bounce.eml'));
    const noAccount = { from: 'Jill Hart <jill@acme.com>', to: 'x@unknown-customer.example' };
    // A null return path and a mailer-daemon return path (both gate G1).
    await ingest(mail(noAccount), { mailFrom: '' });
    await ingest(mail(noAccount), { mailFrom: 'MAILER-DAEMON@mx.acme.com' });
    // Forged: claims Jill, comes by SMTP from a host acme.com does not authorize, fails its DMARC (gate G3).
    const forged = await ingest(
      mail(noAccount),
      { client: { ip: '198.51.100.7', helo: 'forger.example' } },
      {
        verification: { resolver: STRICT_ACME_DNS, authservId: 'mx.touchmail.test' },
      },
    );
    expect(forged.outcome.reason).toBe('sender-not-authenticated');
    // A stranger whose domain did not authenticate (maybe forged): no backscatter.
    const stranger = await ingest(readFixture('stranger.eml'));
    expect(stranger.outcome.reason).toBe('sender-not-a-user');
    // Under policy off nothing is checked, so not even a signed stranger is told.
    await store.db.updateTable('workspaces').set({ sender_auth_policy: 'off' }).execute();
    const unchecked = await ingest(
      await signedByPartner(mail({ from: 'kim@partner.example', to: 'bob@globex.com' })),
    );
    expect(unchecked.outcome.reason).toBe('sender-not-a-user');

    expect(await notices()).toEqual([]);
    expect(await worker().processBatch()).toBe(0);
    expect(sink.messages).toEqual([]);
  });

  it('never sends a notice to a touchpoint address of another workspace', async () => {
    // Partner's touchpoint address is an ordinary shared mailbox (polled over IMAP, SPEC §2): a person may
    // write from it. Told they are no login of acme, the notice would land in partner's own intake.
    const imported = await importWorkspace(
      store,
      { workspace: { id: 'partner', touchpointAddresses: ['log@partner.example'] } },
      FIXED_NOW,
    );
    if (!imported.ok) throw new Error(JSON.stringify(imported.problems));
    const shared = await ingest(
      await signedByPartner(mail({ from: 'Partner log <log@partner.example>', to: 'bob@globex.com' })),
    );
    expect(shared.outcome.reason).toBe('sender-not-a-user');
    expect(await notices()).toEqual([]);
    expect(await worker().processBatch()).toBe(0);
    expect(sink.messages).toEqual([]);
  });

  it('folds a hostile subject: no header injection, no extra recipient', async () => {
    const subject = Buffer.from('Pricing\r\nBcc: victim@evil.example\r\nX-Injected: yes').toString('base64');
    const raw = readFixture('ambiguous-parent-child.eml')
      .toString('utf8')
      .replace('Subject: Pricing', `Subject: =?utf-8?B?${subject}?=`);
    const { outcome } = await ingest(raw);
    expect(outcome.subject).toContain('\r\nX-Injected');
    await worker().processBatch();
    const sent = sink.messages[0];
    expect(sent?.rcptTo).toEqual(['sam@acme.com']);
    expect(sent?.header('x-injected')).toBeUndefined();
    expect(sent?.header('bcc')).toBeUndefined();
    expect(sent?.parsed.subject).toContain('"Pricing Bcc: victim@evil.example X-Injected: yes"');
  });

  it('sends a receipt only to a login who asked for one', async () => {
    const bcc = (subject: string) =>
      mail({ from: 'Jill Hart <jill@acme.com>', to: 'Bob <bob@globex.com>', subject });
    await ingest(bcc('Before'));
    expect(await notices()).toEqual([]);

    await setLoginReceipts(store.db, 'acme', 'jill@acme.com', true, now);
    const { inboundId, outcome } = await ingest(bcc('Renewal'));
    expect(outcome.status).toBe('recorded');
    await worker().processBatch();
    expect(sink.messages).toHaveLength(1);
    const sent = sink.messages[0];
    expect(sent?.rcptTo).toEqual(['jill@acme.com']);
    expect(sent?.mailFrom).toBe('');
    expect(sent?.header('auto-submitted')).toBe('auto-replied');
    expect(sent?.parsed.subject).toBe('Logged to Globex (globex) — "Renewal"');
    expect(sent?.parsed.text).toContain(
      `Wrong account? Reassign it here: https://touchmail.acme.test/#/inbound/${inboundId}`,
    );
  });

  /** A recorded touchpoint (Bob, Jill) to which an edit added Eva. */
  const touchpointWithEvaAdded = async (): Promise<string> => {
    const { outcome } = await ingest(readFixture('bcc-plain.eml'));
    const touchpointId = outcome.touchpointId;
    if (touchpointId === null) throw new Error('not recorded');
    const existing = await participantsOf(store.db, 'acme', touchpointId);
    await appendParticipants(store.db, store.capabilities, 'acme', [
      {
        touchpointId,
        participants: [{ email: 'eva@globex.com' as Email, name: 'Eva Lind', side: 'external' }],
        from: existing.length,
      },
    ]);
    return touchpointId;
  };

  it('notifies the participants an editor chose: new ones, then all but the editor', async () => {
    const touchpointId = await touchpointWithEvaAdded();
    const edit = (editId: string, notify: 'new' | 'all') =>
      store.db.transaction().execute((trx) =>
        afterEdit(trx, deps, {
          workspaceId: 'acme',
          touchpointId,
          editId,
          editor: 'jill@acme.com',
          notify,
          addedParticipants: ['eva@globex.com' as Email],
          contentChanged: true,
        }),
      );
    await edit('edit-1', 'new');
    await edit('edit-1', 'new'); // the same edit again: still one notice
    await edit('edit-2', 'all');
    await edit('edit-3', 'none' as 'new'); // 'none' is not a recipient set
    expect((await notices()).map((n) => n.key)).toEqual(['notice:edit:edit-1', 'notice:edit:edit-2']);

    await worker().processBatch();
    expect(sink.messages.map((m) => m.rcptTo)).toEqual([
      ['eva@globex.com'],
      ['bob@globex.com', 'eva@globex.com'],
    ]);
    const sent = sink.messages[0];
    expect(sent?.mailFrom).toBe('');
    expect(sent?.header('auto-submitted')).toBe('auto-generated');
    expect(sent?.header('reply-to')).toBe('jill@acme.com');
    expect(sent?.parsed.subject).toBe('Touchpoint updated by jill@acme.com — "Renewal next steps"');
    expect(sent?.parsed.text).toContain("As agreed, I'll send the renewal quote by Friday.");
    expect(sent?.parsed.text).toContain(`https://touchmail.acme.test/#/touchpoints/${touchpointId}`);
  });

  it('sends an edit notice to the recipients that take it and keeps who refused it, without sending again', async () => {
    const touchpointId = await touchpointWithEvaAdded();
    await store.db.transaction().execute((trx) =>
      afterEdit(trx, deps, {
        workspaceId: 'acme',
        touchpointId,
        editId: 'edit-partial',
        editor: 'jill@acme.com',
        notify: 'all',
        addedParticipants: ['eva@globex.com' as Email],
        contentChanged: true,
      }),
    );
    sink.refusedRecipients.set('bob@globex.com', 550);
    await worker().processBatch();
    expect(sink.messages.map((m) => m.rcptTo)).toEqual([['eva@globex.com']]);
    const [row] = await notices();
    expect(row?.status).toBe('sent');
    expect(row?.last_error).toMatch(/^refused by bob@globex\.com: .*550/);
    await worker().processBatch();
    expect(sink.messages).toHaveLength(1);
  });

  it('queues an edit notice again, on its own, for a recipient that refused it for now (4xx)', async () => {
    const touchpointId = await touchpointWithEvaAdded();
    await store.db.transaction().execute((trx) =>
      afterEdit(trx, deps, {
        workspaceId: 'acme',
        touchpointId,
        editId: 'edit-greylisted',
        editor: 'jill@acme.com',
        notify: 'all',
        addedParticipants: ['eva@globex.com' as Email],
        contentChanged: true,
      }),
    );
    sink.refusedRecipients.set('bob@globex.com', 450);
    await worker().processBatch();
    expect(sink.messages.map((m) => m.rcptTo)).toEqual([['eva@globex.com']]);
    // Both made at the same instant: by key.
    const first = (await notices()).sort((a, b) => a.key.localeCompare(b.key));
    expect(first.map((n) => [n.key, n.status])).toEqual([
      ['notice:edit:edit-greylisted', 'sent'],
      ['notice:edit:edit-greylisted:to:bob@globex.com', 'queued'],
    ]);
    expect(first[0]?.last_error).toMatch(
      /^refused by bob@globex\.com: .*450.*; queued again for bob@globex\.com$/,
    );

    sink.refusedRecipients.clear();
    now = new Date(FIXED_NOW.getTime() + 10 * 60 * 1000);
    await worker().processBatch();
    expect(sink.messages.map((m) => m.rcptTo)).toEqual([['eva@globex.com'], ['bob@globex.com']]);
    expect((await notices()).map((n) => n.status)).toEqual(['sent', 'sent']);
  });

  it('sends at most the configured number of notices per recipient per hour', async () => {
    const empty = () => mail({ from: 'Jill Hart <jill@acme.com>', subject: 'Re:', body: '' });
    for (let i = 0; i < 3; i++) await ingest(empty());
    await worker(2).processBatch();
    expect(sink.messages).toHaveLength(2);
    // Queued at the same instant: which one is the third is not defined.
    const rows = await notices();
    expect(rows.map((r) => r.status).sort()).toEqual(['cancelled', 'sent', 'sent']);
    expect(rows.find((r) => r.status === 'cancelled')?.last_error).toMatch(
      /^rate-limited: jill@acme.com had 2 notices in the last hour/,
    );

    now = new Date(FIXED_NOW.getTime() + 61 * 60 * 1000);
    await ingest(empty());
    await worker(2).processBatch();
    expect(sink.messages).toHaveLength(3);
  });

  it('tries again after a 4xx and gives up after a 5xx, keeping the error', async () => {
    sink.answers.push({ code: 451, message: '4.3.0 Try again later' });
    await ingest(readFixture('ambiguous-parent-child.eml'));
    const w = worker();
    await w.processBatch();
    expect(sink.messages).toEqual([]);
    const [queued] = await notices();
    expect(queued).toMatchObject({ status: 'queued', attempts: 1 });
    expect(queued?.last_error).toContain('451');
    expect(Date.parse(queued?.due_at ?? '')).toBeGreaterThan(now.getTime());
    expect(await w.processBatch()).toBe(0); // not due yet

    now = new Date(FIXED_NOW.getTime() + 2 * 60 * 60 * 1000);
    expect(await w.processBatch()).toBe(1);
    expect(sink.messages).toHaveLength(1);
    expect((await notices())[0]).toMatchObject({ status: 'sent', attempts: 2 });

    sink.answers.push({ code: 550, message: '5.1.1 No such user' });
    await ingest(mail({ from: 'Jill Hart <jill@acme.com>', subject: 'Re:', body: '' }));
    await w.processBatch();
    const failed = (await notices())[1];
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed?.last_error).toContain('550');
    now = new Date(now.getTime() + 24 * 60 * 60 * 1000);
    expect(await w.processBatch()).toBe(0);
    expect(sink.messages).toHaveLength(1);
  });

  it('never sends a notice twice when the worker dies mid-send, and still sends the ones it had not reached', async () => {
    await ingest(readFixture('ambiguous-parent-child.eml'));
    await ingest(mail({ from: 'Jill Hart <jill@acme.com>', subject: 'Re:', body: '' }));
    // A worker claims the first, hands it to the relay, and dies before recording anything.
    const first = await claimOutboxItem(
      store.db,
      store.capabilities,
      ['notice'],
      'dead:1',
      now,
      new Date(now.getTime() + 1000),
    );
    if (first === null) throw new Error('nothing claimed');
    expect(await handler().handle(first)).toMatchObject({ kind: 'done' });
    expect(sink.messages).toHaveLength(1);

    // Its lease runs out; the next worker finds the first abandoned mid-send, the second never tried.
    now = new Date(now.getTime() + 5000);
    const w = worker();
    await w.recover();
    expect(await w.processBatch()).toBe(1);
    expect(sink.messages.map((m) => m.rcptTo)).toEqual([['sam@acme.com'], ['jill@acme.com']]);
    const rows = await notices();
    expect(rows.map((r) => r.status)).toEqual(['failed', 'sent']);
    expect(rows[0]?.last_error).toMatch(/not sent again/);
  });

  it('sends a notice once when the store fails to record its delivery after the relay took it', async () => {
    await ingest(readFixture('ambiguous-parent-child.eml'));
    const fault = failFirstInsertInto('notice_sends');
    const faulty: Store = { ...store, db: store.db.withPlugin(fault) };
    expect(await worker(10, faulty).processBatch()).toBe(1);
    expect(fault.failed()).toBe(true);
    expect(sink.messages).toHaveLength(1);
    // The delivery is recorded after all (the rate limit counts it), and the notice is done.
    expect(await notices()).toMatchObject([{ status: 'sent', attempts: 1, last_error: null }]);
    const sends = await store.db.selectFrom('notice_sends').select('recipient').execute();
    expect(sends).toEqual([{ recipient: 'sam@acme.com' }]);

    now = new Date(now.getTime() + 24 * 60 * 60 * 1000);
    expect(await worker().processBatch()).toBe(0);
    expect(sink.messages).toHaveLength(1);
  });
});
