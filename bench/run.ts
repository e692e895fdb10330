// `npm run bench`: parse throughput, resolution latency against directory size, end-to-end ingest,
// hostile subjects, the cost of storable text, the accounts list by health.
// Every figure comes with a baseline measured in the same run; docs/PERFORMANCE.md records the results.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import { importWorkspace } from '../src/app/import-workspace.js';
import { ingestMessage } from '../src/app/ingest-message.js';
import { type MessageDependencies } from '../src/app/dependencies.js';
import { DEFAULT_MAX_MESSAGE_BYTES, type DatabaseConfig } from '../src/config.js';
import { normalizeEmail, type Email } from '../src/domain/address.js';
import { resolveAccount } from '../src/domain/resolve-account.js';
import { parseMessage } from '../src/mime/parse-message.js';
import { sqlDirectory } from '../src/store/directory-repository.js';
import { insertInbound } from '../src/store/inbound-repository.js';
import { openStore } from '../src/store/store.js';
import { accountHealthList } from './account-health.js';
import { dnsOutage, smtpEndToEndAll } from './smtp-end-to-end.js';
import { storableTextCost } from './storable-text.js';
import { subjectScan } from './subject-scan.js';
import { stubResolver } from '../test/support/dns.js';
import { dropSchemasOfThisProcess, freshPostgresUrl } from '../test/support/stores.js';
import { fmt, percentile, timeEach } from './stats.js';

const root = new URL('../../', import.meta.url);
const only = process.argv[2];
const sizes = (process.env.BENCH_USERS ?? '10000,100000,1000000').split(',').map(Number);

async function parseThroughput(): Promise<void> {
  const dir = new URL('test/fixtures/mail/', root);
  const messages = readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .map((f) => readFileSync(new URL(f, dir)));
  const bytes = messages.reduce((n, m) => n + m.byteLength, 0);
  const rounds = 200;
  const run = async (parse: (raw: Buffer) => Promise<unknown>) => {
    for (const m of messages) await parse(m); // warm-up
    const started = performance.now();
    for (let r = 0; r < rounds; r++) for (const m of messages) await parse(m);
    const seconds = (performance.now() - started) / 1000;
    return { perSecond: (rounds * messages.length) / seconds, mbPerSecond: (rounds * bytes) / 1e6 / seconds };
  };
  const baseline = await run((raw) => PostalMime.parse(raw));
  const ours = await run((raw) =>
    parseMessage(raw, { maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES, now: new Date() }),
  );
  console.log(
    `\n## Parse throughput (${messages.length} fixture messages, ${bytes} bytes, ${rounds} rounds)\n`,
  );
  console.log('| parser | msgs/s | MB/s | ratio to baseline |\n|---|---|---|---|');
  console.log(
    `| postal-mime alone (baseline) | ${fmt(baseline.perSecond, 0)} | ${fmt(baseline.mbPerSecond)} | 1.00 |`,
  );
  console.log(
    `| parseMessage (MIME + forwards + folding + sanitizing) | ${fmt(ours.perSecond, 0)} | ${fmt(ours.mbPerSecond)} | ${fmt(ours.perSecond / baseline.perSecond)} |`,
  );
}

