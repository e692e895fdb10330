// A small SMTP client that shows every reply code, for tests of the intake's protocol behaviour.
import { createServer, Socket } from 'node:net';

export interface SmtpReply {
  readonly code: number;
  readonly text: string;
}

export class SmtpClient {
  #buffer = '';
  #waiters: ((reply: SmtpReply) => void)[] = [];
  #replies: SmtpReply[] = [];
  #closed = false;
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.#receive(chunk));
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.#closed = true;
        // Whoever still waits for a reply gets code 0: the server hung up.
        for (const waiter of this.#waiters.splice(0)) waiter({ code: 0, text: 'connection closed' });
        resolve();
      }),
    );
    socket.on('error', () => undefined);
  }

  static async connect(port: number): Promise<{ client: SmtpClient; greeting: SmtpReply }> {
    const socket = new Socket();
    await new Promise<void>((resolve, reject) =>
      socket.connect(port, '127.0.0.1', resolve).once('error', reject),
    );
    const client = new SmtpClient(socket);
    return { client, greeting: await client.reply() };
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  #receive(chunk: string): void {
    this.#buffer += chunk;
    // A reply ends with a line "NNN text" (a space after the code); "NNN-text" lines continue it.
    for (;;) {
      const match = /(^|\r\n)(\d{3}) [^\r\n]*\r\n/.exec(this.#buffer);
      if (match === null) return;
      const end = match.index + match[0].length;
      const reply = { code: Number(match[2]), text: this.#buffer.slice(0, end).trim() };
      this.#buffer = this.#buffer.slice(end);
      const waiter = this.#waiters.shift();
      if (waiter === undefined) this.#replies.push(reply);
      else waiter(reply);
    }
  }

  reply(): Promise<SmtpReply> {
    const ready = this.#replies.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.#closed) return Promise.resolve({ code: 0, text: 'connection closed' });
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  async command(line: string): Promise<SmtpReply> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  /** Sends DATA, the message (dot-stuffed) and the final dot; returns the reply to the message. */
  async data(message: string | Buffer): Promise<SmtpReply> {
    const go = await this.command('DATA');
    if (go.code !== 354) return go;
    const text = Buffer.isBuffer(message) ? message.toString('latin1') : message;
    const stuffed = text.replace(/\r?\n/g, '\r\n').replace(/(^|\r\n)\./g, '$1..');
    this.socket.write(Buffer.from(`${stuffed}${stuffed.endsWith('\r\n') ? '' : '\r\n'}.\r\n`, 'latin1'));
    return this.reply();
  }

  async send(from: string, to: readonly string[], message: string | Buffer): Promise<SmtpReply[]> {
    const replies = [await this.command(`MAIL FROM:<${from}>`)];
    for (const rcpt of to) replies.push(await this.command(`RCPT TO:<${rcpt}>`));
    replies.push(await this.data(message));
    return replies;
  }

  async quit(): Promise<void> {
    if (!this.#closed) await this.command('QUIT').catch(() => undefined);
    this.socket.destroy();
  }
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}
