// Contract: importing workspace documents, on every store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importWorkspace } from '../../src/app/import-workspace.js';
import type { WorkspaceDocumentInput } from '../../src/app/workspace-document.js';
import { loadSettings } from '../../src/store/settings-repository.js';
import type { Store } from '../../src/store/store.js';
import { STORE_KINDS } from '../support/stores.js';

const NOW = new Date('2026-11-26T12:00:00Z');

const doc = (): WorkspaceDocumentInput => ({
  workspace: {
    id: 'acme',
    name: 'Acme Corp',
    touchpointAddresses: ['Touchpoints@Acme.example'],
    internalDomains: ['acme.com'],
    defaultFlow: 'Default',
    defaultReason: 'Check-in',
  },
  logins: [{ email: 'Jill@Acme.com', name: 'Jill Hart', role: 'admin', aliases: ['jh@acme.com'] }],
  accounts: [
    { id: 'acc-1', name: 'Globex', parentId: null, attributes: { touchpointDefaultBccEmail: true } },
    { id: 'acc-2', name: 'Globex EU', parentId: 'acc-1' },
  ],
  users: [{ id: 'u-1', email: 'Bob@Globex.com', name: 'Bob Stone' }],
  memberships: [{ userId: 'u-1', accountId: 'acc-1', associatedAt: '2026-01-05T10:00:00+01:00' }],
  touchpoints: [
    {
      accountId: 'acc-1',
      authorEmail: 'jill@acme.com',
      occurredAt: '2026-11-20T09:00:00Z',
      subject: 'Kick-off',
    },
  ],
});

