// A store loaded with the fixture workspace (test/fixtures/workspace.json) and deterministic dependencies.
import { readFileSync } from 'node:fs';
import { importWorkspace } from '../../src/app/import-workspace.js';
import type { MessageDependencies } from '../../src/app/dependencies.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../src/config.js';
import type { Store } from '../../src/store/store.js';
import { stubResolver } from './dns.js';
import { STORE_KINDS, type StoreKind } from './stores.js';

export const FIXTURES = new URL('../fixtures/', import.meta.url);
export const TOUCHPOINT_ADDRESS = 'touchpoints@acme.example';
export const FIXED_NOW = new Date('2026-11-26T12:00:00Z');

export function fixtureWorkspace(): unknown {
  return JSON.parse(readFileSync(new URL('workspace.json', FIXTURES), 'utf8')) as unknown;
}

export async function loadFixtureWorkspace(store: Store): Promise<void> {
  const result = await importWorkspace(store, fixtureWorkspace(), FIXED_NOW);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
}

/** Dependencies with a fixed clock and ids tp-1, tp-2, … so outcomes can be compared as text. */
export function fixedDependencies(store: Store, now: Date = FIXED_NOW): MessageDependencies {
  let next = 0;
  return {
    store,
    now: () => now,
    newId: () => `id-${++next}`,
    maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
    verification: { resolver: stubResolver({}), authservId: 'mx.touchmail.test' },
  };
}

export function readFixture(name: string): Buffer {
  return readFileSync(new URL(`mail/${name}`, FIXTURES));
}

/** A fresh store of `kind` (SQLite by default) holding the fixture workspace. */
export async function openFixtureStore(kind: StoreKind | undefined = STORE_KINDS[0]): Promise<Store> {
  if (kind === undefined) throw new Error('no store kind');
  const store = await kind.open();
  await loadFixtureWorkspace(store);
  return store;
}

/** A second, bare workspace (for tests of what crosses workspaces). */
export async function addWorkspace(store: Store, id: string, touchpointAddress?: string): Promise<void> {
  const at = '2026-01-01T00:00:00Z';
  await store.db
    .insertInto('workspaces')
    .values({
      id,
      name: id,
      default_flow: 'Default',
      default_reason: null,
      sender_auth_policy: 'off',
      created_at: at,
      updated_at: at,
    })
    .execute();
  if (touchpointAddress !== undefined)
    await store.db
      .insertInto('touchpoint_addresses')
      .values({ address: touchpointAddress, workspace_id: id })
      .execute();
}
