// Contract: account health (SPEC §13) kept in the write path equals a recount from the touchpoints, after
// random sequences of recording, merging, moving, importing history and time passing, on every store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { editTouchpoint } from '../../src/app/edit-touchpoint.js';
import { importWorkspace } from '../../src/app/import-workspace.js';
import type { Email } from '../../src/domain/address.js';
import type { TouchpointDraft } from '../../src/domain/touchpoint.js';
import { settleDueTouches, touchCounts } from '../../src/store/account-health-repository.js';
import type { Store } from '../../src/store/store.js';
import {
  appendParticipants,
  insertTouchpoints,
  touchTouchpoints,
} from '../../src/store/touchpoint-repository.js';
import { STORE_KINDS } from '../support/stores.js';
import { fixedDependencies, loadFixtureWorkspace } from '../support/workspace.js';
import { seededRandom as random } from '../support/random.js';

const DAY = 86_400_000;
const WS = 'acme';
const ACCOUNTS = ['globex', 'globex-eu', 'initech', 'hooli', 'umbrella'];
const AUTHORS = ['jill@acme.com', 'sam@acme.com'] as Email[];

function draft(accountId: string, occurredAt: string, author: Email, key: string): TouchpointDraft {
  return {
    accountId,
    type: 'Email',
    flow: 'Default',
    reason: null,
    subject: key,
    contentText: '',
    contentVisible: null,
    contentHtml: null,
    occurredAt,
    author,
    scenario: 'bcc',
    participants: [],
    messageKey: key,
    contentKey: null,
    inboundId: null,
    attachments: [],
    trace: [],
  };
}

interface Figures {
  lastTouchAt: string | null;
  lastTouchBy: string | null;
  touchpoints30d: number;
  touchpoints90d: number;
}

/** The figures from scratch: every touchpoint read, nothing kept used. */
async function recount(store: Store, now: Date): Promise<Record<string, Figures>> {
  const rows = await store.db
    .selectFrom('touchpoints')
    .select(['id', 'account_id', 'occurred_at', 'author_email'])
    .where('workspace_id', '=', WS)
    .execute();
  const at = now.getTime();
  const out: Record<string, Figures> = {};
  const lastId: Record<string, string> = {};
  const accounts = await store.db
    .selectFrom('accounts')
    .select('id')
    .where('workspace_id', '=', WS)
    .execute();
  for (const { id } of accounts)
    out[id] = { lastTouchAt: null, lastTouchBy: null, touchpoints30d: 0, touchpoints90d: 0 };
  for (const r of rows) {
    const f = out[r.account_id];
    if (f === undefined) throw new Error(`unexpected account ${r.account_id}`);
    const t = Date.parse(r.occurred_at);
    if (t <= at) {
      const newer =
        f.lastTouchAt === null ||
        r.occurred_at > f.lastTouchAt ||
        (r.occurred_at === f.lastTouchAt && r.id > (lastId[r.account_id] ?? ''));
      if (newer) {
        f.lastTouchAt = r.occurred_at;
        f.lastTouchBy = r.author_email;
        lastId[r.account_id] = r.id;
      }
      if (t >= at - 30 * DAY) f.touchpoints30d++;
      if (t >= at - 90 * DAY) f.touchpoints90d++;
    }
  }
  return out;
}

/** The figures as the store keeps them (what the API shows). */
async function kept(store: Store, now: Date): Promise<Record<string, Figures>> {
  await settleDueTouches(store.db, WS, now);
  const rows = await store.db
    .selectFrom('accounts')
    .select(['id', 'last_touch_at', 'last_touch_by'])
    .where('workspace_id', '=', WS)
    .execute();
  const counts = await touchCounts(
    store.db,
    WS,
    rows.map((r) => r.id),
    now,
  );
  return Object.fromEntries(
    rows.map((r) => [
      r.id,
      {
        lastTouchAt: r.last_touch_at === '' ? null : r.last_touch_at,
        lastTouchBy: r.last_touch_by,
        touchpoints30d: counts.get(r.id)?.touchpoints30d ?? 0,
        touchpoints90d: counts.get(r.id)?.touchpoints90d ?? 0,
      },
    ]),
  );
}

async function dayRows(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom('account_touch_days').selectAll().execute();
  return rows.map((r) => `${r.account_id} ${r.day} ${Number(r.touchpoints)}`).sort();
}

async function recountedDayRows(store: Store): Promise<string[]> {
  const rows = await store.db
    .selectFrom('touchpoints')
    .select(['account_id', 'occurred_at'])
    .where('workspace_id', '=', WS)
    .execute();
  const n = new Map<string, number>();
  for (const r of rows) {
    const key = `${r.account_id} ${r.occurred_at.slice(0, 10)}`;
    n.set(key, (n.get(key) ?? 0) + 1);
  }
  return [...n].map(([k, v]) => `${k} ${v}`).sort();
}

