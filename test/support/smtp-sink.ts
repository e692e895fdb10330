// A real SMTP server (smtp-server) that keeps what it is sent, for tests of outbound notices: it records
// the envelope as the client sent it (MAIL FROM, RCPT TO) and the raw message, and answers each message
// as the test says — 250, or a 4xx/5xx reply — so retries and permanent failures run over the wire.
import PostalMime, { type Email as ParsedEmail } from 'postal-mime';
import { SMTPServer } from 'smtp-server';

export interface SinkMessage {
  /** MAIL FROM as sent: '' for the null reverse-path <>. */
  readonly mailFrom: string;
  readonly rcptTo: readonly string[];
  readonly raw: string;
  readonly parsed: ParsedEmail;
  /** A header's value as written in the raw message (unfolded), or undefined. */
  header(name: string): string | undefined;
}

/**
 * How the sink answers the end of DATA: accept, refuse with this reply code, or `hold` — take the whole
 * message and never answer (a relay that may or may not deliver it: the sender cannot know).
 */
export type SinkAnswer = 'accept' | 'hold' | { readonly code: number; readonly message: string };

export class SmtpSink {
  readonly messages: SinkMessage[] = [];
  /** Answers for the next messages, in order; once empty, every message is accepted. */
  readonly answers: SinkAnswer[] = [];
  /** Recipients refused at RCPT TO, with the reply code (the message still goes to the others). */
  readonly refusedRecipients = new Map<string, 450 | 550>();
  /** How many messages were held (taken whole, never answered). */
  held = 0;
  #server: SMTPServer;
  #port = 0;

  constructor() {
    this.#server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        const code = this.refusedRecipients.get(address.address.toLowerCase());
        if (code === undefined) return callback();
        const text = code === 450 ? '4.2.0 Greylisted, try again later' : '5.1.1 No such mailbox here';
        callback(Object.assign(new Error(text), { responseCode: code }));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const answer = this.answers.shift() ?? 'accept';
          if (answer === 'hold') {
            this.held++;
            return;
          }
          if (answer !== 'accept') {
            callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const mailFrom = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
          const rcptTo = session.envelope.rcptTo.map((r) => r.address);
          PostalMime.parse(raw).then(
            (parsed) => {
              this.messages.push({ mailFrom, rcptTo, raw, parsed, header: (name) => headerOf(raw, name) });
              callback();
            },
            (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
          );
        });
      },
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const address = this.#server.server.address();
    this.#port = typeof address === 'object' && address !== null ? address.port : 0;
    return this;
  }

  get url(): URL {
    return new URL(`smtp://127.0.0.1:${this.#port}`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/** The value of the first header `name` in the header block of `raw`, unfolded (RFC 5322 §2.2.3). */
function headerOf(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const prefix = `${name.toLowerCase()}:`;
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(prefix));
  return line?.slice(prefix.length).trim();
}
