// Text a store cannot hold is made storable on the way in (SPEC §10), the same on both engines:
// PostgreSQL refuses NUL in text and lone surrogates have no UTF-8 form; SQLite would take both.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storableDate, storableKey, storableText } from '../../src/domain/storable.js';
import { getInbound, insertInbound } from '../../src/store/inbound-repository.js';
import type { Store } from '../../src/store/store.js';
import { STORE_KINDS } from '../support/stores.js';
import { openFixtureStore, TOUCHPOINT_ADDRESS } from '../support/workspace.js';

describe('storable values', () => {
  it.each([
    ['plain text', 'Renewal next steps', 'Renewal next steps'],
    ['NUL removed', 'Re\u0000newal', 'Renewal'],
    ['a lone high surrogate replaced', 'a\uD800b', 'a\uFFFDb'],
    ['a lone low surrogate replaced', 'a\uDFFFb', 'a\uFFFDb'],
    ['a pair kept', 'smile \uD83D\uDE00', 'smile \uD83D\uDE00'],
    ['a reversed pair replaced', '\uDE00\uD83D', '\uFFFD\uFFFD'],
  ])('%s', (_name, text, expected) => {
    expect(storableText(text)).toBe(expected);
  });

  it('keeps dates of years 1900 to 9999 and drops the others', () => {
    expect(storableDate('2026-11-19T15:04:05.000Z')).toBe('2026-11-19T15:04:05.000Z');
    expect(storableDate('0000-01-01T00:00:00.000Z')).toBeNull();
    expect(storableDate('+275760-09-13T00:00:00.000Z')).toBeNull();
    expect(storableDate('not a date')).toBeNull();
  });

  it('hashes long keys, exactly', () => {
    expect(storableKey('mid:', 'short@x')).toBe('mid:short@x');
    const long = 'm'.repeat(6000);
    expect(storableKey('mid:', long)).toMatch(/^mid:sha256:[0-9a-f]{64}$/);
    expect(storableKey('mid:', long)).toBe(storableKey('mid:', long));
    expect(storableKey('mid:', long)).not.toBe(storableKey('mid:', `${long}x`));
  });
});

describe.each(STORE_KINDS)('storable text on $name', (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openFixtureStore(kind);
  });
  afterEach(async () => {
    await store.close();
  });

  it('writes NUL and lone surrogates as storable text, and finds them again by the same text', async () => {
    await insertInbound(store.db, {
      id: 'in-\u0000nul',
      workspaceId: 'acme',
      receivedAt: new Date('2026-11-26T12:00:00Z'),
      channel: 'smtp',
      raw: Buffer.from('raw bytes stay as they are \u0000'),
      sha256: 'sha',
      mailFrom: 'jill\u0000@acme.com\uD800',
      rcptTo: [TOUCHPOINT_ADDRESS],
    });
    const row = await getInbound(store.db, 'acme', 'in-\u0000nul');
    expect(row).toMatchObject({ id: 'in-nul', mail_from: 'jill@acme.com\uFFFD' });
    expect(Buffer.from(row?.raw ?? []).toString()).toBe('raw bytes stay as they are \u0000');
  });
});