describe.each(STORE_KINDS)('workspace import on $name', (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await kind.open();
  });
  afterEach(async () => {
    await store.close();
  });

  const count = async (
    table: 'logins' | 'accounts' | 'users' | 'memberships' | 'touchpoints' | 'login_aliases',
  ) => {
    const row = await store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };

  it('creates every record with normalized addresses and UTC dates', async () => {
    const result = await importWorkspace(store, doc(), NOW);
    expect(result).toMatchObject({ ok: true, summary: { workspaceId: 'acme', created: true, users: 1 } });
    const address = await store.db.selectFrom('touchpoint_addresses').selectAll().executeTakeFirstOrThrow();
    expect(address).toEqual({ address: 'touchpoints@acme.example', workspace_id: 'acme' });
    const user = await store.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    expect(user).toMatchObject({ email: 'bob@globex.com', email_domain: 'globex.com', name: 'Bob Stone' });
    const membership = await store.db.selectFrom('memberships').selectAll().executeTakeFirstOrThrow();
    expect(membership.associated_at).toBe('2026-01-05T09:00:00.000Z');
    const account = await store.db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', 'acc-1')
      .executeTakeFirstOrThrow();
    expect(account.default_bcc).toBe(1);
    expect(JSON.parse(account.attributes)).toEqual({ touchpointDefaultBccEmail: true });
    const alias = await store.db.selectFrom('login_aliases').selectAll().executeTakeFirstOrThrow();
    expect(alias).toMatchObject({ address: 'jh@acme.com', login_email: 'jill@acme.com' });
  });

  it('is idempotent: importing the same document again changes nothing but updates', async () => {
    await importWorkspace(store, doc(), NOW);
    const again = await importWorkspace(store, doc(), NOW);
    expect(again).toMatchObject({ ok: true, summary: { created: false } });
    expect([await count('logins'), await count('accounts'), await count('users')]).toEqual([1, 2, 1]);
    expect([await count('memberships'), await count('touchpoints'), await count('login_aliases')]).toEqual([
      1, 1, 1,
    ]);
  });

  it('updates records matched by id and replaces a login’s aliases', async () => {
    await importWorkspace(store, doc(), NOW);
    const result = await importWorkspace(
      store,
      {
        workspace: { id: 'acme' },
        logins: [{ email: 'jill@acme.com', name: 'Jill H.', aliases: ['jill.hart@acme.com'] }],
        users: [{ id: 'u-1', email: 'bob.stone@globex.com', name: 'Bob Stone' }],
      },
      NOW,
    );
    expect(result.ok).toBe(true);
    const user = await store.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    expect(user.email).toBe('bob.stone@globex.com');
    const aliases = await store.db.selectFrom('login_aliases').select('address').execute();
    expect(aliases).toEqual([{ address: 'jill.hart@acme.com' }]);
    const ws = await store.db.selectFrom('workspaces').selectAll().executeTakeFirstOrThrow();
    expect(ws.name).toBe('Acme Corp'); // a key left out keeps its stored value
    expect(await count('memberships')).toBe(1);
  });

  const login = (email: string) =>
    store.db
      .selectFrom('logins')
      .select(['name', 'role', 'active'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
  const account = (id: string) =>
    store.db
      .selectFrom('accounts')
      .select(['name', 'parent_id', 'attributes', 'default_bcc'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('keeps what a login leaves out: role, name, aliases and a deactivation stay as stored', async () => {
    await importWorkspace(store, doc(), NOW);
    await importWorkspace(
      store,
      { workspace: { id: 'acme' }, logins: [{ email: 'ann@acme.com', active: false }] },
      NOW,
    );
    const result = await importWorkspace(
      store,
      {
        workspace: { id: 'acme' },
        logins: [
          { email: 'jill@acme.com', aliases: ['jill.hart@acme.com'] },
          { email: 'ann@acme.com', name: 'Ann Lee' },
        ],
      },
      NOW,
    );
    expect(result.ok).toBe(true);
    expect(await login('jill@acme.com')).toEqual({ name: 'Jill Hart', role: 'admin', active: 1 });
    expect(await login('ann@acme.com')).toEqual({ name: 'Ann Lee', role: 'member', active: 0 });
    await importWorkspace(
      store,
      { workspace: { id: 'acme' }, logins: [{ email: 'jill@acme.com', name: 'Jill' }] },
      NOW,
    );
    const aliases = await store.db.selectFrom('login_aliases').select('address').execute();
    expect(aliases).toEqual([{ address: 'jill.hart@acme.com' }]);
  });

  it('imports the privacy rules normalized, keeps them when a document leaves them out, null clears a retention', async () => {
    await importWorkspace(store, doc(), NOW);
    expect(await loadSettings(store.db, 'acme')).toMatchObject({
      neverLog: [],
      storage: 'full',
      rawRetentionDays: null,
      inboundRetentionDays: null,
    });
    const result = await importWorkspace(
      store,
      {
        workspace: {
          id: 'acme',
          neverLog: ['CEO@Globex.com', 'Legal.Globex.com'],
          storage: 'no-body',
          rawRetentionDays: 30,
          inboundRetentionDays: 90,
        },
      },
      NOW,
    );
    expect(result.ok).toBe(true);
    const privacy = {
      neverLog: ['ceo@globex.com', 'legal.globex.com'],
      storage: 'no-body',
      rawRetentionDays: 30,
      inboundRetentionDays: 90,
    };
    expect(await loadSettings(store.db, 'acme')).toMatchObject(privacy);
    await importWorkspace(store, { workspace: { id: 'acme', name: 'Acme' } }, NOW);
    expect(await loadSettings(store.db, 'acme')).toMatchObject(privacy);
    await importWorkspace(store, { workspace: { id: 'acme', rawRetentionDays: null } }, NOW);
    expect(await loadSettings(store.db, 'acme')).toMatchObject({ ...privacy, rawRetentionDays: null });
    const bad = await importWorkspace(store, { workspace: { id: 'acme', neverLog: ['nobody'] } }, NOW);
    expect(bad).toMatchObject({ ok: false, problems: [{ path: 'workspace.neverLog[0]' }] });
  });

  it('gives a new login the defaults: an active member with no name and no aliases', async () => {
    await importWorkspace(store, { workspace: { id: 'acme' }, logins: [{ email: 'new@acme.com' }] }, NOW);
    expect(await login('new@acme.com')).toEqual({ name: '', role: 'member', active: 1 });
  });

  it.each([
    ['demotes', { role: 'member' as const }],
    ['deactivates', { active: false }],
  ])('refuses an import that %s the last active admin, and changes nothing', async (_verb, change) => {
    await importWorkspace(store, doc(), NOW);
    const result = await importWorkspace(
      store,
      {
        workspace: { id: 'acme', name: 'Renamed' },
        logins: [{ email: 'sam@acme.com' }, { email: 'jill@acme.com', ...change }],
      },
      NOW,
    );
    expect(result).toMatchObject({ ok: false, problems: [{ path: 'logins[1]' }] });
    if (result.ok) return;
    expect(result.problems[0]?.message).toContain('last active admin');
    expect(await login('jill@acme.com')).toEqual({ name: 'Jill Hart', role: 'admin', active: 1 });
    expect(await count('logins')).toBe(1);
    const handedOver = await importWorkspace(
      store,
      {
        workspace: { id: 'acme' },
        logins: [
          { email: 'sam@acme.com', role: 'admin' },
          { email: 'jill@acme.com', ...change },
        ],
      },
      NOW,
    );
    expect(handedOver.ok).toBe(true);
  });

  it('keeps what a user leaves out, so account matching still finds the customer; null clears the email', async () => {
    await importWorkspace(store, doc(), NOW);
    expect(
      (await importWorkspace(store, { workspace: { id: 'acme' }, users: [{ id: 'u-1' }] }, NOW)).ok,
    ).toBe(true);
    const user = () => store.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    expect(await user()).toMatchObject({
      email: 'bob@globex.com',
      email_domain: 'globex.com',
      name: 'Bob Stone',
    });
    expect((await user()).search_text).toContain('bob stone');
    await importWorkspace(store, { workspace: { id: 'acme' }, users: [{ id: 'u-1', email: null }] }, NOW);
    expect(await user()).toMatchObject({ email: null, email_domain: null, name: 'Bob Stone' });
  });

  it('merges account attributes key by key (null removes one) and keeps an omitted name and parent', async () => {
    await importWorkspace(store, doc(), NOW);
    await importWorkspace(
      store,
      {
        workspace: { id: 'acme' },
        accounts: [{ id: 'acc-1', attributes: { salesforceAccountId: '0015g00000ABCDE' } }, { id: 'acc-2' }],
      },
      NOW,
    );
    expect(await account('acc-1')).toMatchObject({ name: 'Globex', default_bcc: 1 });
    expect(JSON.parse((await account('acc-1')).attributes)).toEqual({
      touchpointDefaultBccEmail: true,
      salesforceAccountId: '0015g00000ABCDE',
    });
    expect(await account('acc-2')).toMatchObject({ name: 'Globex EU', parent_id: 'acc-1' });
    await importWorkspace(
      store,
      {
        workspace: { id: 'acme' },
        accounts: [
          { id: 'acc-1', attributes: { touchpointDefaultBccEmail: null } },
          { id: 'acc-2', parentId: null },
        ],
      },
      NOW,
    );
    expect(await account('acc-1')).toMatchObject({ default_bcc: 0 });
    expect(JSON.parse((await account('acc-1')).attributes)).toEqual({
      salesforceAccountId: '0015g00000ABCDE',
    });
    expect(await account('acc-2')).toMatchObject({ name: 'Globex EU', parent_id: null });
  });

  it('refuses a parent that closes a cycle through a parent the document leaves out', async () => {
    await importWorkspace(store, doc(), NOW);
    const result = await importWorkspace(
      store,
      { workspace: { id: 'acme' }, accounts: [{ id: 'acc-2' }, { id: 'acc-1', parentId: 'acc-2' }] },
      NOW,
    );
    expect(result).toMatchObject({ ok: false, problems: [{ path: 'accounts[0].parentId' }] });
    expect(await account('acc-1')).toMatchObject({ parent_id: null });
  });

  it('keeps what a membership or a history entry leaves out', async () => {
    await importWorkspace(store, doc(), NOW);
    await importWorkspace(
      store,
      {
        workspace: { id: 'acme' },
        memberships: [{ userId: 'u-1', accountId: 'acc-1', isContact: true }],
        touchpoints: [
          {
            id: 't-1',
            accountId: 'acc-1',
            authorEmail: 'jill@acme.com',
            occurredAt: '2026-11-21T09:00:00Z',
            subject: 'QBR',
            content: 'Notes',
            reason: 'Renewal',
          },
        ],
      },
      NOW,
    );
    await importWorkspace(
      store,
      {
        workspace: { id: 'acme' },
        memberships: [{ userId: 'u-1', accountId: 'acc-1' }],
        touchpoints: [
          { id: 't-1', accountId: 'acc-1', authorEmail: 'jill@acme.com', occurredAt: '2026-11-21T09:00:00Z' },
        ],
      },
      NOW,
    );
    const membership = await store.db.selectFrom('memberships').selectAll().executeTakeFirstOrThrow();
    expect(membership).toMatchObject({ associated_at: '2026-01-05T09:00:00.000Z', is_contact: 1 });
    const history = await store.db
      .selectFrom('touchpoints')
      .select(['subject', 'content_text', 'reason', 'type'])
      .where('id', '=', 't-1')
      .executeTakeFirstOrThrow();
    expect(history).toEqual({ subject: 'QBR', content_text: 'Notes', reason: 'Renewal', type: 'Email' });
  });

  it.each([
    ['a missing workspace id', { workspace: { name: 'x' } }, 'workspace.id', 'is required'],
    [
      'a bad address',
      { workspace: { id: 'acme' }, users: [{ id: 'u', email: 'not-an-address' }] },
      'users[0].email',
      'not an email',
    ],
    [
      'a bad date',
      {
        workspace: { id: 'acme' },
        memberships: [{ userId: 'u', accountId: 'a', associatedAt: 'last week' }],
      },
      'memberships[0].associatedAt',
      'ISO-8601',
    ],
    [
      'an unknown field',
      { workspace: { id: 'acme' }, accounts: [{ id: 'a', nmae: 'typo' }] },
      'accounts[0]',
      'nmae',
    ],
    ['a wrong type', { workspace: { id: 'acme' }, accounts: [{ id: 7 }] }, 'accounts[0].id', 'string'],
    [
      'a duplicate id',
      { workspace: { id: 'acme' }, users: [{ id: 'u' }, { id: 'u' }] },
      'users[1].id',
      'duplicate',
    ],
    [
      'a parent cycle',
      {
        workspace: { id: 'acme' },
        accounts: [
          { id: 'a', parentId: 'b' },
          { id: 'b', parentId: 'a' },
        ],
      },
      'accounts[0].parentId',
      'cycle',
    ],
    [
      'a membership of an unknown user',
      {
        workspace: { id: 'acme' },
        accounts: [{ id: 'a' }],
        memberships: [{ userId: 'ghost', accountId: 'a' }],
      },
      'memberships[0].userId',
      'no user "ghost"',
    ],
    [
      'history on an unknown account',
      {
        workspace: { id: 'acme' },
        touchpoints: [{ accountId: 'nope', authorEmail: 'a@acme.com', occurredAt: '2026-01-01T00:00:00Z' }],
      },
      'touchpoints[0].accountId',
      'no account',
    ],
    [
      'an alias shared by two logins',
      {
        workspace: { id: 'acme' },
        logins: [
          { email: 'a@acme.com', aliases: ['x@acme.com'] },
          { email: 'b@acme.com', aliases: ['x@acme.com'] },
        ],
      },
      'logins[1].aliases[0]',
      'already belongs',
    ],
  ])('rejects %s, naming the path, and changes nothing', async (_name, input, path, message) => {
    await importWorkspace(store, doc(), NOW);
    const before = [await count('accounts'), await count('users'), await count('memberships')];
    const result = await importWorkspace(store, input, NOW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const atPath = result.problems.filter((p) => p.path === path).map((p) => p.message);
    expect(atPath.join(' | ')).toContain(message);
    expect([await count('accounts'), await count('users'), await count('memberships')]).toEqual(before);
  });

  it('writes the audit entry in the import’s transaction: with an import, never without one', async () => {
    const audit = () =>
      store.db.selectFrom('audit_log').select(['actor', 'action', 'subject']).orderBy('at').execute();
    expect(await importWorkspace(store, doc(), NOW, { actor: 'cli' })).toMatchObject({ ok: true });
    expect(await audit()).toEqual([{ actor: 'cli', action: 'workspace.import', subject: 'acme' }]);
    const refused = await importWorkspace(
      store,
      { workspace: { id: 'acme' }, memberships: [{ userId: 'ghost', accountId: 'acc-1' }] },
      NOW,
      { actor: 'cli' },
    );
    expect(refused.ok).toBe(false);
    expect(await audit()).toHaveLength(1);
  });

  it('refuses a touchpoint address that another workspace owns', async () => {
    await importWorkspace(store, doc(), NOW);
    const result = await importWorkspace(
      store,
      { workspace: { id: 'other', touchpointAddresses: ['touchpoints@acme.example'] } },
      NOW,
    );
    expect(result).toMatchObject({ ok: false, problems: [{ path: 'workspace.touchpointAddresses[0]' }] });
    expect(await store.db.selectFrom('workspaces').select('id').execute()).toEqual([{ id: 'acme' }]);
  });

  it('rolls back the whole document when a reference fails late', async () => {
    const result = await importWorkspace(
      store,
      {
        ...doc(),
        memberships: [
          { userId: 'u-1', accountId: 'acc-1' },
          { userId: 'u-1', accountId: 'missing' },
        ],
      },
      NOW,
    );
    expect(result.ok).toBe(false);
    expect(await store.db.selectFrom('workspaces').selectAll().execute()).toEqual([]);
  });

  it('imports 100k users and memberships in one document', async () => {
    const accounts = Array.from({ length: 1000 }, (_, i) => ({ id: `acc-${i}`, name: `Account ${i}` }));
    const users = Array.from({ length: 100_000 }, (_, i) => ({
      id: `u-${i}`,
      email: `user${i}@customer${i % 1000}.example`,
      name: `User ${i}`,
    }));
    const memberships = users.map((u, i) => ({
      userId: u.id,
      accountId: `acc-${i % 1000}`,
      associatedAt: '2026-01-01T00:00:00Z',
    }));
    const phases = new Set<string>();
    const result = await importWorkspace(
      store,
      { workspace: { id: 'big' }, accounts, users, memberships },
      NOW,
      {
        progress: (phase, done, total) => {
          if (done === total) phases.add(phase);
        },
      },
    );
    expect(result).toMatchObject({ ok: true, summary: { users: 100_000, memberships: 100_000 } });
    expect([await count('users'), await count('memberships')]).toEqual([100_000, 100_000]);
    expect(phases).toEqual(new Set(['logins', 'accounts', 'users', 'memberships', 'touchpoints']));
  }, 180_000);
});
