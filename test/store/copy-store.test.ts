// `touchmail migrate-store`: every row reaches the new store, to every store kind; a used target is refused.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ingestMessage } from '../../src/app/ingest-message.js';
import type { Email } from '../../src/domain/address.js';
import { copyStore } from '../../src/store/copy-store.js';
import { advanceImapCursor, imapCursor } from '../../src/store/imap-cursor-repository.js';
import { insertInbound } from '../../src/store/inbound-repository.js';
import { createToken } from '../../src/store/token-repository.js';
import { insertTouchpointEdit } from '../../src/store/touchpoint-edit-repository.js';
import { STORE_KINDS } from '../support/stores.js';
import {
  fixedDependencies,
  openFixtureStore,
  readFixture,
  TOUCHPOINT_ADDRESS,
} from '../support/workspace.js';

const SQLITE = STORE_KINDS[0];

describe.each(STORE_KINDS)('copying stores with $name', (kind) => {
  it('copies every table, raw messages included, and refuses a target that is not empty', async () => {
    const source = await openFixtureStore();
    const target = await kind.open();
    try {
      const { outcome } = await ingestMessage(
        fixedDependencies(source),
        {
          raw: readFixture('forward-attached.eml'),
          envelope: { mailFrom: null, rcptTo: [TOUCHPOINT_ADDRESS as Email] },
        },
        'cli',
      );
      await createToken(
        source.db,
        { workspaceId: 'acme', name: 't', role: 'admin', loginEmail: null },
        new Date(),
      );
      await insertTouchpointEdit(source.db, {
        id: 'edit-1',
        workspaceId: 'acme',
        touchpointId: outcome.touchpointId ?? '',
        editor: 'jill@acme.com',
        at: '2026-11-26T12:00:00.000Z',
        changes: { subject: { before: 'Outage report', after: 'Outage' } },
        participantsAdded: [],
        participantsRemoved: [],
        notify: 'none',
      });
      // UIDs are 32-bit unsigned: past a PostgreSQL integer.
      const cursor = { uidValidity: '3000000001', lastUid: 4_000_000_000 };
      await advanceImapCursor(source.db, 'acme', 'touch@imap.acme.example/INBOX', cursor, new Date());
      const counts = await copyStore(source.db, target.db);
      expect(counts).toMatchObject({
        workspaces: 1,
        users: 8,
        memberships: 10,
        inbound_messages: 1,
        touchpoints: 2,
        api_tokens: 1,
        touchpoint_edits: 1,
        imap_cursors: 1,
      });
      // Account health (SPEC §13) travels as kept: the day counts and each account's last touch.
      const health = (db: typeof source.db) =>
        db.selectFrom('accounts').select(['id', 'last_touch_at', 'last_touch_by']).orderBy('id').execute();
      expect(await health(target.db)).toEqual(await health(source.db));
      expect(counts['account_touch_days']).toBeGreaterThan(0);
      expect(await imapCursor(target.db, 'acme', 'touch@imap.acme.example/INBOX')).toEqual(cursor);
      const raw = await target.db.selectFrom('inbound_messages').select('raw').executeTakeFirstOrThrow();
      expect(Buffer.from(raw.raw).equals(readFixture('forward-attached.eml'))).toBe(true);
      const tp = await target.db
        .selectFrom('touchpoints')
        .selectAll()
        .where('id', '=', outcome.touchpointId ?? '')
        .executeTakeFirstOrThrow();
      expect(tp.subject).toBe('Outage report');
      await expect(copyStore(source.db, target.db)).rejects.toThrow(/not empty/);
    } finally {
      await source.close();
      await target.close();
    }
  });

  it('bounds each statement by bytes of raw message as well as by rows, both ways', async () => {
    // PostgreSQL refuses a message over 1 GB: 200 rows of 25 MB mail would be 5 GB. Here 3 MB messages
    // and a 5 MB budget: two to a statement (a row is taken while the bytes before it are under it).
    const raws = Array.from({ length: 5 }, () => randomBytes(3 * 1024 * 1024));
    const limits = { rows: 200, rawBytes: 5 * 1024 * 1024 };
    const source = await openFixtureStore(kind);
    const middle = await SQLITE?.open();
    const target = await kind.open();
    if (middle === undefined) throw new Error('no SQLite store kind');
    try {
      await insertInbound(
        source.db,
        ...raws.map((raw, i) => ({
          id: `big-${i}`,
          workspaceId: 'acme',
          receivedAt: new Date(Date.UTC(2026, 10, 26, 12, 0, i)),
          channel: 'smtp' as const,
          raw,
          sha256: `big-${i}`,
          mailFrom: 'jill@acme.com',
          rcptTo: [TOUCHPOINT_ADDRESS],
        })),
      );
      for (const [from, to] of [
        [source, middle],
        [middle, target],
      ] as const) {
        const statements: number[] = [];
        await copyStore(
          from.db,
          to.db,
          (table, copied) => {
            if (table === 'inbound_messages') statements.push(copied);
          },
          limits,
        );
        expect(statements).toEqual([2, 4, 5]);
      }
      const copied = await target.db
        .selectFrom('inbound_messages')
        .select(['id', 'raw'])
        .orderBy('id')
        .execute();
      expect(
        copied.map((r) => Buffer.from(r.raw).equals(raws[Number(r.id.slice(4))] ?? Buffer.alloc(0))),
      ).toEqual(raws.map(() => true));
    } finally {
      await source.close();
      await middle.close();
      await target.close();
    }
  });
});
