// Retention housekeeping (SPEC §11) on both stores: raw messages emptied and entries that recorded nothing
// deleted when their period ran out, in batches, while mail keeps flowing; two nodes at once delete each
// row once. What it leaves is checked in the tables (STYLE §15).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importWorkspace } from '../../src/app/import-workspace.js';
import { ingestMessage } from '../../src/app/ingest-message.js';
import { retentionBatch, retentionLoop, type RetentionCounts } from '../../src/app/retention.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import type { Email } from '../../src/domain/address.js';
import { openStore, type Store } from '../../src/store/store.js';
import { columnsHolding } from '../support/scan-tables.js';
import { eventually } from '../support/service.js';
import { STORE_KINDS } from '../support/stores.js';
import {
  FIXED_NOW,
  fixedDependencies,
  openFixtureStore,
  readFixture,
  TOUCHPOINT_ADDRESS,
} from '../support/workspace.js';

const DAY = 86_400_000;
const later = (days: number) => new Date(FIXED_NOW.getTime() + days * DAY);

describe.each(STORE_KINDS)('retention on $name', (kind) => {
  let store: Store;
  let deps: ReturnType<typeof fixedDependencies>;
  beforeEach(async () => {
    store = await openFixtureStore(kind);
    deps = fixedDependencies(store);
  });
  afterEach(async () => {
    await store.close();
  });

  const retain = async (rawRetentionDays: number | null, inboundRetentionDays: number | null) => {
    const result = await importWorkspace(
      store,
      { workspace: { id: 'acme', rawRetentionDays, inboundRetentionDays } },
      FIXED_NOW,
    );
    expect(result.ok).toBe(true);
  };
  const ingest = (fixture: string, run = deps) =>
    ingestMessage(
      run,
      { raw: readFixture(fixture), envelope: { mailFrom: null, rcptTo: [TOUCHPOINT_ADDRESS as Email] } },
      'cli',
    );
  const run = (now: Date, limit?: number, on: Store = store) =>
    retentionBatch({ db: on.db, capabilities: on.capabilities, now: () => now }, limit);
  const entries = () =>
    store.db
      .selectFrom('inbound_messages')
      .select(['id', 'status', 'raw_deleted_at'])
      .select((eb) => eb.fn('length', ['raw']).as('bytes'))
      .orderBy('id')
      .execute();

  it('empties raw messages once rawRetentionDays have passed since processing, the touchpoints kept', async () => {
    await retain(30, null);
    const { outcome } = await ingest('bcc-plain.eml');
    await ingest('no-account.eml');
    expect(await run(later(29))).toEqual({ raw: 0, inbound: 0 });
    expect(await run(later(30))).toEqual({ raw: 2, inbound: 0 });
    expect(await run(later(31))).toEqual({ raw: 0, inbound: 0 });
    for (const entry of await entries()) {
      expect(Number(entry.bytes)).toBe(0);
      expect(entry.raw_deleted_at).toBe(later(30).toISOString());
    }
    // The body lives on in the touchpoint only: the raw bytes are gone.
    const body = await columnsHolding(store, 'Thanks for the call');
    expect(body.length).toBeGreaterThan(0);
    expect(body.filter((column) => !column.startsWith('touchpoints.'))).toEqual([]);
    const tp = await store.db
      .selectFrom('touchpoints')
      .select('content_text')
      .where('id', '=', outcome.touchpointId ?? '')
      .executeTakeFirstOrThrow();
    expect(tp.content_text).toContain('renewal quote');
  });

  it('deletes the entries that recorded nothing after inboundRetentionDays (0: at the next run), keeping recorded and queued ones', async () => {
    await retain(null, 0);
    const recorded = await ingest('bcc-plain.eml');
    const failed = await ingest('no-account.eml');
    const ignored = await ingest('auto-reply.eml');
    expect([recorded.outcome.status, failed.outcome.status, ignored.outcome.status]).toEqual([
      'recorded',
      'failed',
      'ignored',
    ]);
    expect(await run(FIXED_NOW)).toEqual({ raw: 0, inbound: 2 });
    expect((await entries()).map((e) => e.id)).toEqual([recorded.inboundId]);
  });

  it('works in batches while mail keeps flowing', async () => {
    await retain(0, null);
    for (let i = 0; i < 5; i++) await ingest('no-account.eml');
    expect(await run(FIXED_NOW, 2)).toEqual({ raw: 2, inbound: 0 });
    // Mail arriving between two batches is processed as ever; once processed, it is due too.
    const between = await ingest('bcc-plain.eml');
    expect(between.outcome.status).toBe('recorded');
    expect(await run(FIXED_NOW, 2)).toEqual({ raw: 2, inbound: 0 });
    expect(await run(FIXED_NOW, 2)).toEqual({ raw: 2, inbound: 0 });
    expect(await run(FIXED_NOW, 2)).toEqual({ raw: 0, inbound: 0 });
    expect((await entries()).every((e) => Number(e.bytes) === 0)).toBe(true);
  });

  it('runs as a loop of its own, counted in touchmail_retention_deleted_total', async () => {
    await retain(0, null);
    await ingest('no-account.eml');
    const metrics = createMetrics(() => Promise.resolve(0));
    expect(await metrics.registry.metrics()).toContain('touchmail_retention_deleted_total{kind="raw"} 0');
    const loop = retentionLoop(
      { db: store.db, capabilities: store.capabilities, now: () => FIXED_NOW },
      createLogger('silent'),
      (counts) => {
        metrics.retentionDeletedTotal.inc({ kind: 'raw' }, counts.raw);
        metrics.retentionDeletedTotal.inc({ kind: 'inbound' }, counts.inbound);
      },
      50,
    );
    loop.start();
    try {
      await eventually(async () =>
        (await metrics.registry.metrics()).includes('touchmail_retention_deleted_total{kind="raw"} 1')
          ? true
          : undefined,
      );
      // Mail processed while the loop runs is taken at its next poll.
      await ingest('no-account.eml');
      await eventually(async () =>
        (await metrics.registry.metrics()).includes('touchmail_retention_deleted_total{kind="raw"} 2')
          ? true
          : undefined,
      );
    } finally {
      await loop.stop();
    }
  });

  it('two nodes running it at once delete every row once', async () => {
    await retain(null, 0);
    const total = 40;
    for (let i = 0; i < total; i++) await ingest('no-account.eml');
    const other = await openStore(store.database);
    try {
      const node = async (on: Store) => {
        const counts: RetentionCounts[] = [];
        for (;;) {
          const done = await run(FIXED_NOW, 3, on);
          if (done.inbound === 0) return counts;
          counts.push(done);
        }
      };
      const [a, b] = await Promise.all([node(store), node(other)]);
      const deleted = [...a, ...b].reduce((n, c) => n + c.inbound, 0);
      expect(deleted).toBe(total);
      expect(await entries()).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
