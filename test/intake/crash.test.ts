// Durability: kill `touchmail start` (SIGKILL) while mail is pouring in, restart it, and find every
// message that got 250 recorded exactly once.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { cli } from '../support/cli.js';
import { killAtAThird, notRecordedOnce, sendEach, startNode } from '../support/node-process.js';
import { eventually } from '../support/service.js';
import { freePort } from '../support/smtp-client.js';
import { tempDir } from '../support/stores.js';
import { FIXTURES, TOUCHPOINT_ADDRESS } from '../support/workspace.js';

const CONNECTIONS = 8;
const MESSAGES = 480;

const message = (n: number) =>
  [
    'From: Jill Hart <jill@acme.com>',
    'To: Bob Stone <bob@globex.com>',
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
    const env = {
      TOUCHMAIL_DATABASE: `sqlite:${path}`,
      TOUCHMAIL_LOG_LEVEL: 'error',
      TOUCHMAIL_SMTP_MAX_CLIENTS_PER_IP: '100',
    };
    expect(cli(env)(['import', fileURLToPath(new URL('workspace.json', FIXTURES))]).status).toBe(0);
    const port = await freePort();
    const first = await startNode(env, port);
    children.push(first);

    const acknowledged = new Set<number>();
    const { next, killed } = killAtAThird(MESSAGES, acknowledged, () => first.kill('SIGKILL'));
    await Promise.all(
      Array.from({ length: CONNECTIONS }, () =>
        sendEach(port, next, message, TOUCHPOINT_ADDRESS, acknowledged, killed),
      ),
    );
    expect(killed()).toBe(true);
    expect(acknowledged.size).toBeGreaterThan(0);

    children.push(await startNode(env, port));
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
      expect(await notRecordedOnce(store.db, acknowledged, (n) => `mid:load-${n}@acme.com`)).toEqual({
        missing: [],
        duplicated: false,
      });
      const inbound = await store.db.selectFrom('inbound_messages').select(['status']).execute();
      expect(inbound.every((r) => r.status === 'recorded')).toBe(true);
    } finally {
      await store.close();
    }
  }, 120_000);
});
