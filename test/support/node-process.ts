// `touchmail start` as a separate process (for kill -9 tests), and waiting for its SMTP port.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.js';
import { eventually } from './service.js';
import { SmtpClient } from './smtp-client.js';

const BIN = fileURLToPath(new URL('../../bin/touchmail.js', import.meta.url));

/**
 * Starts a node with `env` (and none of this process's TOUCHMAIL_* variables); resolves once SMTP answers.
 * HTTP is off unless `httpPort` is given.
 */
export async function startNode(
  env: Record<string, string>,
  smtpPort: number,
  httpPort = 0,
): Promise<ChildProcess> {
  const inherited: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('TOUCHMAIL_')) inherited[k] = v;
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: {
      ...inherited,
      ...env,
      TOUCHMAIL_SMTP_PORT: String(smtpPort),
      TOUCHMAIL_HTTP_PORT: String(httpPort),
    },
    stdio: 'ignore',
  });
  await eventually(async () => {
    try {
      await (await SmtpClient.connect(smtpPort)).client.quit();
      return true;
    } catch {
      return undefined;
    }
  }, 30_000);
  return child;
}

/** Sends `message(n)` for each n handed out by `next`, on one reused session; returns the n that got 250. */
export async function sendEach(
  port: number,
  next: () => number | null,
  message: (n: number) => string,
  rcpt: string,
  acknowledged: Set<number>,
  stop: () => boolean = () => false,
): Promise<void> {
  let session: SmtpClient | null = null;
  for (let n = next(); n !== null; n = next()) {
    if (stop()) return;
    try {
      if (session === null || session.isClosed) {
        session = (await SmtpClient.connect(port)).client;
        await session.command('EHLO load.example');
      }
      const replies = await session.send('jill@acme.com', [rcpt], message(n));
      if (replies.at(-1)?.code === 250) acknowledged.add(n);
    } catch {
      session = null;
    }
  }
  await session?.quit();
}

/**
 * Hands out message numbers 0…total-1; once a third of them got 250, calls `kill` (once). `killed()`
 * says whether it has.
 */
export function killAtAThird(total: number, acknowledged: ReadonlySet<number>, kill: () => void) {
  let sent = 0;
  let killed = false;
  return {
    next: (): number | null => {
      if (!killed && acknowledged.size >= total / 3) {
        killed = true;
        kill();
      }
      return sent < total ? sent++ : null;
    },
    killed: () => killed,
  };
}

/** The message numbers among `acknowledged` that do not have exactly one touchpoint, and whether any key has several. */
export async function notRecordedOnce(
  db: Kysely<Database>,
  acknowledged: ReadonlySet<number>,
  keyOf: (n: number) => string,
): Promise<{ missing: number[]; duplicated: boolean }> {
  const rows = await db
    .selectFrom('touchpoints')
    .select('message_key')
    .where('scenario', 'is not', null)
    .execute();
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.message_key ?? '', (counts.get(r.message_key ?? '') ?? 0) + 1);
  return {
    missing: [...acknowledged].filter((n) => counts.get(keyOf(n)) !== 1),
    duplicated: [...counts.values()].some((c) => c !== 1),
  };
}
