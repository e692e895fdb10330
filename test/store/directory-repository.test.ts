// Contract: the SQL directory answers the account rules exactly as the in-memory one, on every store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importWorkspace } from '../../src/app/import-workspace.js';
import { resolveAccount } from '../../src/domain/resolve-account.js';
import { peopleKnownAs, sqlDirectory } from '../../src/store/directory-repository.js';
import type { Store } from '../../src/store/store.js';
import { cases, NOW, SENDER, summary } from '../domain/resolve-account.cases.js';
import { must, type DirectoryFixture } from '../support/memory-directory.js';
import { STORE_KINDS } from '../support/stores.js';

function toDocument(id: string, fixture: DirectoryFixture) {
  const memberships = fixture.memberships ?? [];
  const accountIds = new Set([
    ...memberships.map(([, a]) => a),
    ...(fixture.touchpoints ?? []).map(([, a]) => a),
  ]);
  return {
    workspace: { id },
    accounts: [...accountIds].map((a) => ({
      id: a,
      attributes: { touchpointDefaultBccEmail: fixture.defaultBcc?.includes(a) ?? false },
    })),
    users: Object.entries(fixture.users ?? {}).map(([uid, email]) => ({ id: uid, email })),
    memberships: memberships.map(([userId, accountId, associatedAt]) => ({
      userId,
      accountId,
      associatedAt,
    })),
    touchpoints: (fixture.touchpoints ?? []).map(([authorEmail, accountId, occurredAt]) => ({
      authorEmail,
      accountId,
      occurredAt,
    })),
  };
}

describe.each(STORE_KINDS)('SQL directory on $name', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await kind.open();
    for (const [i, c] of cases.entries()) {
      const result = await importWorkspace(store, toDocument(`case-${i}`, c.directory), NOW);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
    }
  });
  afterAll(async () => {
    await store.close();
  });

  it.each(cases.map((c, i) => ({ ...c, index: i })))(
    '$name',
    async ({ index, customers, sender, alias, expected }) => {
      const decision = await resolveAccount(
        {
          customerAddresses: customers.map(must),
          sender: {
            email: must(sender ?? SENDER),
            aliases: [must('jh@acme.com'), ...(alias === undefined ? [] : [must(alias)])],
          },
          now: NOW,
        },
        sqlDirectory(store.db, `case-${index}`),
      );
      expect(summary(decision)).toEqual(expected);
    },
  );
});

describe.each(STORE_KINDS)('people the directory knows on $name (issue 17)', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await kind.open();
    const result = await importWorkspace(
      store,
      {
        workspace: { id: 'names' },
        logins: [{ email: 'jill@acme.com', name: 'Jill Hart', role: 'admin', aliases: ['jh@acme.com'] }],
        accounts: [{ id: 'globex' }],
        users: [
          { id: 'u-bob', email: 'bob@globex.com', name: 'Bob Stone' },
          { id: 'u-bob-2', email: 'bob@globex.com', name: 'Robert Stone' },
        ],
        memberships: [],
      },
      NOW,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
  });
  afterAll(async () => {
    await store.close();
  });

  it('names a login by its address or alias, a user by email (the first by id), and no one else', async () => {
    const known = await peopleKnownAs(
      store.db,
      'names',
      ['jh@acme.com', 'jill@acme.com', 'bob@globex.com', 'ann@globex.com'].map(must),
    );
    expect(Object.fromEntries(known)).toEqual({
      'jh@acme.com': { email: 'jill@acme.com', name: 'Jill Hart', login: true },
      'jill@acme.com': { email: 'jill@acme.com', name: 'Jill Hart', login: true },
      'bob@globex.com': { email: 'bob@globex.com', name: 'Bob Stone', login: false },
    });
  });
});
