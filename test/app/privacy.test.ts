// SPEC §11 on both stores, verified in the tables (STYLE §15): a never-logged message leaves its received
// time, sender, status and reason and nothing else; `no-body` keeps a touchpoint's headline, not its body.
import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importWorkspace } from '../../src/app/import-workspace.js';
import type { WorkspaceDocumentInput } from '../../src/app/workspace-document.js';
import { ingestMessage } from '../../src/app/ingest-message.js';
import type { Email } from '../../src/domain/address.js';
import type { Store } from '../../src/store/store.js';
import { columnsHolding } from '../support/scan-tables.js';
import { STORE_KINDS } from '../support/stores.js';
import {
  FIXED_NOW,
  fixedDependencies,
  openFixtureStore,
  readFixture,
  TOUCHPOINT_ADDRESS,
} from '../support/workspace.js';

describe.each(STORE_KINDS)('privacy rules on $name', (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openFixtureStore(kind);
  });
  afterEach(async () => {
    await store.close();
  });

  const settle = async (workspace: Omit<WorkspaceDocumentInput['workspace'], 'id'>) => {
    const result = await importWorkspace(store, { workspace: { id: 'acme', ...workspace } }, FIXED_NOW);
    expect(result.ok).toBe(true);
  };
  const ingest = (fixture: string) =>
    ingestMessage(
      fixedDependencies(store),
      { raw: readFixture(fixture), envelope: { mailFrom: null, rcptTo: [TOUCHPOINT_ADDRESS as Email] } },
      'cli',
    );
  const inboundRow = (id: string) =>
    store.db.selectFrom('inbound_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const count = async (table: 'touchpoints' | 'outbox') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  describe('never log', () => {
    it('ends a Bcc to a listed address ignored: never-log, its raw bytes and subject in no table', async () => {
      await settle({ neverLog: ['bob@globex.com'] });
      const directoryOnly = await columnsHolding(store, 'bob@globex.com');
      const history = await count('touchpoints');
      const { inboundId, outcome } = await ingest('bcc-plain.eml');
      expect(outcome).toMatchObject({
        status: 'ignored',
        reason: 'never-log',
        scenario: null,
        participants: [],
        subject: null,
        touchpointId: null,
      });
      expect(outcome.trace).toHaveLength(1);
      expect(await columnsHolding(store, 'Renewal next steps')).toEqual([]);
      expect(await columnsHolding(store, 'renewal quote')).toEqual([]);
      // Where the directory and the settings hold it, and nowhere else.
      expect(await columnsHolding(store, 'bob@globex.com')).toEqual(directoryOnly);
      expect(directoryOnly).not.toContain('inbound_messages.raw');
      expect(await columnsHolding(store, 'bcc-plain@mail.acme.com')).toEqual([]);
      const row = await inboundRow(inboundId);
      expect(row).toMatchObject({
        status: 'ignored',
        reason: 'never-log',
        from_address: 'jill@acme.com',
        raw_sha256: '',
        authentication: null,
        touchpoint_id: null,
      });
      expect(row.raw.byteLength).toBe(0);
      expect(row.raw_deleted_at).toBe(FIXED_NOW.toISOString());
      expect(await count('touchpoints')).toBe(history);
      expect(await count('outbox')).toBe(0);
    });

    it('counts a forwarded message’s participants, a listed domain covering its subdomains', async () => {
      await settle({ neverLog: ['initech.com'] });
      const directoryOnly = await columnsHolding(store, 'peter@initech.com');
      // forward-attached.eml: the forwarded mail is from peter@initech.com, Cc dev@initech.com.
      const { outcome } = await ingest('forward-attached.eml');
      expect(outcome).toMatchObject({ status: 'ignored', reason: 'never-log' });
      expect(await columnsHolding(store, 'Outage report')).toEqual([]);
      expect(await columnsHolding(store, 'peter@initech.com')).toEqual(directoryOnly);
      expect(await columnsHolding(store, 'dev@initech.com')).toEqual([]);
    });

    it('counts the addresses of a meeting note’s subject as its participants', async () => {
      await settle({ neverLog: ['initech.com'] });
      const { outcome } = await ingest('note-subject.eml');
      expect(outcome).toMatchObject({ status: 'ignored', reason: 'never-log' });
      expect(await columnsHolding(store, 'Call notes')).toEqual([]);
    });

    it('keeps nothing of a message the gates stop when a participant is listed', async () => {
      await settle({ neverLog: ['globex.com'] });
      // stranger.eml: a stranger's mail to bob@globex.com, which gate G2 stops.
      const { outcome } = await ingest('stranger.eml');
      expect(outcome).toMatchObject({ status: 'ignored', reason: 'never-log', subject: null });
      expect(await columnsHolding(store, 'mallory@evil.example')).toEqual(['inbound_messages.from_address']);
      expect(await count('outbox')).toBe(0);
    });

    it('logs mail whose external participants are not listed, a lookalike domain included', async () => {
      await settle({ neverLog: ['lobex.com', 'bob@globex.co'] });
      const { outcome } = await ingest('bcc-plain.eml');
      expect(outcome.status).toBe('recorded');
    });
  });

  it.runIf(kind.name === 'sqlite')(
    'leaves no byte of a never-logged message in the SQLite file, freed pages included',
    async () => {
      await settle({ neverLog: ['bob@globex.com'] });
      const marker = 'SECRET-7f3a9c';
      const raw = Buffer.from(
        [
          'From: Jill Hart <jill@acme.com>',
          'To: Bob Stone <bob@globex.com>',
          'Subject: Board matters',
          'Date: Thu, 19 Nov 2026 15:04:05 +0000',
          'Message-ID: <secret@mail.acme.com>',
          '',
          // Past a page: the bytes live in overflow pages, which a delete frees rather than rewrites.
          `${marker} `.repeat(4_000),
          '',
        ].join('\r\n'),
      );
      const { outcome } = await ingestMessage(
        fixedDependencies(store),
        { raw, envelope: { mailFrom: null, rcptTo: [TOUCHPOINT_ADDRESS as Email] } },
        'cli',
      );
      expect(outcome.reason).toBe('never-log');
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
      const database = store.database;
      if (database.kind !== 'sqlite') throw new Error('a SQLite store');
      for (const file of [database.path, `${database.path}-wal`])
        if (existsSync(file)) expect(readFileSync(file).includes(marker)).toBe(false);
    },
  );

  describe('storage no-body', () => {
    it('keeps subject, participants, dates, author and trace; no body, and the raw message is deleted', async () => {
      await settle({ storage: 'no-body' });
      const { inboundId, outcome } = await ingest('bcc-plain.eml');
      expect(outcome.status).toBe('recorded');
      const tp = await store.db
        .selectFrom('touchpoints')
        .selectAll()
        .where('id', '=', outcome.touchpointId ?? '')
        .executeTakeFirstOrThrow();
      expect(tp).toMatchObject({
        subject: 'Renewal next steps',
        author_email: 'jill@acme.com',
        occurred_at: '2026-11-19T15:04:05.000Z',
        content_text: '',
        content_visible: null,
        content_html: null,
        attachments: '[]',
      });
      expect(JSON.parse(tp.trace)).not.toEqual([]);
      const participants = await store.db
        .selectFrom('touchpoint_participants')
        .select('email')
        .where('touchpoint_id', '=', tp.id)
        .execute();
      expect(participants.map((p) => p.email).sort()).toEqual(['bob@globex.com', 'jill@acme.com']);
      expect(await columnsHolding(store, 'renewal quote')).toEqual([]);
      const row = await inboundRow(inboundId);
      expect(row.raw.byteLength).toBe(0);
      // Only never-log forgets the digest: duplicates of a no-body mail are still recognised.
      expect(row.raw_sha256).not.toBe('');
    });

    it('keeps no attachment names either', async () => {
      await settle({ storage: 'no-body' });
      const { outcome } = await ingest('rfc2231-attachment.eml');
      expect(outcome.status).toBe('recorded');
      expect(await columnsHolding(store, 'Globex.pdf')).toEqual([]);
      expect(await columnsHolding(store, 'offer is attached')).toEqual([]);
    });

    it('deletes the raw message of a failed one too, as soon as it is processed (SPEC §11)', async () => {
      await settle({ storage: 'no-body' });
      const { inboundId, outcome } = await ingest('no-account.eml');
      expect(outcome.status).toBe('failed');
      expect((await inboundRow(inboundId)).raw_deleted_at).not.toBeNull();
    });

    it('changes nothing of mail recorded before the switch', async () => {
      const { outcome } = await ingest('bcc-plain.eml');
      await settle({ storage: 'no-body' });
      const tp = await store.db
        .selectFrom('touchpoints')
        .select('content_text')
        .where('id', '=', outcome.touchpointId ?? '')
        .executeTakeFirstOrThrow();
      expect(tp.content_text).toContain('renewal quote');
    });
  });
});
