// `npm run bench -- health` (issue 20): the accounts list by health at 100k accounts and 1M touchpoints,
// first page of 50 coldest first, warmest first and "not touched in 30 days", each as the API answers it
// (settle due touches, the page, its 30/90-day figures), against a 50-row primary-key page of the same
// table in the same run, on SQLite and PostgreSQL.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { DatabaseConfig } from '../src/config.js';
import { recountAccountHealth, settleDueTouches } from '../src/store/account-health-repository.js';
import { listAccounts, type AccountSort } from '../src/store/account-repository.js';
import { chunks } from '../src/store/chunks.js';
import { accountRecord } from '../src/store/directory-records.js';
import { openStore, type Store } from '../src/store/store.js';
import { freshPostgresUrl } from '../test/support/stores.js';
import { fmt, percentile, timeEach } from './stats.js';
import { seededRandom as random } from '../test/support/random.js';

const ACCOUNTS = Number(process.env.BENCH_HEALTH_ACCOUNTS ?? 100_000);
const TOUCHPOINTS = Number(process.env.BENCH_HEALTH_TOUCHPOINTS ?? 1_000_000);
const DAY = 86_400_000;
const WS = 'bench';

/**
 * The workspace: ACCOUNTS accounts, a tenth never touched; TOUCHPOINTS touchpoints over the last year
 * (and a few dated ahead) on the others; health counted as the import counts it.
 */
async function load(store: Store, now: Date): Promise<number> {
  const started = performance.now();
  const at = now.toISOString();
  await store.db
    .insertInto('workspaces')
    .values({
      id: WS,
      name: WS,
      default_flow: 'Default',
      default_reason: null,
      sender_auth_policy: 'off',
      created_at: at,
      updated_at: at,
    })
    .execute();
  const ids = Array.from({ length: ACCOUNTS }, (_, i) => `acc-${String(i).padStart(6, '0')}`);
  const next = random(20);
  for (const chunk of chunks(ids, 10, store.capabilities))
    await store.db
      .insertInto('accounts')
      .values(
        chunk.map((id) => ({
          workspace_id: WS,
          id,
          name: `Customer ${Math.floor(next() * 1e9).toString(36)}`,
          parent_id: null,
          attributes: '{}',
          default_bcc: 0,
          search_text: id,
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
  const touched = Math.floor(ACCOUNTS * 0.9);
  const batch = 20_000;
  for (let from = 0; from < TOUCHPOINTS; from += batch) {
    const rows = Array.from({ length: Math.min(batch, TOUCHPOINTS - from) }, (_, k) => {
      const i = from + k;
      const occurred = new Date(now.getTime() - next() * 365 * DAY + (next() < 0.001 ? 10 * DAY : 0));
      return {
        workspace_id: WS,
        id: `tp-${i}`,
        account_id: ids[Math.floor(next() * touched)] ?? 'acc-000000',
        type: 'Email',
        flow: 'Default',
        reason: null,
        subject: `Touch ${i}`,
        content_text: '',
        content_visible: null,
        content_html: null,
        occurred_at: occurred.toISOString(),
        author_email: `rep${i % 40}@seller.example`,
        author_domain: 'seller.example',
        scenario: null,
        message_key: null,
        content_key: null,
        inbound_id: null,
        trace: '[]',
        attachments: '[]',
        created_at: at,
        updated_at: at,
      };
    });
    await store.db.transaction().execute(async (trx) => {
      for (const chunk of chunks(rows, 21, store.capabilities))
        await trx.insertInto('touchpoints').values(chunk).execute();
    });
  }
  // The import's way of counting history: every account from its touchpoints, in chunks.
  await store.db.transaction().execute((trx) => recountAccountHealth(trx, store.capabilities, WS, ids, now));
  if (store.database.kind === 'postgres') await sql`analyze`.execute(store.db);
  return (performance.now() - started) / 1000;
}

export async function accountHealthList(): Promise<void> {
  const kinds: { name: string; config: DatabaseConfig }[] = [
    {
      name: 'SQLite',
      config: { kind: 'sqlite', path: join(mkdtempSync(join(tmpdir(), 'tm-bench-')), 'health.db') },
    },
  ];
  const pg = process.env.TOUCHMAIL_TEST_PG_URL;
  if (pg !== undefined)
    kinds.push({ name: 'PostgreSQL', config: { kind: 'postgres', url: await freshPostgresUrl(pg) } });
  console.log(
    `\n## Accounts by health (${ACCOUNTS} accounts, ${TOUCHPOINTS} touchpoints; median of 200 after 20 warm-up)\n`,
  );
  console.log(
    '| store | load s | query | median ms | p95 ms | median ratio to PK page |\n|---|---|---|---|---|---|',
  );
  const now = new Date();
  for (const kind of kinds) {
    const store = await openStore(kind.config);
    try {
      const loadSeconds = await load(store, now);
      const next = random(7);
      // Baseline: 50 rows of the same table along its primary key from a random place, mapped to the
      // API's records as the accounts list did before it carried health.
      const baseline = await timeEach(
        200,
        async () =>
          (
            await store.db
              .selectFrom('accounts')
              .selectAll()
              .where('workspace_id', '=', WS)
              .where('id', '>', `acc-${String(Math.floor(next() * ACCOUNTS)).padStart(6, '0')}`)
              .orderBy('id')
              .limit(50)
              .execute()
          ).map(accountRecord),
        20,
      );
      // As the route reads a page: with its figures in one statement, settling first if a touch came due.
      const page = (sort: AccountSort, notTouchedSince?: string) => async () => {
        const query = { limit: 50, sort, ...(notTouchedSince === undefined ? {} : { notTouchedSince }) };
        const found = await listAccounts(store.db, WS, query, now);
        if (!found.dueTouches) return found;
        await settleDueTouches(store.db, WS, now);
        return listAccounts(store.db, WS, query, now);
      };
      const month = new Date(now.getTime() - 30 * DAY).toISOString();
      const cases: [string, () => Promise<unknown>][] = [
        ['50-row primary-key page (baseline)', () => Promise.resolve()],
        ['first page, `sort=lastTouchAt` (coldest first)', page('lastTouchAt')],
        ['first page, `sort=-lastTouchAt` (warmest first)', page('-lastTouchAt')],
        ['first page, `notTouchedSince=` 30 days ago, `sort=lastTouchAt`', page('lastTouchAt', month)],
        ['first page, `sort=name`', page('name')],
      ];
      const base = percentile(baseline, 50);
      for (const [label, run] of cases) {
        const durations = label.includes('baseline') ? baseline : await timeEach(200, run, 20);
        const median = percentile(durations, 50);
        console.log(
          `| ${kind.name} | ${label.includes('baseline') ? fmt(loadSeconds, 0) : ''} | ${label} | ${fmt(median, 3)} | ${fmt(percentile(durations, 95), 3)} | ${fmt(median / base)} |`,
        );
      }
    } finally {
      await store.close();
    }
  }
}
