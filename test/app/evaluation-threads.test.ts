// Evaluation threads give the same evaluations as evaluation in the service's thread, on every store.
import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inProcessEvaluator } from '../../src/app/evaluate-batch.js';
import { EvaluationThreads } from '../../src/app/evaluation-threads.js';
import { getInboundByIds, insertInbound } from '../../src/store/inbound-repository.js';
import type { InboundMessageRow } from '../../src/store/schema.js';
import type { Store } from '../../src/store/store.js';
import { STORE_KINDS } from '../support/stores.js';
import {
  FIXED_NOW,
  FIXTURES,
  fixedDependencies,
  openFixtureStore,
  readFixture,
  TOUCHPOINT_ADDRESS,
} from '../support/workspace.js';

const MAIL = readdirSync(new URL('mail/', FIXTURES)).filter((f) => f.endsWith('.eml'));

describe.each(STORE_KINDS)('evaluation threads on $name', (kind) => {
  let store: Store;
  let threads: EvaluationThreads | null = null;
  beforeEach(async () => {
    store = await openFixtureStore(kind);
    // No DNS: the threads use the system resolver, the in-process side a stub.
    await store.db.updateTable('workspaces').set({ sender_auth_policy: 'off' }).execute();
  });
  afterEach(async () => {
    await threads?.close();
    threads = null;
    await store.close();
  });

  const enqueue = async (workspaceId = 'acme'): Promise<InboundMessageRow[]> => {
    const ids = MAIL.map((name) => `${workspaceId}-${name}`);
    await insertInbound(
      store.db,
      ...MAIL.map((name, i) => ({
        id: ids[i] ?? '',
        workspaceId,
        receivedAt: new Date(FIXED_NOW.getTime() + i),
        channel: 'smtp' as const,
        raw: readFixture(name),
        sha256: name,
        mailFrom: 'jill@acme.com',
        rcptTo: [TOUCHPOINT_ADDRESS],
      })),
    );
    return getInboundByIds(store.db, ids);
  };

  it('evaluates every fixture message as the service’s thread does, in the order given', async () => {
    const rows = await enqueue();
    threads = new EvaluationThreads(
      2,
      {
        database: store.database,
        maxMessageBytes: 25 * 1024 * 1024,
        authservId: 'mx.touchmail.test',
        dnsServers: [],
        connections: 2,
      },
      (error) => {
        throw error;
      },
    );
    const inThreads = await threads.evaluate(rows);
    const inProcess = await inProcessEvaluator(fixedDependencies(store)).evaluate(rows);
    expect(inThreads).toHaveLength(MAIL.length);
    expect(inThreads).toEqual(inProcess);
    expect(inThreads.filter((r) => r.ok && r.evaluation.draft !== null).length).toBeGreaterThan(5);
  });

  it('hands back an error for a message it cannot evaluate, and evaluates the rest', async () => {
    const [good] = await enqueue();
    if (good === undefined) throw new Error('no fixture');
    threads = new EvaluationThreads(
      1,
      {
        database: store.database,
        maxMessageBytes: 25 * 1024 * 1024,
        authservId: 'mx.touchmail.test',
        dnsServers: [],
        connections: 2,
      },
      (error) => {
        throw error;
      },
    );
    const [bad, fine] = await threads.evaluate([{ ...good, workspace_id: 'nowhere' }, good]);
    expect(bad?.ok).toBe(false);
    expect(bad?.ok === false && String(bad.error)).toMatch(/Workspace nowhere does not exist/);
    expect(fine?.ok).toBe(true);
  });
});
