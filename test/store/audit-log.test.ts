// The audit log on both stores: entries read back newest first, paged by cursor, filtered by action.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, changedFields, listAudit } from '../../src/store/audit-repository.js';
import type { Store } from '../../src/store/store.js';
import { STORE_KINDS } from '../support/stores.js';
import { openFixtureStore } from '../support/workspace.js';

describe.each(STORE_KINDS)('audit log on $name', (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await openFixtureStore(kind);
  });
  afterEach(async () => {
    await store.close();
  });

  it('keeps who changed what, newest first, paged and filtered', async () => {
    for (let i = 0; i < 3; i++)
      await appendAudit(store.db, {
        id: `a${i}`,
        workspaceId: 'acme',
        at: new Date(Date.UTC(2026, 10, 26, 12, i)),
        actor: 'jill@acme.com',
        action: i === 1 ? 'account.update' : 'settings.update',
        subject: null,
        changes: changedFields({ defaultFlow: 'Default', x: 1 }, { defaultFlow: `Flow ${i}`, x: 1 }),
      });
    const first = await listAudit(store.db, 'acme', { limit: 2 });
    expect(first.map((e) => e.id)).toEqual(['a2', 'a1']);
    expect(first[0]?.changes).toEqual({ defaultFlow: { before: 'Default', after: 'Flow 2' } });
    const last = first[1];
    if (last === undefined) throw new Error('no entry');
    const next = await listAudit(store.db, 'acme', {
      limit: 2,
      before: { at: last.at.toISOString(), id: last.id },
    });
    expect(next.map((e) => e.id)).toEqual(['a0']);
    expect(
      (await listAudit(store.db, 'acme', { limit: 10, action: 'account.update' })).map((e) => e.id),
    ).toEqual(['a1']);
    expect(await listAudit(store.db, 'other', { limit: 10 })).toEqual([]);
  });
});
