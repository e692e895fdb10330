// IMAP intake (SPEC §2.3): for teams whose touchpoint address is an ordinary mailbox. Unseen messages
// are stored durably, and only then flagged \Seen; new mail is noticed through IDLE, with a poll as a
// safety net. A crash between the two leaves the message unseen: it is stored again on restart, and the
// "same mail" rule records it once.
import { ImapFlow } from 'imapflow';
import type { MessageDependencies } from '../../app/dependencies.js';
import { normalizeEmail } from '../../domain/address.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../metrics.js';
import { insertInbound, type NewInbound } from '../../store/inbound-repository.js';
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

/** Messages fetched per round: bounds memory, since each is held until it is stored. */
const FETCH_BATCH = 50;
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

  /** Stores every unseen message of the mailbox, flagging each \Seen once committed; returns how many. */
  async collect(client: ImapFlow): Promise<number> {
    const mailbox = decodeURIComponent(this.options.url.pathname.replace(/^\//, '')) || 'INBOX';
    const rcpt = normalizeEmail(this.options.rcpt);
    const workspaceId =
      rcpt === null ? null : await workspaceIdByTouchpointAddress(this.deps.messages.store.db, rcpt);
    if (rcpt === null || workspaceId === null)
      throw new Error(
        `TOUCHMAIL_IMAP_RCPT ${this.options.rcpt} is not a touchpoint address of any workspace`,
      );
    let stored = 0;
    const lock = await client.getMailboxLock(mailbox);
    try {
      const uids = (await client.search({ seen: false }, { uid: true })) || [];
      for (let i = 0; i < uids.length; i += FETCH_BATCH) {
        for (const uid of uids.slice(i, i + FETCH_BATCH)) {
          const message = await client.fetchOne(String(uid), { source: true, envelope: true }, { uid: true });
          if (message === false || message.source === undefined) continue;
          const rows = inboundRows(
            message.source,
            message.envelope?.from?.[0]?.address ?? null,
            new Map([[rcpt, workspaceId]]),
            'imap',
            this.deps.messages.now(),
            this.deps.messages.newId,
          );
          await insertInbound(this.deps.messages.store.db, ...rows);
          await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
          this.deps.metrics.acceptedTotal.inc({ channel: 'imap' });
          this.deps.onAccepted(rows);
          stored++;
        }
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
