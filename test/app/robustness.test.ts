// Every message is hostile (STYLE 8): a few hundred odd and malformed messages each get an outcome —
// never a crash or a hang — within a generous time bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMessage } from '../../src/app/ingest-message.js';
import type { Email } from '../../src/domain/address.js';
import type { Store } from '../../src/store/store.js';
import { hostileMessages } from '../support/hostile-mail.js';
import { withCpuTime } from '../support/cpu-time.js';
import { fixedDependencies, openFixtureStore, TOUCHPOINT_ADDRESS } from '../support/workspace.js';

/**
 * Far above the worst case measured (see docs/PERFORMANCE.md); only a hang or a blow-up exceeds it.
 * CPU milliseconds, not wall time: a busy machine must not fail it.
 */
const BOUND_MS = 5_000;
const STATUSES = ['recorded', 'failed', 'ignored', 'pending'];

describe('hostile input', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openFixtureStore();
  });
  afterAll(async () => {
    await store.close();
  });

  it.each(hostileMessages(300))('$name gets an outcome', async ({ raw }) => {
    const { result: outcome, cpuMs } = await withCpuTime(() =>
      resolveMessage(fixedDependencies(store), {
        raw,
        envelope: { mailFrom: null, rcptTo: [TOUCHPOINT_ADDRESS as Email] },
      }),
    );
    expect(STATUSES).toContain(outcome.status);
    expect(outcome.trace.length).toBeGreaterThan(0);
    expect(cpuMs).toBeLessThan(BOUND_MS);
  });

  it('limits give too-large, with the limit named', async () => {
    const reasons = new Map<string, string | null>();
    for (const { name, raw } of hostileMessages(0)) {
      const outcome = await resolveMessage(fixedDependencies(store), {
        raw,
        envelope: { mailFrom: null, rcptTo: [TOUCHPOINT_ADDRESS as Email] },
      });
      reasons.set(name, outcome.reason);
    }
    expect(reasons.get('multipart nested 200 deep')).toBe('too-large');
    expect(reasons.get('2,000 parts')).toBe('too-large');
    expect(reasons.get('a 2 MiB header')).toBe('too-large');
    expect(reasons.get('1,000 recipients')).toBe('too-large');
  });
});
