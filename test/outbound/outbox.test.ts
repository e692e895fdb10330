// The outbox on both stores: one row per key, leased work, retries, permanent failures, items a
// crashed worker left mid-attempt (repeated only when the kind says that is safe; only the one in flight
// is uncertain), and late marks of a worker whose lease was taken over.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { OutboxWorker, type OutboxHandler, type OutboxResult } from '../../src/outbound/outbox-worker.js';
import {
  claimOutboxItem,
  enqueueOutbox,
  outboxByKey,
  requeueOutbox,
} from '../../src/store/outbox-repository.js';
import type { OutboxRow } from '../../src/store/schema.js';
import type { Store } from '../../src/store/store.js';
import { STORE_KINDS } from '../support/stores.js';
import { openFixtureStore } from '../support/workspace.js';

const logger = createLogger('silent');
const T0 = new Date('2026-11-26T12:00:00Z');

function handler(kind: 'notice' | 'salesforce', answers: OutboxResult[], safeToRepeat = false) {
  const seen: OutboxRow[] = [];
  const h: OutboxHandler = {
    kind,
    safeToRepeat,
    handle: (item) => {
      seen.push(item);
      return Promise.resolve(answers.shift() ?? { kind: 'done' });
    },
  };
  return { h, seen };
}

/** Waits until `check` holds (polling), or fails after 5 s. */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (const start = Date.now(); !(await check());) {
    if (Date.now() - start > 5_000) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(STORE_KINDS)('outbox on $name', (kind) => {
  let store: Store;
  let now: Date;
  beforeEach(async () => {
    store = await openFixtureStore(kind);
    now = T0;
  });
  afterEach(async () => {
    await store.close();
  });
  const worker = (handlers: OutboxHandler[], owner = 'test:1') =>
    new OutboxWorker(
      store,
      handlers,
      { owner, batchSize: 10, leaseMs: 60_000, pollMs: 50 },
      logger,
      () => now,
    );
  const item = (key: string, dueAt?: Date) => ({
    id: `id-${key}`,
    workspaceId: 'acme',
    kind: 'notice' as const,
    key,
    payload: { to: 'jill@acme.com' },
    ...(dueAt === undefined ? {} : { dueAt }),
  });

  it('keeps one row per key, however often it is enqueued', async () => {
    expect(await enqueueOutbox(store.db, now, item('k1'), item('k2'))).toBe(2);
    expect(await enqueueOutbox(store.db, now, { ...item('k1'), id: 'other' })).toBe(0);
    const rows = await store.db.selectFrom('outbox').select('key').orderBy('key').execute();
    expect(rows.map((r) => r.key)).toEqual(['k1', 'k2']);
  });

  it('carries out due items, retries temporary failures later and keeps permanent ones failed', async () => {
    await enqueueOutbox(
      store.db,
      now,
      item('ok'),
      item('temp'),
      item('perm'),
      item('later', new Date(T0.getTime() + 60_000)),
    );
    const answers: Record<string, OutboxResult> = {
      ok: { kind: 'done' },
      temp: { kind: 'retry', error: '451 try later' },
      perm: { kind: 'failed', error: '550 no such user' },
    };
    const seen: string[] = [];
    const w = worker([
      {
        kind: 'notice',
        safeToRepeat: false,
        handle: (i) => (seen.push(i.key), Promise.resolve(answers[i.key] ?? { kind: 'done' })),
      },
    ]);
    expect(await w.processBatch()).toBe(3);
    expect(seen.sort()).toEqual(['ok', 'perm', 'temp']);
    expect((await outboxByKey(store.db, 'ok'))?.status).toBe('sent');
    expect(await outboxByKey(store.db, 'perm')).toMatchObject({
      status: 'failed',
      last_error: '550 no such user',
    });
    const temp = await outboxByKey(store.db, 'temp');
    expect(temp).toMatchObject({ status: 'queued', attempts: 1, last_error: '451 try later' });
    expect(Date.parse(temp?.due_at ?? '')).toBeGreaterThan(T0.getTime());
    expect(await w.processBatch()).toBe(0); // nothing due yet
    now = new Date(T0.getTime() + 2 * 60 * 60 * 1000);
    answers.temp = { kind: 'done' };
    expect(await w.processBatch()).toBe(2); // temp and later
    expect((await outboxByKey(store.db, 'temp'))?.status).toBe('sent');
  });

  it('never repeats a notice a crashed worker left mid-send, but repeats an idempotent kind', async () => {
    await enqueueOutbox(store.db, now, item('notice-1'), { ...item('sf-1'), kind: 'salesforce' });
    // Two workers each claim one item and die before they record anything.
    const claim = (owner: string) =>
      claimOutboxItem(
        store.db,
        store.capabilities,
        ['notice', 'salesforce'],
        owner,
        now,
        new Date(T0.getTime() + 1000),
      );
    expect([(await claim('dead:1'))?.key, (await claim('dead:2'))?.key].sort()).toEqual(['notice-1', 'sf-1']);
    now = new Date(T0.getTime() + 5000);
    const notice = handler('notice', []);
    const sf = handler('salesforce', [], true);
    const w = worker([notice.h, sf.h]);
    await w.recover();
    await w.processBatch();
    expect(notice.seen).toHaveLength(0);
    expect(sf.seen.map((s) => s.key)).toEqual(['sf-1']);
    expect(await outboxByKey(store.db, 'notice-1')).toMatchObject({ status: 'failed' });
    expect((await outboxByKey(store.db, 'sf-1'))?.status).toBe('sent');
  });

  it('leaves the items a crashed worker had not reached queued: only the one in flight is uncertain', async () => {
    const keys = ['n1', 'n2', 'n3', 'n4'];
    await enqueueOutbox(store.db, now, ...keys.map((k, i) => item(k, new Date(T0.getTime() - 4000 + i))));
    // The worker sends n1, then dies while n2 is with the relay: its attempt never ends.
    const seen: string[] = [];
    const dying = worker([
      {
        kind: 'notice',
        safeToRepeat: false,
        handle: (i) => {
          seen.push(i.key);
          return i.key === 'n1' ? Promise.resolve({ kind: 'done' }) : new Promise<OutboxResult>(() => {});
        },
      },
    ]);
    void dying.processBatch();
    await until(() => seen.length === 2);
    const statuses = async () =>
      Object.fromEntries(
        await Promise.all(keys.map(async (k) => [k, (await outboxByKey(store.db, k))?.status] as const)),
      );
    expect(await statuses()).toEqual({ n1: 'sent', n2: 'sending', n3: 'queued', n4: 'queued' });
    expect((await outboxByKey(store.db, 'n3'))?.attempts).toBe(0);

    // Another worker, once the lease ran out: n2 is not sent again (it may have gone out); n3, n4 are.
    now = new Date(T0.getTime() + 61_000);
    const next = handler('notice', []);
    const w = worker([next.h], 'test:2');
    await w.recover();
    expect(await w.processBatch()).toBe(2);
    expect(next.seen.map((i) => i.key)).toEqual(['n3', 'n4']);
    expect(await statuses()).toEqual({ n1: 'sent', n2: 'failed', n3: 'sent', n4: 'sent' });
  });

  it('ignores a late outcome from a worker whose lease was taken over', async () => {
    await enqueueOutbox(store.db, now, { ...item('sf-slow'), kind: 'salesforce' });
    let answer: (result: OutboxResult) => void = () => {};
    const slow = worker([
      {
        kind: 'salesforce',
        safeToRepeat: true,
        handle: () => new Promise<OutboxResult>((resolve) => (answer = resolve)),
      },
    ]);
    const slowBatch = slow.processBatch();
    await until(async () => (await outboxByKey(store.db, 'sf-slow'))?.status === 'sending');
    // Its lease runs out; another worker takes the item over and carries it out.
    now = new Date(T0.getTime() + 61_000);
    const other = worker([handler('salesforce', [], true).h], 'test:2');
    await other.recover();
    expect(await other.processBatch()).toBe(1);
    expect(await outboxByKey(store.db, 'sf-slow')).toMatchObject({ status: 'sent', last_error: null });
    // The first worker comes back with its answer: it changes nothing.
    answer({ kind: 'failed', error: 'too late' });
    await slowBatch;
    expect(await outboxByKey(store.db, 'sf-slow')).toMatchObject({ status: 'sent', last_error: null });
  });

  it('requeues a done item for a re-sync', async () => {
    await enqueueOutbox(store.db, now, item('sync'));
    const w = worker([handler('notice', []).h]);
    await w.processBatch();
    await requeueOutbox(store.db, now, { ...item('sync'), payload: { v: 2 } });
    expect(await outboxByKey(store.db, 'sync')).toMatchObject({
      status: 'queued',
      attempts: 0,
      payload: '{"v":2}',
    });
  });
});
