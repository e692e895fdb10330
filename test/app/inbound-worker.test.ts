// The worker's leases on every store: batches, takeover of expired leases, retry after an error.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { InboundWorker } from '../../src/app/inbound-worker.js';
import {
  inProcessEvaluator,
  type BatchEvaluator,
  type EvaluationResult,
} from '../../src/app/evaluate-batch.js';
import type { Outcome } from '../../src/domain/outcome.js';
import type { InboundMessageRow } from '../../src/store/schema.js';
import { MAX_PROCESSING_ATTEMPTS, retryDelayMs } from '../../src/work/retry-policy.js';
import {
  claimQueued,
  insertInbound,
  releaseLeasesOfDeadProcesses,
} from '../../src/store/inbound-repository.js';
import type { Store } from '../../src/store/store.js';
import { setLoginReceipts } from '../../src/store/notice-repository.js';
import { noticeKey } from '../../src/outbound/notices/enqueue-notices.js';
import { STORE_KINDS } from '../support/stores.js';
import {
  fixedDependencies,
  readFixture,
  TOUCHPOINT_ADDRESS,
  openFixtureStore,
} from '../support/workspace.js';

const T0 = new Date('2026-11-26T12:00:00Z');

describe.each(STORE_KINDS)('inbound queue on $name', (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openFixtureStore(kind);
  });
  afterEach(async () => {
    await store.close();
  });
  const enqueue = async (ids: string[], lease?: { owner: string; until: Date }) => {
    const raw = readFixture('bcc-plain.eml');
    await insertInbound(
      store.db,
      ...ids.map((id, i) => ({
        id,
        workspaceId: 'acme',
        receivedAt: new Date(T0.getTime() + i),
        channel: 'smtp' as const,
        raw,
        sha256: id,
        mailFrom: 'jill@acme.com',
        rcptTo: [TOUCHPOINT_ADDRESS],
        ...(lease === undefined ? {} : { lease }),
      })),
    );
  };
  const newWorker = (deps = fixedDependencies(store, T0)) =>
    new InboundWorker(
      deps,
      { owner: 'w', batchSize: 10, batchBytes: 1 << 20, leaseMs: 60_000, pollMs: 1000 },
      createLogger('silent'),
    );
  const claim = (owner: string, at: Date, messages = 10, bytes = 1 << 20) =>
    claimQueued(store.db, store.capabilities, owner, at, new Date(at.getTime() + 60_000), {
      messages,
      bytes,
    });

  it('leases the oldest queued messages, each to one owner only', async () => {
    await enqueue(['m1', 'm2', 'm3']);
    const a = await claim('a', T0, 2);
    const b = await claim('b', T0, 2);
    expect(a.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(b.map((m) => m.id)).toEqual(['m3']);
  });

  it('stops a claim at its byte budget, a first message larger than the budget going alone', async () => {
    await enqueue(['m1', 'm2', 'm3', 'm4']);
    const size = readFixture('bcc-plain.eml').byteLength;
    expect((await claim('a', T0, 10, 1)).map((m) => m.id)).toEqual(['m1']);
    expect((await claim('b', T0, 10, 2 * size)).map((m) => m.id)).toEqual(['m2', 'm3']);
    expect((await claim('c', T0, 10, 2 * size + 1)).map((m) => m.id)).toEqual(['m4']);
  });

  it('takes over a lease that expired', async () => {
    await enqueue(['m1']);
    expect(await claim('a', T0)).toHaveLength(1);
    expect(await claim('b', new Date(T0.getTime() + 30_000))).toHaveLength(0);
    expect((await claim('b', new Date(T0.getTime() + 61_000))).map((m) => m.id)).toEqual(['m1']);
  });

  it('frees the leases of a dead process of this host at once', async () => {
    await enqueue(['m1'], { owner: 'host-a:999999', until: new Date(T0.getTime() + 600_000) });
    await enqueue(['m2'], { owner: 'host-a:1', until: new Date(T0.getTime() + 600_000) });
    expect(await releaseLeasesOfDeadProcesses(store.db, 'host-a', (pid) => pid === 1)).toBe(1);
    expect((await claim('b', T0)).map((m) => m.id)).toEqual(['m1']);
  });

  it('processes a batch and records each message once', async () => {
    await enqueue(['m1', 'm2']);
    const worker = newWorker();
    expect(await worker.processBatch()).toBe(2);
    const rows = await store.db
      .selectFrom('inbound_messages')
      .select(['id', 'status', 'reason', 'lease_owner'])
      .orderBy('id')
      .execute();
    // The same mail twice: recorded once, the second a duplicate of it.
    expect(rows).toEqual([
      { id: 'm1', status: 'recorded', reason: null, lease_owner: null },
      { id: 'm2', status: 'ignored', reason: 'duplicate', lease_owner: null },
    ]);
    expect(await worker.processBatch()).toBe(0);
  });

  it('queues the effects of every message of a batch, reading the settings they need once', async () => {
    await setLoginReceipts(store.db, 'acme', 'jill@acme.com', true, T0);
    const raw = readFixture('bcc-plain.eml').toString('utf8');
    await insertInbound(
      store.db,
      ...['m1', 'm2', 'm3'].map((id, i) => ({
        id,
        workspaceId: 'acme',
        receivedAt: new Date(T0.getTime() + i),
        channel: 'smtp' as const,
        // Another mail each (SPEC §6: Message-ID, and sender, minute and subject).
        raw: Buffer.from(
          raw
            .replace('<bcc-plain@mail.acme.com>', `<${id}@mail.acme.com>`)
            .replace('Subject: Renewal next steps', `Subject: Renewal step ${id}`),
        ),
        sha256: id,
        mailFrom: 'jill@acme.com',
        rcptTo: [TOUCHPOINT_ADDRESS],
      })),
    );
    const worker = newWorker();
    expect(await worker.processBatch()).toBe(3);
    const receipts = await store.db
      .selectFrom('outbox')
      .select('key')
      .where('kind', '=', 'notice')
      .orderBy('key')
      .execute();
    expect(receipts.map((r) => r.key)).toEqual(['m1', 'm2', 'm3'].map((id) => noticeKey.receipt(id)));
  });

  it('gives a message back with a retry time when processing fails', async () => {
    await enqueue(['m1']);
    // Ids run out when the touchpoint is to be written: recording throws like a broken dependency would.
    const newId = () => {
      throw new Error('id source broke');
    };
    const worker = newWorker({ ...fixedDependencies(store, T0), newId });
    expect(await worker.processBatch()).toBe(1);
    const row = await store.db
      .selectFrom('inbound_messages')
      .select(['status', 'lease_owner', 'last_error', 'attempts'])
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'queued', lease_owner: null, attempts: 1 });
    expect(row.last_error).toContain('id source broke');
  });

  /**
   * Evaluation as the service does it, but a message whose text says POISON throws as a parser bug would
   * (fault injection at the evaluator port: no real message makes a given bug once it is fixed).
   */
  const poisoning = (
    error: () => Error = () => new TypeError("Cannot read properties of undefined (reading 'trim')"),
  ) => {
    const real = inProcessEvaluator(fixedDependencies(store, T0));
    return {
      evaluate: async (rows: readonly InboundMessageRow[]) => {
        const results = await real.evaluate(rows);
        return rows.map((row, i): EvaluationResult => {
          const result = results[i];
          if (Buffer.from(row.raw).includes('POISON')) return { ok: false, error: error() };
          return result ?? { ok: false, error: new Error('missing') };
        });
      },
      close: () => Promise.resolve(),
    };
  };
  const enqueueMails = async (bodies: string[]) => {
    const raw = readFixture('bcc-plain.eml').toString('utf8');
    await insertInbound(
      store.db,
      ...bodies.map((body, i) => ({
        id: `m${i + 1}`,
        workspaceId: 'acme',
        receivedAt: new Date(T0.getTime() + i),
        channel: 'smtp' as const,
        raw: Buffer.from(
          raw
            .replace('<bcc-plain@mail.acme.com>', `<m${i + 1}@mail.acme.com>`)
            .replace('Thanks for the call.', body),
        ),
        sha256: `m${i + 1}`,
        mailFrom: 'jill@acme.com',
        rcptTo: [TOUCHPOINT_ADDRESS],
      })),
    );
  };
  const workerAt = (at: Date, evaluator: BatchEvaluator) =>
    new InboundWorker(
      fixedDependencies(store, at),
      { owner: 'w', batchSize: 10, batchBytes: 1 << 20, leaseMs: 60_000, pollMs: 1000 },
      createLogger('silent'),
      {},
      evaluator,
    );
  const statuses = async () =>
    await store.db
      .selectFrom('inbound_messages')
      .select(['id', 'status', 'reason', 'attempts'])
      .orderBy('id')
      .execute();

  it('records the rest of a batch in the same pass when one message of it fails', async () => {
    await enqueueMails(['First.', 'POISON.', 'Third.']);
    expect(await workerAt(T0, poisoning()).processBatch()).toBe(3);
    expect(await statuses()).toEqual([
      { id: 'm1', status: 'recorded', reason: null, attempts: 1 },
      { id: 'm2', status: 'queued', reason: null, attempts: 1 },
      { id: 'm3', status: 'recorded', reason: null, attempts: 1 },
    ]);
  });

  it('ends a message that fails the same way twice as failed: unprocessable, named in its trace, with a notice', async () => {
    await enqueueMails(['POISON.']);
    await workerAt(T0, poisoning()).processBatch();
    expect(await statuses()).toEqual([{ id: 'm1', status: 'queued', reason: null, attempts: 1 }]);
    // Not before its retry time; then once more, and the same error ends it.
    expect(await workerAt(new Date(T0.getTime() + 1_000), poisoning()).processBatch()).toBe(0);
    await workerAt(new Date(T0.getTime() + 60 * 60 * 1000), poisoning()).processBatch();
    expect(await statuses()).toEqual([{ id: 'm1', status: 'failed', reason: 'unprocessable', attempts: 2 }]);
    const row = await store.db.selectFrom('inbound_messages').select('outcome').executeTakeFirstOrThrow();
    const outcome = JSON.parse(row.outcome ?? '{}') as Outcome;
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'unprocessable',
      subject: 'Renewal next steps',
    });
    const detail = outcome.trace.map((t) => t.detail).join('\n');
    expect(detail).toContain("TypeError: Cannot read properties of undefined (reading 'trim')");
    expect(detail).not.toMatch(/\n\s+at /);
    const notices = await store.db.selectFrom('outbox').select('key').where('kind', '=', 'notice').execute();
    expect(notices.map((n) => n.key)).toEqual([noticeKey.failure('m1')]);
  });

  it('retries a passing error (the store busy) a few times before ending the message', async () => {
    await enqueueMails(['POISON.']);
    const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    let at = T0.getTime();
    for (let attempt = 1; attempt < MAX_PROCESSING_ATTEMPTS; attempt++) {
      await workerAt(new Date(at), poisoning(busy)).processBatch();
      expect(await statuses()).toEqual([{ id: 'm1', status: 'queued', reason: null, attempts: attempt }]);
      at += 2 * 60 * 60 * 1000;
    }
    await workerAt(new Date(at), poisoning(busy)).processBatch();
    expect(await statuses()).toMatchObject([{ status: 'failed', reason: 'unprocessable' }]);
  });

  it('backs off exponentially with jitter, capped at an hour', () => {
    expect(retryDelayMs(0, () => 1)).toBe(5_000);
    expect(retryDelayMs(3, () => 1)).toBe(40_000);
    expect(retryDelayMs(30, () => 1)).toBe(3_600_000);
    expect(retryDelayMs(3, () => 0)).toBe(20_000);
  });
});
