// The MIME corpora of ten parsers (odd, malformed and torture-test messages): every file, whatever it
// holds, goes through the whole pipeline (dry run) and must get an outcome, never a crash or a hang.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMessage } from '../../src/app/ingest-message.js';
import type { Email } from '../../src/domain/address.js';
import type { Store } from '../../src/store/store.js';
import { CORPORA, HAVE_CORPORA } from '../support/corpora.js';
import { withCpuTime } from '../support/cpu-time.js';
import { fixedDependencies, openFixtureStore, TOUCHPOINT_ADDRESS } from '../support/workspace.js';

/**
 * Far above the slowest corpus message (docs/PERFORMANCE.md); only a hang or a blow-up exceeds it.
 * CPU milliseconds, not wall time: a busy machine must not fail it.
 */
const BOUND_MS = 5_000;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return /^(LICENSE|NOTICE)|\.(json|md)$/.test(name) ? [] : [path];
  });
}

const files = HAVE_CORPORA
  ? readdirSync(CORPORA)
      .filter((d) => d.startsWith('mime_'))
      .flatMap((d) => filesUnder(join(CORPORA, d)))
  : [];

describe.skipIf(!HAVE_CORPORA)('MIME corpora: every file gets an outcome', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openFixtureStore();
  });
  afterAll(async () => {
    await store.close();
  });

  it.each(files.map((path) => ({ path, name: relative(CORPORA, path) })))('$name', async ({ path }) => {
    const { result: outcome, cpuMs } = await withCpuTime(() =>
      resolveMessage(fixedDependencies(store), {
        raw: readFileSync(path),
        envelope: { mailFrom: null, rcptTo: [TOUCHPOINT_ADDRESS as Email] },
      }),
    );
    expect(['recorded', 'failed', 'ignored']).toContain(outcome.status);
    expect(cpuMs).toBeLessThan(BOUND_MS);
  });
});
