// IMAP intake against a real Dovecot: unseen mail is stored, then flagged \Seen; new mail arrives via IDLE.
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_DOVECOT, startDovecot, type Dovecot } from '../support/dovecot.js';
import { eventually, startTestService, type TestService } from '../support/service.js';
import { readFixture, TOUCHPOINT_ADDRESS } from '../support/workspace.js';

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

  it('stores unseen messages, flags them only afterwards, and takes new mail as it arrives', async () => {
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
});
