// IMAP intake against a real Dovecot: mail is stored, then flagged \Seen; new mail arrives via IDLE; what
// was taken is tracked by UID and UIDVALIDITY (on both stores), so opened mail is taken too, nothing twice.
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapIntake } from '../../src/intake/imap/imap-intake.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { HAVE_DOVECOT, startDovecot, type Dovecot } from '../support/dovecot.js';
import { eventually, startTestService, type TestService } from '../support/service.js';
import { STORE_KINDS } from '../support/stores.js';
import {
  fixedDependencies,
  openFixtureStore,
  readFixture,
  TOUCHPOINT_ADDRESS,
} from '../support/workspace.js';

let mailboxCounter = 0;

describe.skipIf(!HAVE_DOVECOT)('IMAP intake (Dovecot)', () => {
  let dovecot: Dovecot;
  let mailbox: ImapFlow;
  beforeAll(async () => {
    dovecot = await startDovecot();
    mailbox = new ImapFlow({
      host: '127.0.0.1',
      port: dovecot.port,
      secure: false,
      auth: { user: dovecot.user, pass: dovecot.password },
      logger: false,
      connectionTimeout: 10_000,
    });
    await mailbox.connect();
  });
  afterAll(async () => {
    await mailbox.logout();
    dovecot.stop();
  });

  const seenFlags = async () => {
    const lock = await mailbox.getMailboxLock('INBOX');
    try {
      const flags: boolean[] = [];
      for await (const m of mailbox.fetch('1:*', { flags: true }))
        flags.push(m.flags?.has('\\Seen') ?? false);
      return flags;
    } finally {
      lock.release();
    }
  };

  it("stores the mailbox's messages, flags them only afterwards, and takes new mail as it arrives", async () => {
    await mailbox.append('INBOX', readFixture('bcc-plain.eml'));
    await mailbox.append('INBOX', readFixture('forward-gmail.eml'));
    let t: TestService | null = null;
    try {
      t = await startTestService({
        TOUCHMAIL_IMAP_URL: `imap://${dovecot.user}:${dovecot.password}@127.0.0.1:${dovecot.port}/INBOX`,
        TOUCHMAIL_IMAP_RCPT: TOUCHPOINT_ADDRESS,
      });
      const service = t;
      const processed = () =>
        service.store.db
          .selectFrom('inbound_messages')
          .select(['status', 'channel'])
          .where('status', '!=', 'queued')
          .execute();
      expect(
        await eventually(async () => ((await processed()).length === 2 ? processed() : undefined)),
      ).toEqual([
        { status: 'recorded', channel: 'imap' },
        { status: 'recorded', channel: 'imap' },
      ]);
      expect(
        await eventually(async () => ((await seenFlags()).every(Boolean) ? seenFlags() : undefined)),
      ).toEqual([true, true]);

      // New mail while connected: IDLE announces it long before the 60 s safety poll.
      await mailbox.append('INBOX', readFixture('note-subject.eml'));
      const rows = await eventually(
        async () => ((await processed()).length === 3 ? processed() : undefined),
        20_000,
      );
      expect(rows).toHaveLength(3);
    } finally {
      await t?.stop();
    }
  });

  describe.each(STORE_KINDS)('what was taken, on $name', (kind) => {
    /** A mailbox of its own, an intake reading it into a fresh store, and what that store holds. */
    const setUp = async () => {
      const name = `Touch-${kind.name}-${++mailboxCounter}`;
      await mailbox.mailboxCreate(name);
      const store = await openFixtureStore(kind);
      const intake = new ImapIntake(
        {
          messages: fixedDependencies(store),
          logger: createLogger('silent'),
          metrics: createMetrics(() => Promise.resolve(0)),
          onAccepted: () => undefined,
        },
        {
          url: new URL(`imap://${dovecot.user}:${dovecot.password}@127.0.0.1:${dovecot.port}/${name}`),
          rcpt: TOUCHPOINT_ADDRESS,
        },
      );
      const stored = async () =>
        (
          await store.db
            .selectFrom('inbound_messages')
            .select(['raw', 'channel'])
            .orderBy('received_at')
            .orderBy('id')
            .execute()
        ).map((r) => [subjectOf(r.raw), r.channel]);
      return { name, store, collect: () => intake.collect(mailbox), stored };
    };
    const subjectOf = (raw: Uint8Array) => /^Subject: (.*)$/m.exec(Buffer.from(raw).toString())?.[1]?.trim();
    const uidValidity = async (name: string) => {
      const status = await mailbox.status(name, { uidValidity: true });
      if (status === false) throw new Error(`no mailbox ${name}`);
      return status.uidValidity;
    };

    it('takes a message a person opened (\\Seen) before the first poll, and nothing twice', async () => {
      const { name, store, collect, stored } = await setUp();
      try {
        await mailbox.append(name, readFixture('bcc-plain.eml'), ['\\Seen']);
        expect(await collect()).toBe(1);
        await mailbox.append(name, readFixture('forward-gmail.eml'));
        expect(await collect()).toBe(1);
        expect(await collect()).toBe(0);
        expect(await stored()).toEqual([
          ['Renewal next steps', 'imap'],
          [subjectOf(readFixture('forward-gmail.eml')), 'imap'],
        ]);
      } finally {
        await store.close();
      }
    });

    it('takes a recreated mailbox (new UIDVALIDITY) again, without storing the same message twice', async () => {
      const { name, store, collect, stored } = await setUp();
      try {
        await mailbox.append(name, readFixture('bcc-plain.eml'));
        await mailbox.append(name, readFixture('forward-gmail.eml'));
        expect(await collect()).toBe(2);
        const before = await uidValidity(name);
        // Recreated: its UIDs start again at 1, under a new UIDVALIDITY.
        await mailbox.mailboxDelete(name);
        await mailbox.mailboxCreate(name);
        await mailbox.append(name, readFixture('bcc-plain.eml'));
        await mailbox.append(name, readFixture('note-subject.eml'));
        expect(await uidValidity(name)).not.toBe(before);
        expect(await collect()).toBe(1);
        expect(await collect()).toBe(0);
        expect(await stored()).toEqual([
          ['Renewal next steps', 'imap'],
          [subjectOf(readFixture('forward-gmail.eml')), 'imap'],
          [subjectOf(readFixture('note-subject.eml')), 'imap'],
        ]);
      } finally {
        await store.close();
      }
    });
  });
});
