// SMTP intake on smtp-server (SPEC §2): only touchpoint addresses are accepted at RCPT TO (no open relay,
// no accept-then-bounce); the message is committed to the store before 250 is answered.
import type { Readable } from 'node:stream';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import { normalizeEmail, type Email } from '../../domain/address.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../metrics.js';
import type { NewInbound } from '../../store/inbound-repository.js';
import type { GroupCommitter } from '../group-commit.js';
import { inboundRows } from '../accept.js';

export interface SmtpIntakeOptions {
  readonly host: string;
  readonly port: number;
  /** Advertised with SIZE (RFC 1870) and enforced: larger messages get 552. */
  readonly maxMessageBytes: number;
  readonly maxClients: number;
  readonly maxClientsPerIp: number;
  /** A session silent this long is closed. */
  readonly idleTimeoutMs: number;
  /** Recipients per transaction; RFC 5321 §4.5.3.1.8 asks servers to take at least 100. */
  readonly maxRecipients: number;
  readonly tls: { readonly key: Buffer; readonly cert: Buffer } | null;
  /** The name in the greeting and in EHLO answers. */
  readonly hostname: string;
}

export interface SmtpIntakeDependencies {
  /** The workspace a touchpoint address belongs to, or null. */
  readonly workspaceOf: (address: Email) => Promise<string | null>;
  readonly committer: GroupCommitter;
  readonly newId: () => string;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Called after messages are committed (wakes the worker). */
  readonly onAccepted: (rows: readonly NewInbound[]) => void;
}

/** An SMTP reply as smtp-server sends it: an Error with a responseCode. */
function reply(code: number, text: string): Error & { responseCode: number } {
  return Object.assign(new Error(text), { responseCode: code });
}

export class SmtpIntake {
  readonly #server: SMTPServer;
  readonly #recipients = new Map<string, Map<Email, string>>();
  readonly #perIp = new Map<string, number>();
  /** Sessions counted in #perIp and the gauges (a refused connection is not). */
  readonly #counted = new Set<string>();

  constructor(
    private readonly deps: SmtpIntakeDependencies,
    private readonly options: SmtpIntakeOptions,
  ) {
    this.#server = new SMTPServer({
      name: options.hostname,
      banner: 'Touchmail touchpoint intake',
      size: options.maxMessageBytes,
      maxClients: options.maxClients,
      socketTimeout: options.idleTimeoutMs,
      closeTimeout: 30_000,
      authOptional: true,
      disabledCommands: ['AUTH'],
      logger: false,
      ...(options.tls === null ? { hideSTARTTLS: true } : { key: options.tls.key, cert: options.tls.cert }),
      onConnect: (session, callback) => callback(this.#connect(session)),
      onClose: (session) => this.#close(session),
      onMailFrom: (_address, session, callback) => {
        this.#recipients.delete(session.id); // a new transaction
        callback();
      },
      onRcptTo: (address, session, callback) => {
        this.#rcptTo(address, session).then(
          () => callback(),
          (error: Error) => callback(error),
        );
      },
      onData: (stream, session, callback) => {
        this.#data(stream, session).then(
          (text) => callback(null, text),
          (error: Error) => callback(error),
        );
      },
    });
    this.#server.on('error', (error) => deps.logger.warn({ err: error }, 'SMTP connection error'));
  }

  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.options.port, this.options.host, () => {
        this.#server.off('error', reject);
        const address = this.#server.server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : this.options.port);
      });
    });
  }

  /** Stops accepting connections and waits for open sessions (a DATA in progress finishes). */
  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #connect(session: SMTPServerSession): Error | undefined {
    const ip = session.remoteAddress;
    const open = this.#perIp.get(ip) ?? 0;
    if (open >= this.options.maxClientsPerIp) {
      this.deps.metrics.smtpRejectedTotal.inc({ code: '421' });
      return reply(421, '4.7.0 Too many connections from your address, try again later');
    }
    this.#perIp.set(ip, open + 1);
    this.#counted.add(session.id);
    this.deps.metrics.smtpSessions.inc();
    this.deps.metrics.smtpSessionsTotal.inc();
    return undefined;
  }

  #close(session: SMTPServerSession): void {
    this.#recipients.delete(session.id);
    if (!this.#counted.delete(session.id)) return;
    const left = (this.#perIp.get(session.remoteAddress) ?? 1) - 1;
    if (left <= 0) this.#perIp.delete(session.remoteAddress);
    else this.#perIp.set(session.remoteAddress, left);
    this.deps.metrics.smtpSessions.dec();
  }

  async #rcptTo(address: SMTPServerAddress, session: SMTPServerSession): Promise<void> {
    const recipients = this.#recipients.get(session.id) ?? new Map<Email, string>();
    if (recipients.size >= this.options.maxRecipients) {
      this.deps.metrics.smtpRejectedTotal.inc({ code: '452' });
      throw reply(452, '4.5.3 Too many recipients');
    }
    const email = normalizeEmail(address.address);
    let workspaceId: string | null;
    try {
      workspaceId = email === null ? null : await this.deps.workspaceOf(email);
    } catch (error) {
      this.deps.logger.error({ err: error }, 'recipient lookup failed');
      this.deps.metrics.smtpRejectedTotal.inc({ code: '451' });
      throw reply(451, '4.3.0 Temporary failure, try again later');
    }
    if (email === null || workspaceId === null) {
      this.deps.metrics.smtpRejectedTotal.inc({ code: '550' });
      throw reply(550, `5.1.1 <${address.address}>: no such touchpoint address here`);
    }
    recipients.set(email, workspaceId);
    this.#recipients.set(session.id, recipients);
  }

  async #data(stream: Readable & { sizeExceeded?: boolean }, session: SMTPServerSession): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += buffer.byteLength;
      if (size <= this.options.maxMessageBytes) chunks.push(buffer); // past the limit: read on, keep nothing
    }
    if (stream.sizeExceeded === true || size > this.options.maxMessageBytes) {
      this.deps.metrics.smtpRejectedTotal.inc({ code: '552' });
      throw reply(552, `5.3.4 Message too big: the limit is ${this.options.maxMessageBytes} bytes`);
    }
    const recipients = this.#recipients.get(session.id) ?? new Map<Email, string>();
    const mailFrom = session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address;
    const rows = inboundRows(
      Buffer.concat(chunks, size),
      mailFrom,
      recipients,
      'smtp',
      this.deps.now(),
      this.deps.newId,
      { ip: session.remoteAddress, helo: session.hostNameAppearsAs || null },
    );
    try {
      await this.deps.committer.submit(rows);
    } catch (error) {
      this.deps.logger.error({ err: error, session: session.id }, 'could not store an accepted message');
      this.deps.metrics.smtpRejectedTotal.inc({ code: '451' });
      throw reply(451, '4.3.0 Could not store the message, try again later');
    }
    this.deps.metrics.acceptedTotal.inc({ channel: 'smtp' }, rows.length);
    this.deps.onAccepted(rows);
    return `2.0.0 Accepted as ${rows.map((r) => r.id).join(', ')}`;
  }
}