async function resolutionLatency(): Promise<void> {
  console.log('\n## Resolution latency against directory size (SQLite, one resolveAccount per message)\n');
  console.log(
    '| users | accounts | import s | median ms | p99 ms | median ratio to 10k | p99 ratio to 10k |\n|---|---|---|---|---|---|---|',
  );
  let base: { median: number; p99: number } | null = null;
  for (const users of sizes) {
    const store = await openStore({
      kind: 'sqlite',
      path: join(mkdtempSync(join(tmpdir(), 'tm-bench-')), 'bench.db'),
    });
    const accounts = Math.max(10, Math.floor(users / 10));
    const domains = Math.max(10, Math.floor(users / 20));
    const started = performance.now();
    const result = await importWorkspace(
      store,
      {
        workspace: { id: 'bench', internalDomains: ['seller.example'] },
        accounts: Array.from({ length: accounts }, (_, i) => ({ id: `a${i}` })),
        users: Array.from({ length: users }, (_, i) => ({
          id: `u${i}`,
          email: `user${i}@d${i % domains}.example`,
        })),
        memberships: Array.from({ length: users }, (_, i) => ({
          userId: `u${i}`,
          accountId: `a${(i * 7) % accounts}`,
          associatedAt: '2026-01-01T00:00:00Z',
        })),
        touchpoints: Array.from({ length: Math.min(users, 100_000) }, (_, i) => ({
          accountId: `a${i % accounts}`,
          authorEmail: `rep${i % 50}@seller.example`,
          occurredAt: '2026-11-20T00:00:00Z',
          subject: `t${i}`,
        })),
      },
      new Date(),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const importSeconds = (performance.now() - started) / 1000;
    const directory = sqlDirectory(store.db, 'bench');
    const sender = normalizeEmail('rep1@seller.example') as Email;
    const now = new Date('2026-11-26T00:00:00Z');
    // Mixed traffic: a known user (step A), an unknown person at a known domain (step B + C).
    const durations = await timeEach(2000, (i) => {
      const known = normalizeEmail(
        `user${(i * 7919) % users}@d${((i * 7919) % users) % domains}.example`,
      ) as Email;
      const unknown = normalizeEmail(`new${i}@d${(i * 31) % domains}.example`) as Email;
      return resolveAccount(
        {
          customerAddresses: i % 2 === 0 ? [known] : [unknown],
          sender: { email: sender, aliases: [] },
          now,
        },
        directory,
      );
    });
    const median = percentile(durations, 50);
    const p99 = percentile(durations, 99);
    base ??= { median, p99 };
    console.log(
      `| ${users} | ${accounts} | ${fmt(importSeconds, 1)} | ${fmt(median, 3)} | ${fmt(p99, 3)} | ${fmt(median / base.median)} | ${fmt(p99 / base.p99)} |`,
    );
    await store.close();
  }
}

async function ingestThroughput(): Promise<void> {
  const kinds: { name: string; config: DatabaseConfig }[] = [
    {
      name: 'sqlite',
      config: { kind: 'sqlite', path: join(mkdtempSync(join(tmpdir(), 'tm-bench-')), 'e2e.db') },
    },
  ];
  const pg = process.env.TOUCHMAIL_TEST_PG_URL;
  if (pg !== undefined)
    kinds.push({ name: 'postgres', config: { kind: 'postgres', url: await freshPostgresUrl(pg) } });
  console.log(
    '\n## End-to-end ingest (store raw durably, parse, gates, resolve, record), one message at a time\n',
  );
  console.log(
    '| store | baseline: durable insert of the raw message, msgs/s | ingest msgs/s | ratio |\n|---|---|---|---|',
  );
  const raw = readFileSync(new URL('test/fixtures/mail/bcc-plain.eml', root));
  const doc = JSON.parse(readFileSync(new URL('test/fixtures/workspace.json', root), 'utf8')) as unknown;
  for (const kind of kinds) {
    const store = await openStore(kind.config);
    await importWorkspace(store, doc, new Date());
    let n = 0;
    const deps: MessageDependencies = {
      store,
      now: () => new Date(),
      newId: () => `bench-${process.pid}-${Date.now()}-${++n}`,
      maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
      verification: { resolver: stubResolver({}), authservId: 'bench.example' },
    };
    const count = 1000;
    const baseline = await timeEach(count, () =>
      insertInbound(store.db, {
        id: deps.newId(),
        workspaceId: 'acme',
        receivedAt: new Date(),
        channel: 'cli',
        raw,
        sha256: 'x',
        mailFrom: null,
        rcptTo: ['touchpoints@acme.example'],
      }),
    );
    // A different Message-ID each time, so every message records a touchpoint.
    const ingest = await timeEach(count, (i) =>
      ingestMessage(
        deps,
        {
          raw: Buffer.from(raw.toString('latin1').replace('bcc-plain@', `bench-${n}-${i}@`), 'latin1'),
          envelope: { mailFrom: null, rcptTo: ['touchpoints@acme.example' as Email] },
        },
        'cli',
      ),
    );
    const rate = (d: number[]) => (1000 * d.length) / d.reduce((a, b) => a + b, 0);
    console.log(
      `| ${kind.name} | ${fmt(rate(baseline), 0)} | ${fmt(rate(ingest), 0)} | ${fmt(rate(ingest) / rate(baseline))} |`,
    );
    await store.close();
  }
}

console.log(`Touchmail benchmarks, ${new Date().toISOString()}, Node ${process.version}`);
if (only === undefined || only === 'parse') await parseThroughput();
if (only === undefined || only === 'resolve') await resolutionLatency();
if (only === undefined || only === 'ingest') await ingestThroughput();
if (only === undefined || only === 'smtp') await smtpEndToEndAll();
if (only === undefined || only === 'dns') await dnsOutage();
if (only === undefined || only === 'subject') await subjectScan();
if (only === undefined || only === 'storable') await storableTextCost();
if (only === undefined || only === 'health') await accountHealthList();
// The PostgreSQL schemas of this run: left behind, they slow every later migration of the database.
if (process.env.TOUCHMAIL_TEST_PG_URL !== undefined)
  await dropSchemasOfThisProcess(process.env.TOUCHMAIL_TEST_PG_URL);
