// SPEC §4: R is To and Cc minus *every* touchpoint address — a mail sent to the touchpoint addresses of
// two workspaces is evaluated in each as if the other's address were not there.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importWorkspace } from '../../src/app/import-workspace.js';
import { InboundWorker } from '../../src/app/inbound-worker.js';
import type { Email } from '../../src/domain/address.js';
import { inboundRows } from '../../src/intake/accept.js';
import { createLogger } from '../../src/logger.js';
import { insertInbound } from '../../src/store/inbound-repository.js';
import type { Store } from '../../src/store/store.js';
import { participantsOf } from '../../src/store/touchpoint-repository.js';
import { STORE_KINDS } from '../support/stores.js';
import { FIXED_NOW, fixedDependencies, openFixtureStore, TOUCHPOINT_ADDRESS } from '../support/workspace.js';

const SUPPORT_ADDRESS = 'log@support.example';

/** A second workspace of the same installation: the support team, with Jill as a member. */
const SUPPORT_WORKSPACE = {
  workspace: { id: 'support', touchpointAddresses: [SUPPORT_ADDRESS], internalDomains: ['acme.com'] },
  logins: [{ email: 'jill@acme.com', name: 'Jill Hart', role: 'member' }],
  accounts: [{ id: 'globex-support', name: 'Globex (support)' }],
  users: [{ id: 'u-bob', email: 'bob@globex.com', name: 'Bob Stone' }],
  memberships: [{ userId: 'u-bob', accountId: 'globex-support', associatedAt: '2026-01-05T10:00:00Z' }],
};

/** Jill forwards Bob's mail to both teams' touchpoint addresses at once, both in To. */
const FORWARD_TO_BOTH = [
  'From: Jill Hart <jill@acme.com>',
  `To: ${TOUCHPOINT_ADDRESS}, Support log <${SUPPORT_ADDRESS}>`,
  'Subject: Fw: Outage on Tuesday',
  'Date: Thu, 19 Nov 2026 16:00:00 +0000',
  'Message-ID: <fw-both@mail.acme.com>',
  'Content-Type: multipart/mixed; boundary="b"',
  '',
  '--b',
  'Content-Type: text/plain',
  '',
  'For both teams.',
  '--b',
  'Content-Type: message/rfc822',
  '',
  'From: Bob Stone <bob@globex.com>',
  'To: Jill Hart <jill@acme.com>',
  'Subject: Outage on Tuesday',
  'Date: Thu, 19 Nov 2026 15:00:00 +0000',
  'Message-ID: <outage-tuesday@globex.com>',
  'Content-Type: text/plain',
  '',
  'Our portal was down for an hour.',
  '--b--',
  '',
].join('\r\n');

describe.each(STORE_KINDS)('one mail to two workspaces on $name', (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openFixtureStore(kind);
    const imported = await importWorkspace(store, SUPPORT_WORKSPACE, FIXED_NOW);
    if (!imported.ok) throw new Error(JSON.stringify(imported.problems));
  });
  afterEach(async () => {
    await store.close();
  });

  it('a forward to the touchpoint addresses of two workspaces is recorded in both', async () => {
    // As SMTP intake takes it: one transaction, one inbound message per workspace; one worker batch.
    let next = 0;
    const rows = inboundRows(
      Buffer.from(FORWARD_TO_BOTH),
      'jill@acme.com',
      new Map([
        [TOUCHPOINT_ADDRESS as Email, 'acme'],
        [SUPPORT_ADDRESS as Email, 'support'],
      ]),
      'smtp',
      FIXED_NOW,
      () => `in-${++next}`,
    );
    await insertInbound(store.db, ...rows);
    const worker = new InboundWorker(
      fixedDependencies(store),
      { owner: 'w', batchSize: 10, batchBytes: 1 << 20, leaseMs: 60_000, pollMs: 1000 },
      createLogger('silent'),
    );
    expect(await worker.processBatch()).toBe(2);

    const inbound = await store.db
      .selectFrom('inbound_messages')
      .select(['workspace_id', 'status', 'reason', 'touchpoint_id'])
      .orderBy('workspace_id')
      .execute();
    expect(inbound.map(({ workspace_id, status, reason }) => ({ workspace_id, status, reason }))).toEqual([
      { workspace_id: 'acme', status: 'recorded', reason: null },
      { workspace_id: 'support', status: 'recorded', reason: null },
    ]);
    const touchpoints = await store.db
      .selectFrom('touchpoints')
      .select(['workspace_id', 'id', 'account_id', 'scenario'])
      .where('scenario', 'is not', null)
      .orderBy('workspace_id')
      .execute();
    expect(
      touchpoints.map(({ workspace_id, account_id, scenario }) => ({ workspace_id, account_id, scenario })),
    ).toEqual([
      { workspace_id: 'acme', account_id: 'globex', scenario: 'forward' },
      { workspace_id: 'support', account_id: 'globex-support', scenario: 'forward' },
    ]);
    for (const tp of touchpoints) {
      const participants = await participantsOf(store.db, tp.workspace_id, tp.id);
      // Neither touchpoint address is a participant of either touchpoint.
      expect(participants.map((p) => `${p.email}:${p.side}`)).toEqual([
        'bob@globex.com:external',
        'jill@acme.com:internal',
      ]);
    }
  });
});
