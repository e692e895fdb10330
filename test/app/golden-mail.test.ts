// Golden tests: every real .eml under test/fixtures/mail goes through ingest; its outcome must equal the
// *.expected.json beside it. UPDATE_GOLDEN=1 rewrites the goldens; reviewers read the diff.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestMessage } from '../../src/app/ingest-message.js';
import type { Email } from '../../src/domain/address.js';
import type { Store } from '../../src/store/store.js';
import { STORE_KINDS } from '../support/stores.js';
import {
  FIXTURES,
  fixedDependencies,
  loadFixtureWorkspace,
  readFixture,
  TOUCHPOINT_ADDRESS,
} from '../support/workspace.js';

const dir = fileURLToPath(new URL('mail/', FIXTURES));
const messages = readdirSync(dir)
  .filter((f) => f.endsWith('.eml'))
  .sort();
const update = process.env.UPDATE_GOLDEN === '1';
const sqlite = STORE_KINDS[0];

describe('golden mail fixtures', () => {
  let store: Store;
  beforeEach(async () => {
    if (sqlite === undefined) throw new Error('no SQLite store kind');
    store = await sqlite.open();
    await loadFixtureWorkspace(store);
  });
  afterEach(async () => {
    await store.close();
  });

  it.each(messages)('%s', async (file) => {
    const { outcome } = await ingestMessage(
      fixedDependencies(store),
      { raw: readFixture(file), envelope: { mailFrom: null, rcptTo: [TOUCHPOINT_ADDRESS as Email] } },
      'cli',
    );
    const goldenPath = join(dir, file.replace(/\.eml$/, '.expected.json'));
    const actual = `${JSON.stringify(outcome, null, 2)}\n`;
    if (update || (!existsSync(goldenPath) && process.env.CI === undefined))
      writeFileSync(goldenPath, actual);
    expect(actual).toBe(readFileSync(goldenPath, 'utf8'));
  });
});
