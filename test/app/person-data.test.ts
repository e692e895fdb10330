// A person's data (SPEC §11) on both stores: the export finds every record that holds an address, and
// after an erasure the address is in no column of any table (STYLE §15), while the touchpoints stay.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestMessage } from '../../src/app/ingest-message.js';
import { erasePerson, exportPerson } from '../../src/app/person-data.js';
import type { Email } from '../../src/domain/address.js';
import { enqueueOutbox } from '../../src/store/outbox-repository.js';
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

const PETER = 'peter@initech.com';

/** A stranger's mail with Peter in Cc: it fails (sender-not-a-user) and keeps its raw message. */
const STRANGER_CC_PETER = Buffer.from(
  [
    'From: Someone <someone@elsewhere.example>',
    `To: ${TOUCHPOINT_ADDRESS}`,
    'Cc: Peter Gibbons <Peter@Initech.com>',
    'Subject: Hello',
    'Date: Thu, 19 Nov 2026 15:04:05 +0000',
    'Message-ID: <stranger-cc@elsewhere.example>',
    '',
    'Hi.',
    '',
  ].join('\r\n'),
);

/** A later meeting note that names Peter, with a Message-ID of its own. */
const LATER_NOTE = Buffer.from(
  [
    'From: Jill Hart <jill@acme.com>',
    `To: ${TOUCHPOINT_ADDRESS}`,
    'Subject: Follow-up with peter@initech.com',
    'Date: Fri, 20 Nov 2026 10:00:00 +0000',
    'Message-ID: <later-note@mail.acme.com>',
    '',
    'More notes.',
    '',
  ].join('\r\n'),
);

describe.each(STORE_KINDS)('a person’s data on $name', (kind) => {
  let store: Store;
  let deps: ReturnType<typeof fixedDependencies>;
  beforeEach(async () => {
    store = await openFixtureStore(kind);
    deps = fixedDependencies(store);
  });
  afterEach(async () => {
    await store.close();
  });

  const ingest = (raw: Buffer) =>
    ingestMessage(deps, { raw, envelope: { mailFrom: null, rcptTo: [TOUCHPOINT_ADDRESS as Email] } }, 'cli');
  const context = () => {
    let next = 0;
    return {
      store,
      workspaceId: 'acme',
      actor: 'jill@acme.com',
      now: () => FIXED_NOW,
      newId: () => `erase-${++next}`,
    };
  };

  /** Peter as a participant (a forward), in a subject (a note), in a failed message and in a queued notice. */
  const seed = async () => {
    const forward = await ingest(readFixture('forward-attached.eml'));
    const note = await ingest(readFixture('note-subject.eml'));
    const failed = await ingest(STRANGER_CC_PETER);
    expect([forward.outcome.status, note.outcome.status, failed.outcome.status]).toEqual([
      'recorded',
      'recorded',
      'failed',
    ]);
    await enqueueOutbox(store.db, FIXED_NOW, {
      id: 'ob-1',
      workspaceId: 'acme',
      kind: 'notice',
      key: 'notice:edit:e-1',
      payload: { type: 'edit', to: [PETER], touchpointId: forward.outcome.touchpointId },
    });
    return { forward, note, failed };
  };

  it('exports every record that holds the address, in any casing', async () => {
    const { forward, note, failed } = await seed();
    const result = await exportPerson(context(), 'Peter@INITECH.com');
    if (!result.ok) throw new Error(result.message);
    const data = result.value;
    expect(data.email).toBe(PETER);
    expect(data.users.map((u) => u.id)).toEqual(['u-peter']);
    expect(data.memberships.length).toBeGreaterThan(0);
    expect(data.touchpoints.map((t) => t.id).sort()).toEqual(
      [forward.outcome.touchpointId, note.outcome.touchpointId].sort(),
    );
    expect(data.touchpoints.find((t) => t.id === forward.outcome.touchpointId)?.participant).toEqual({
      name: 'Peter Gibbons',
      side: 'external',
    });
    expect(data.inboundMessages.map((m) => m.id).sort()).toEqual(
      [forward.inboundId, note.inboundId, failed.inboundId].sort(),
    );
    expect(data.outboxItems.map((o) => o.id)).toEqual(['ob-1']);
  });

  it('erases the address from every table, keeping the touchpoints on their accounts', async () => {
    const { forward, note } = await seed();
    expect((await columnsHolding(store, PETER)).length).toBeGreaterThan(0);
    const result = await erasePerson(context(), PETER);
    if (!result.ok) throw new Error(result.message);
    expect(result.value).toMatchObject({
      users: 1,
      touchpoints: 2,
      participants: 1,
      inboundMessages: 3,
      outboxItems: 1,
    });

    expect(await columnsHolding(store, PETER)).toEqual([]);

    const touchpoints = await store.db
      .selectFrom('touchpoints')
      .select(['id', 'account_id', 'subject', 'inbound_id'])
      .where('id', 'in', [forward.outcome.touchpointId ?? '', note.outcome.touchpointId ?? ''])
      .orderBy('id')
      .execute();
    expect(touchpoints).toHaveLength(2);
    expect(touchpoints.map((t) => t.account_id)).toEqual(
      [forward.outcome, note.outcome]
        .sort((a, b) => ((a.touchpointId ?? '') < (b.touchpointId ?? '') ? -1 : 1))
        .map((o) => o.accountId),
    );
    expect(touchpoints.map((t) => t.inbound_id)).toEqual([null, null]);
    expect(touchpoints.find((t) => t.id === note.outcome.touchpointId)?.subject).toBe(
      'Call notes with [erased]',
    );
    const participants = await store.db
      .selectFrom('touchpoint_participants')
      .select(['email', 'name'])
      .where('touchpoint_id', '=', forward.outcome.touchpointId ?? '')
      .orderBy('position')
      .execute();
    expect(participants).toContainEqual({ email: '[erased]', name: '' });
    expect(participants.map((p) => p.email)).toContain('dev@initech.com');

    const audit = await store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'person.erase')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor: 'jill@acme.com', subject: null });
    expect(JSON.parse(audit.changes)).toEqual({ counts: { before: null, after: result.value } });
  });

  it('handles a later mail naming the person as a stranger’s', async () => {
    await seed();
    await erasePerson(context(), PETER);
    const later = await ingest(LATER_NOTE);
    expect(later.outcome).toMatchObject({ status: 'failed', reason: 'no-account' });
  });

  it('refuses what is not an email address, and answers zero counts for an unknown one', async () => {
    expect(await erasePerson(context(), 'not an address')).toMatchObject({ ok: false, problem: 'invalid' });
    const unknown = await erasePerson(context(), 'nobody@nowhere.example');
    expect(unknown).toMatchObject({ ok: true, value: { users: 0, touchpoints: 0, inboundMessages: 0 } });
  });
});
