// Several nodes on one PostgreSQL: two `touchmail start` processes share the work; one is killed midway;
// every message that got 250 from either is recorded exactly once.
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { cli } from '../support/cli.js';
import { killAtAThird, notRecordedOnce, sendEach, startNode } from '../support/node-process.js';
import { eventually } from '../support/service.js';
import { freePort } from '../support/smtp-client.js';
import { freshPostgresUrl } from '../support/stores.js';
import { FIXTURES, TOUCHPOINT_ADDRESS } from '../support/workspace.js';

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
    const [portA, portB] = [await freePort(), await freePort()];
    const [a, b] = await Promise.all([startNode(env, portA), startNode(env, portB)]);
    children.push(a, b);

    const acknowledged = new Set<number>();
    const { next, killed } = killAtAThird(MESSAGES, acknowledged, () => a.kill('SIGKILL'));
    await Promise.all([
      // Node a's senders stop when it dies: its share of what is left goes to node b's senders.
      ...Array.from({ length: CONNECTIONS_PER_NODE }, () =>
        sendEach(portA, next, message, TOUCHPOINT_ADDRESS, acknowledged, killed),
      ),
      ...Array.from({ length: CONNECTIONS_PER_NODE }, () =>
        sendEach(portB, next, message, TOUCHPOINT_ADDRESS, acknowledged),
      ),
    ]);
    expect(killed()).toBe(true);

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
      expect(await notRecordedOnce(store.db, acknowledged, (n) => `mid:node-${n}@acme.com`)).toEqual({
        missing: [],
        duplicated: false,
      });
      expect(await store.db.selectFrom('inbound_messages').select('status').distinct().execute()).toEqual([
        { status: 'recorded' },
      ]);
    } finally {
      await store.close();
    }
  }, 180_000);
});
