// Durability: kill `touchmail start` (SIGKILL) while mail is pouring in, restart it, and find every
// message that got 250 recorded exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { cli } from '../support/cli.js';
import { freePort, SmtpClient } from '../support/smtp-client.js';
import { tempDir } from '../support/stores.js';
import { FIXTURES, TOUCHPOINT_ADDRESS } from '../support/workspace.js';
import { eventually } from '../support/service.js';

const BIN = fileURLToPath(new URL('../../bin/touchmail.js', import.meta.url));
const CONNECTIONS = 8;
const PER_CONNECTION = 60;

const message = (n: number) =>
  [
    'From: Jill Hart <jill@acme.com>',
    `To: Bob Stone <bob@globex.com>`,
    `Subject: Load ${n}`,
    `Message-ID: <load-${n}@acme.com>`,
    'Date: Thu, 19 Nov 2026 15:04:05 +0000',
    '',
    `Message number ${n}.`,
    '',
  ].join('\r\n');

describe('crash safety', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  it('records every message that got 250 exactly once after a kill -9 and a restart', async () => {
    const path = join(tempDir(), 'crash.db');
    const env: Record<string, string> = {
      TOUCHMAIL_DATABASE: `sqlite:${path}`,
      TOUCHMAIL_LOG_LEVEL: 'error',
      TOUCHMAIL_SMTP_MAX_CLIENTS_PER_IP: '100',
    };
    expect(cli(env)(['import', fileURLToPath(new URL('workspace.json', FIXTURES))]).status).toBe(0);
    const smtpPort = await freePort();
    const start = async () => {
      const processEnv: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env))
        if (v !== undefined && !k.startsWith('TOUCHMAIL_')) processEnv[k] = v;
      const child = spawn(process.execPath, [BIN, 'start'], {
        env: { ...processEnv, ...env, TOUCHMAIL_SMTP_PORT: String(smtpPort), TOUCHMAIL_HTTP_PORT: '0' },
        stdio: 'ignore',
      });
      children.push(child);
      await eventually(async () => {
        try {
          const { client } = await SmtpClient.connect(smtpPort);
          await client.quit();
          return true;
        } catch {
          return undefined;
        }
      });
      return child;
    };

    const first = await start();
    const acknowledged = new Set<number>();
    let killed = false;
    const sender = async (c: number) => {
      let session: SmtpClient | null = null;
      for (let i = 0; i < PER_CONNECTION; i++) {
        const n = c * PER_CONNECTION + i;
        try {
          if (session === null || session.isClosed) {
            session = (await SmtpClient.connect(smtpPort)).client;
            await session.command('EHLO load.example');
          }
          const replies = await session.send('jill@acme.com', [TOUCHPOINT_ADDRESS], message(n));
          if (replies.at(-1)?.code === 250) acknowledged.add(n);
        } catch {
          session = null;
          if (killed) return;
        }
        if (!killed && acknowledged.size >= (CONNECTIONS * PER_CONNECTION) / 3) {
          killed = true;
          first.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, (_, c) => sender(c)));
    expect(killed).toBe(true);
    expect(acknowledged.size).toBeGreaterThan(0);

    await start();
    const store = await openStore({ kind: 'sqlite', path });
    try {
      await eventually(async () => {
        const queued = await store.db
          .selectFrom('inbound_messages')
          .select('id')
          .where('status', '=', 'queued')
          .execute();
        return queued.length === 0 ? true : undefined;
      }, 60_000);
      const touchpoints = await store.db
        .selectFrom('touchpoints')
        .select(['message_key'])
        .where('scenario', 'is not', null)
        .execute();
      const counts = new Map<string, number>();
      for (const t of touchpoints)
        counts.set(t.message_key ?? '', (counts.get(t.message_key ?? '') ?? 0) + 1);
      const missing = [...acknowledged].filter((n) => counts.get(`mid:load-${n}@acme.com`) !== 1);
      expect(missing).toEqual([]);
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
      const inbound = await store.db.selectFrom('inbound_messages').select(['status']).execute();
      expect(inbound.every((r) => r.status === 'recorded')).toBe(true);
    } finally {
      await store.close();
    }
  }, 120_000);
});
