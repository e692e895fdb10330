// Every message ends well (SPEC §10), end to end: the hostile messages of test/support/hostile-mail.ts,
// mixed with healthy mail, go over real SMTP into `touchmail start` on each store. Every message that got
// a 250 reaches a final status within a minute, the queue gauge returns to 0, and the healthy mail is
// recorded within seconds: no hostile message holds it back. PostgreSQL refuses what SQLite takes (NUL,
// lone surrogates, long index keys), so both stores run.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/store.js';
import { cli } from '../support/cli.js';
import { hostileMessages } from '../support/hostile-mail.js';
import { startNode } from '../support/node-process.js';
import { eventually } from '../support/service.js';
import { freePort, SmtpClient } from '../support/smtp-client.js';
import { freshPostgresUrl, tempDir } from '../support/stores.js';
import { FIXTURES, TOUCHPOINT_ADDRESS } from '../support/workspace.js';

const PG = process.env.TOUCHMAIL_TEST_PG_URL;
const HEALTHY = 30;
const CONNECTIONS = 3;

const healthy = (n: number) =>
  [
    'From: Jill Hart <jill@acme.com>',
    'To: Bob Stone <bob@globex.com>',
    `Subject: Healthy ${n}`,
    `Message-ID: <healthy-${n}@acme.com>`,
    'Date: Thu, 19 Nov 2026 15:04:05 +0000',
    '',
    `Healthy message ${n}.`,
    '',
  ].join('\r\n');

const databases: { name: string; url: () => Promise<string> }[] = [
  { name: 'sqlite', url: () => Promise.resolve(`sqlite:${join(tempDir(), 'touchmail.db')}`) },
  ...(PG === undefined ? [] : [{ name: 'postgres', url: () => freshPostgresUrl(PG) }]),
];

describe.each(databases)('hostile and healthy mail over SMTP into touchmail start on $name', (database) => {
  const children: ChildProcess[] = [];
  const stores: Store[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    for (const store of stores.splice(0)) await store.close();
  });

  it('ends every accepted message, returns the queue to 0, and records the healthy mail within seconds', async () => {
    const url = await database.url();
    const env = {
      TOUCHMAIL_DATABASE: url,
      TOUCHMAIL_LOG_LEVEL: 'silent',
      TOUCHMAIL_SMTP_MAX_CLIENTS_PER_IP: '100',
      TOUCHMAIL_ADMIN_TOKEN: 'test-admin-token-0123456789',
    };
    expect(cli(env)(['import', fileURLToPath(new URL('workspace.json', FIXTURES))]).status).toBe(0);
    const [smtpPort, httpPort] = [await freePort(), await freePort()];
    children.push(await startNode(env, smtpPort, httpPort));
    const store = await openStore(
      url.startsWith('sqlite:')
        ? { kind: 'sqlite', path: url.slice('sqlite:'.length) }
        : { kind: 'postgres', url },
    );
    stores.push(store);

    // Hostile and healthy mail interleaved, over a few connections at once.
    const hostile = hostileMessages(60).map((m) => ({ name: m.name, raw: m.raw }));
    const all = hostile.flatMap((m, i) =>
      i < HEALTHY ? [m, { name: `healthy ${i}`, raw: healthy(i) }] : [m],
    );
    const accepted: string[] = [];
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        let client: SmtpClient | null = null;
        for (let i = next++; i < all.length; i = next++) {
          const message = all[i];
          if (message === undefined) continue;
          if (client === null || client.isClosed) {
            client = (await SmtpClient.connect(smtpPort)).client;
            await client.command('EHLO hostile.example');
          }
          const replies = await client.send('jill@acme.com', [TOUCHPOINT_ADDRESS], message.raw);
          if (replies.at(-1)?.code === 250) accepted.push(message.name);
          else await client.command('RSET');
        }
        await client?.quit();
      }),
    );
    expect(accepted.filter((name) => name.startsWith('healthy'))).toHaveLength(HEALTHY);
    expect(accepted.length).toBeGreaterThan(HEALTHY + 30);

    // Healthy mail: recorded within seconds, whatever the hostile mail beside it does.
    await eventually(async () => {
      const rows = await store.db
        .selectFrom('touchpoints')
        .select('subject')
        .where('subject', 'like', 'Healthy %')
        .execute();
      return rows.length === HEALTHY ? true : undefined;
    }, 20_000);
    const healthyMs = Date.now() - started;

    // Every accepted message: a final status within a minute; the gauge back to 0.
    await eventually(async () => {
      const body = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
      return body.includes('touchmail_inbound_queued 0') ? true : undefined;
    }, 60_000);
    const rows = await store.db.selectFrom('inbound_messages').select(['status', 'reason']).execute();
    expect(rows).toHaveLength(accepted.length);
    expect(rows.filter((r) => r.status === 'queued')).toEqual([]);
    expect(healthyMs).toBeLessThan(20_000 + 5_000);
  });
});
