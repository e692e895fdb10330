// Several nodes on one PostgreSQL: two `touchmail start` processes share the work; one is killed midway;
// every message that got 250 from either is recorded exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { cli } from '../support/cli.js';
import { eventually } from '../support/service.js';
import { freePort, SmtpClient } from '../support/smtp-client.js';
import { freshPostgresUrl } from '../support/stores.js';
import { FIXTURES, TOUCHPOINT_ADDRESS } from '../support/workspace.js';

const BIN = fileURLToPath(new URL('../../bin/touchmail.js', import.meta.url));
const PG = process.env.TOUCHMAIL_TEST_PG_URL;
const MESSAGES = 2000;
const CONNECTIONS_PER_NODE = 5;

const message = (n: number) =>
  [
    'From: Jill Hart <jill@acme.com>',
    'To: Bob Stone <bob@globex.com>',
    `Subject: Node load ${n}`,
    `Message-ID: <node-${n}@acme.com>`,
    'Date: Thu, 19 Nov 2026 15:04:05 +0000',
    '',
    `Message ${n}.`,
    '',
  ].join('\r\n');

describe.skipIf(PG === undefined)('two nodes on one PostgreSQL', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  it('shares the work, survives a node killed midway, and records each accepted message once', async () => {
    const database = await freshPostgresUrl(PG ?? '');
    const env = {
      TOUCHMAIL_DATABASE: database,
      TOUCHMAIL_LOG_LEVEL: 'error',
      TOUCHMAIL_SMTP_MAX_CLIENTS_PER_IP: '100',
    };
    expect(cli(env)(['import', fileURLToPath(new URL('workspace.json', FIXTURES))]).status).toBe(0);
    const baseEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && !k.startsWith('TOUCHMAIL_')) baseEnv[k] = v;
    const node = async () => {
      const port = await freePort();
      const child = spawn(process.execPath, [BIN, 'start'], {
        env: { ...baseEnv, ...env, TOUCHMAIL_SMTP_PORT: String(port), TOUCHMAIL_HTTP_PORT: '0' },
        stdio: 'ignore',
      });
      children.push(child);
      await eventually(async () => {
        try {
          await (await SmtpClient.connect(port)).client.quit();
          return true;
        } catch {
          return undefined;
        }
      }, 30_000);
      return { child, port };
    };
    const [a, b] = await Promise.all([node(), node()]);
    if (a === undefined || b === undefined) throw new Error('nodes did not start');

    const acknowledged = new Set<number>();
    let next = 0;
    let killed = false;
    const sender = async (port: number, mortal: boolean) => {
      let session: SmtpClient | null = null;
      for (let n = next++; n < MESSAGES; n = next++) {
        if (mortal && killed) return; // the dead node's share goes unsent
        try {
          if (session === null || session.isClosed) {
            session = (await SmtpClient.connect(port)).client;
            await session.command('EHLO load.example');
          }
          const replies = await session.send('jill@acme.com', [TOUCHPOINT_ADDRESS], message(n));
          if (replies.at(-1)?.code === 250) acknowledged.add(n);
        } catch {
          session = null;
        }
        if (!killed && acknowledged.size >= MESSAGES / 3) {
          killed = true;
          a.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all([
      ...Array.from({ length: CONNECTIONS_PER_NODE }, () => sender(a.port, true)),
      ...Array.from({ length: CONNECTIONS_PER_NODE }, () => sender(b.port, false)),
    ]);
    expect(killed).toBe(true);

    const store = await openStore({ kind: 'postgres', url: database });
    try {
      // Node b frees the dead node's leases (same host) and processes everything left.
      await eventually(async () => {
        const queued = await store.db
          .selectFrom('inbound_messages')
          .select('id')
          .where('status', '=', 'queued')
          .limit(1)
          .execute();
        return queued.length === 0 ? true : undefined;
      }, 90_000);
      const rows = await store.db
        .selectFrom('touchpoints')
        .select('message_key')
        .where('scenario', 'is not', null)
        .execute();
      const counts = new Map<string, number>();
      for (const r of rows) counts.set(r.message_key ?? '', (counts.get(r.message_key ?? '') ?? 0) + 1);
      expect([...acknowledged].filter((n) => counts.get(`mid:node-${n}@acme.com`) !== 1)).toEqual([]);
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
      const owners = await store.db.selectFrom('inbound_messages').select('status').distinct().execute();
      expect(owners).toEqual([{ status: 'recorded' }]);
    } finally {
      await store.close();
    }
  }, 180_000);
});
