// IMAP intake (SPEC §2.3): for teams whose touchpoint address is an ordinary mailbox. What was taken is
// tracked by UID (RFC 3501 §2.3.1.1), not by the \Seen flag, so a message a person opened before the
// poll is taken too: each message is stored in the transaction that advances the mailbox's cursor
// (UIDVALIDITY, last UID), so it counts as taken only once it is durably stored, and a crash takes it
// again from the cursor. Once stored it is flagged \Seen, for the people who read that mailbox; the flag
// decides nothing. A changed UIDVALIDITY means the mailbox was recreated: everything is taken again, and
// a message whose exact bytes were taken from IMAP before is skipped (the "same mail" rule of SPEC §6
// records any other copy once). New mail is noticed through IDLE, with a poll as a safety net.
import { ImapFlow } from 'imapflow';
import type { MessageDependencies } from '../../app/dependencies.js';
import { normalizeEmail } from '../../domain/address.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../metrics.js';
import { advanceImapCursor, imapCursor } from '../../store/imap-cursor-repository.js';
import { hasInboundFrom, insertInbound, type NewInbound } from '../../store/inbound-repository.js';
import { workspaceIdByTouchpointAddress } from '../../store/workspace-repository.js';
import { inboundRows } from '../accept.js';
import { IdleWait } from '../../work/idle-wait.js';

export interface ImapIntakeOptions {
  /** imap[s]://user:password@host:port/MAILBOX (MAILBOX defaults to INBOX). */
  readonly url: URL;
  /** The touchpoint address this mailbox receives: it routes the messages to their workspace. */
  readonly rcpt: string;
  /** Safety-net poll, in case an IDLE notification is lost. */
  readonly pollMs?: number;
}

export interface ImapIntakeDependencies {
  readonly messages: MessageDependencies;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly onAccepted: (rows: readonly NewInbound[]) => void;
}

const RECONNECT_MAX_MS = 60_000;

export class ImapIntake {
  #client: ImapFlow | null = null;
  #running = false;
  #loop: Promise<void> | null = null;
  /** Woken by the server's word of new mail (IDLE) and by stop. */
  readonly #idle = new IdleWait();

  constructor(
    private readonly deps: ImapIntakeDependencies,
    private readonly options: ImapIntakeOptions,
  ) {}

  start(): void {
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#idle.wake();
    await this.#client?.logout().catch(() => undefined);
    await this.#loop;
  }

  /**
   * Stores every message of the mailbox past its cursor, in UID order, each in the transaction that
   * advances the cursor, then flags it \Seen; returns how many it stored.
   */
  async collect(client: ImapFlow): Promise<number> {
    const url = this.options.url;
    const mailbox = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX';
    const rcpt = normalizeEmail(this.options.rcpt);
    const store = this.deps.messages.store;
    const workspaceId = rcpt === null ? null : await workspaceIdByTouchpointAddress(store.db, rcpt);
    if (rcpt === null || workspaceId === null)
      throw new Error(
        `TOUCHMAIL_IMAP_RCPT ${this.options.rcpt} is not a touchpoint address of any workspace`,
      );
    // The cursor's key: the mailbox on that server for that user (never the password).
    const key = `${decodeURIComponent(url.username)}@${url.host}/${mailbox}`;
    let stored = 0;
    const lock = await client.getMailboxLock(mailbox);
    try {
      if (client.mailbox === false) throw new Error(`IMAP mailbox ${mailbox} is not selected`);
      const uidValidity = client.mailbox.uidValidity.toString();
      const cursor = await imapCursor(store.db, workspaceId, key);
      if (cursor !== null && cursor.uidValidity !== uidValidity)
        this.deps.logger.warn(
          { mailbox: key, was: cursor.uidValidity, now: uidValidity },
          'IMAP UIDVALIDITY changed (the mailbox was recreated): taking every message again',
        );
      const after = cursor?.uidValidity === uidValidity ? cursor.lastUid : 0;
      // `N:*` also answers the highest UID when it is below N (RFC 3501 §6.4.8): filtered out.
      const found = (await client.search({ uid: `${after + 1}:*` }, { uid: true })) || [];
      const uids = found.filter((uid) => uid > after).sort((a, b) => a - b);
      // One message at a time: each is held in memory only until it is stored.
      for (const uid of uids) {
        const message = await client.fetchOne(String(uid), { source: true, envelope: true }, { uid: true });
        const rows =
          message === false || message.source === undefined
            ? [] // expunged meanwhile
            : inboundRows(
                message.source,
                message.envelope?.from?.[0]?.address ?? null,
                new Map([[rcpt, workspaceId]]),
                'imap',
                this.deps.messages.now(),
                this.deps.messages.newId,
              );
        const taken = await store.db.transaction().execute(async (trx) => {
          const fresh: NewInbound[] = [];
          for (const row of rows)
            if (!(await hasInboundFrom(trx, row.workspaceId, 'imap', row.sha256))) fresh.push(row);
          await insertInbound(trx, ...fresh);
          await advanceImapCursor(
            trx,
            workspaceId,
            key,
            { uidValidity, lastUid: uid },
            this.deps.messages.now(),
          );
          return fresh;
        });
        if (rows.length > 0) await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
        if (taken.length === 0) continue;
        this.deps.metrics.acceptedTotal.inc({ channel: 'imap' });
        this.deps.onAccepted(taken);
        stored++;
      }
    } finally {
      lock.release();
    }
    return stored;
  }

  async #run(): Promise<void> {
    let backoff = 1_000;
    while (this.#running) {
      const url = this.options.url;
      const client = new ImapFlow({
        host: url.hostname,
        port: url.port === '' ? (url.protocol === 'imaps:' ? 993 : 143) : Number(url.port),
        secure: url.protocol === 'imaps:',
        auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
        logger: false,
        // Enter IDLE soon after each round, so new mail is announced within a second or so.
        autoIdleDelay: 1_000,
      });
      this.#client = client;
      client.on('exists', () => this.#idle.wake());
      client.on('error', (error: unknown) => this.deps.logger.warn({ err: error }, 'IMAP connection error'));
      try {
        await client.connect();
        backoff = 1_000;
        while (this.#running && client.usable) {
          this.#idle.forget();
          await this.collect(client);
          await this.#idle.sleep(this.options.pollMs ?? 60_000);
        }
      } catch (error) {
        if (this.#running) this.deps.logger.error({ err: error }, 'IMAP intake failed; reconnecting');
      } finally {
        await client.logout().catch(() => undefined);
      }
      if (this.#running) await this.#idle.sleep(backoff);
      backoff = Math.min(RECONNECT_MAX_MS, backoff * 2);
    }
  }
}
