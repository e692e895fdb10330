// At-most-once notices across a kill -9, on both stores: `touchmail start` is killed while the relay
// holds one notice (taken whole, never answered); only that one is uncertain and never sent again, the
// notices it had not reached are still queued and go out after the restart.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestMessage } from '../../src/app/ingest-message.js';
import type { Email } from '../../src/domain/address.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { noticeHandler } from '../../src/outbound/notices/notice-handler.js';
import { createNoticeTransport } from '../../src/outbound/notices/smtp-transport.js';
import { DEFAULT_OUTBOX_OPTIONS, OutboxWorker } from '../../src/outbound/outbox-worker.js';
import { openStore, type Store } from '../../src/store/store.js';
import { cli } from '../support/cli.js';
import { startNode } from '../support/node-process.js';
import { eventually } from '../support/service.js';
import { freePort } from '../support/smtp-client.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { freshPostgresUrl, STORE_KINDS, tempDir } from '../support/stores.js';
import { FIXTURES, fixedDependencies, TOUCHPOINT_ADDRESS } from '../support/workspace.js';

const NOTICES = 4;
const logger = createLogger('silent');

/** An empty message from Jill: it fails `empty-message`, and Jill is told (one notice each). */
const emptyMail = (n: number) =>
  Buffer.from(
    [
      'From: Jill Hart <jill@acme.com>',
      `Subject: Empty ${n}`,
      `Message-ID: <empty-${n}-${randomUUID()}@acme.com>`,
      'Date: Mon, 07 Dec 2026 10:00:00 +0000',
      '',
      '',
    ].join('\r\n'),
  );

describe.each(STORE_KINDS)('notices across a kill -9 on $name', (kind) => {
  const children: ChildProcess[] = [];
  const closing: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    for (const close of closing.splice(0)) await close();
  });

  it('fails only the notice in flight and sends the ones the dead node had not reached', async () => {
    const database =
      kind.name === 'sqlite'
        ? `sqlite:${join(tempDir(), 'touchmail.db')}`
        : await freshPostgresUrl(process.env.TOUCHMAIL_TEST_PG_URL ?? '');
    const env = { TOUCHMAIL_DATABASE: database, TOUCHMAIL_LOG_LEVEL: 'error' };
    expect(cli(env)(['import', fileURLToPath(new URL('workspace.json', FIXTURES))]).status).toBe(0);
    const store: Store = await openStore(
      kind.name === 'sqlite'
        ? { kind: 'sqlite', path: database.slice('sqlite:'.length) }
        : { kind: 'postgres', url: database },
    );
    closing.push(() => store.close());
    const deps = fixedDependencies(store, new Date());
    for (let n = 0; n < NOTICES; n++)
      await ingestMessage(
        deps,
        { raw: emptyMail(n), envelope: { mailFrom: null, rcptTo: [TOUCHPOINT_ADDRESS as Email] } },
        'cli',
      );
    const notices = () =>
      store.db
        .selectFrom('outbox')
        .select(['status', 'attempts', 'last_error'])
        .where('kind', '=', 'notice')
        .orderBy('due_at')
        .execute();
    expect(await notices()).toHaveLength(NOTICES);

    // The relay takes the first notice whole and never answers; the node is killed meanwhile.
    const sink = await new SmtpSink().start();
    closing.push(() => sink.close());
    sink.answers.push('hold');
    const node = await startNode({ ...env, TOUCHMAIL_OUTBOUND_SMTP: sink.url.href }, await freePort());
    children.push(node);
    await eventually(() => Promise.resolve(sink.held === 1 ? true : undefined), 30_000);
    node.kill('SIGKILL');
    await new Promise((resolve) => node.once('exit', resolve));

    const statuses = (await notices()).map((r) => [r.status, r.attempts]);
    expect(statuses.filter(([s]) => s === 'sending')).toEqual([['sending', 1]]);
    expect(statuses.filter(([s]) => s === 'queued')).toEqual(
      Array.from({ length: NOTICES - 1 }, () => ['queued', 0]),
    );

    // The next worker, once the dead node's lease ran out: the held notice is not sent again.
    const later = new Date(Date.now() + DEFAULT_OUTBOX_OPTIONS.leaseMs + 1000);
    const worker = new OutboxWorker(
      store,
      [
        noticeHandler({
          store,
          transport: createNoticeTransport(sink.url),
          publicUrl: new URL('https://touchmail.acme.test/'),
          rateLimit: 10,
          now: () => later,
          newId: randomUUID,
          logger,
          metrics: createMetrics(() => Promise.resolve(0)),
        }),
      ],
      { ...DEFAULT_OUTBOX_OPTIONS, owner: 'test:after-crash' },
      logger,
      () => later,
    );
    await worker.recover();
    expect(await worker.processBatch()).toBe(NOTICES - 1);
    expect(sink.messages).toHaveLength(NOTICES - 1);
    const after = await notices();
    expect(after.map((r) => r.status).sort()).toEqual(['failed', 'sent', 'sent', 'sent']);
    expect(after.find((r) => r.status === 'failed')?.last_error).toMatch(/not sent again/);
  }, 90_000);
});