describe.each(STORE_KINDS)('account health on $name', (kind) => {
  let store: Store;
  beforeEach(async () => {
    store = await kind.open();
    await loadFixtureWorkspace(store);
    const result = await importWorkspace(
      store,
      {
        workspace: { id: WS },
        accounts: [
          { id: 'hooli', name: 'Hooli' },
          { id: 'umbrella', name: 'Umbrella' },
        ],
      },
      new Date('2026-11-26T12:00:00Z'),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
  });
  afterEach(async () => {
    await store.close();
  });

  it.each([1, 2, 3])(
    'kept figures equal a recount after a random sequence of record/merge/move/import/time (seed %i)',
    async (seed) => {
      const next = random(seed);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
      let now = new Date('2026-11-26T12:00:00Z');
      let serial = 0;
      const deps = { ...fixedDependencies(store), now: () => now };
      // Within four months back, a few days ahead (a wrong clock), on round hours so ties happen.
      const when = () =>
        new Date(
          Math.floor((now.getTime() - next() * 120 * DAY + next() * 4 * DAY) / 3_600_000) * 3_600_000,
        ).toISOString();
      const ids = async () =>
        (await store.db.selectFrom('touchpoints').select('id').where('workspace_id', '=', WS).execute()).map(
          (r) => r.id,
        );

      for (let step = 0; step < 40; step++) {
        const op = next();
        if (op < 0.35) {
          const batch = Array.from({ length: 1 + Math.floor(next() * 4) }, () => {
            serial++;
            return {
              id: `tp-${seed}-${serial}`,
              draft: draft(pick(ACCOUNTS), when(), pick(AUTHORS), `k${serial}`),
            };
          });
          await store.db
            .transaction()
            .execute((trx) => insertTouchpoints(trx, store.capabilities, WS, batch, now));
        } else if (op < 0.45) {
          // The same mail again: participants merge into the touchpoint, the figures stay.
          const id = pick(await ids());
          await store.db.transaction().execute(async (trx) => {
            await appendParticipants(trx, store.capabilities, WS, [
              {
                touchpointId: id,
                participants: [{ email: `p${++serial}@globex.com` as Email, name: '', side: 'external' }],
                from: 100 + serial,
              },
            ]);
            await touchTouchpoints(trx, WS, [id], now);
          });
        } else if (op < 0.7) {
          const result = await editTouchpoint(deps, {
            workspaceId: WS,
            touchpointId: pick(await ids()),
            editor: 'jill@acme.com',
            expectedUpdatedAt: null,
            changes: { accountId: pick(ACCOUNTS) },
          });
          expect(result.kind).toBe('done');
        } else if (op < 0.85) {
          // History imported again may carry a stored id: it moves and re-dates that touchpoint.
          const known = await ids();
          const touchpoints = Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({
            id: next() < 0.5 && known.length > 0 ? pick(known) : `h-${seed}-${++serial}`,
            accountId: pick(ACCOUNTS),
            authorEmail: pick(AUTHORS),
            occurredAt: when(),
            subject: 'History',
          }));
          const unique = [...new Map(touchpoints.map((t) => [t.id, t])).values()];
          const result = await importWorkspace(store, { workspace: { id: WS }, touchpoints: unique }, now);
          expect(result.ok).toBe(true);
        } else {
          now = new Date(now.getTime() + next() * 3 * DAY);
        }
        if (step % 5 === 4 || step === 39) {
          expect(await kept(store, now)).toEqual(await recount(store, now));
          expect(await dayRows(store)).toEqual(await recountedDayRows(store));
        }
      }
    },
    60_000,
  );

  it('a touchpoint dated later today counts neither as last touch nor in the windows until its time', async () => {
    const now = new Date('2026-11-26T12:00:00Z');
    await store.db.transaction().execute((trx) =>
      insertTouchpoints(
        trx,
        store.capabilities,
        WS,
        [
          { id: 'past', draft: draft('initech', '2026-11-20T09:00:00.000Z', 'sam@acme.com' as Email, 'a') },
          { id: 'later', draft: draft('initech', '2026-11-26T18:00:00.000Z', 'jill@acme.com' as Email, 'b') },
        ],
        now,
      ),
    );
    expect((await kept(store, now))['initech']).toEqual({
      lastTouchAt: '2026-11-20T09:00:00.000Z',
      lastTouchBy: 'sam@acme.com',
      touchpoints30d: 1,
      touchpoints90d: 1,
    });
    const evening = new Date('2026-11-26T18:00:00Z');
    expect((await kept(store, evening))['initech']).toEqual({
      lastTouchAt: '2026-11-26T18:00:00.000Z',
      lastTouchBy: 'jill@acme.com',
      touchpoints30d: 2,
      touchpoints90d: 2,
    });
    // 30 days and one hour after the first: it has left the 30-day window, not the 90-day one.
    const later = new Date('2026-12-20T10:00:00Z');
    expect((await kept(store, later))['initech']).toMatchObject({ touchpoints30d: 1, touchpoints90d: 2 });
  });
});
