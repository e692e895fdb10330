// End-to-end benchmark: 50 SMTP connections reusing their sessions send 5,000 unique Bcc'd 2 KB messages
// to a directory of 100k users; the same load against a null sink (smtp-server accepting and discarding)
// is the baseline of the same run. The same load against Touchmail's SMTP intake alone (durable accept,
// no processing) shows the ceiling of the whole pipeline on this machine. A last case runs the load with
// sender verification on while no DNS server answers, against the same load with verification off.
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { SMTPServer } from 'smtp-server';
import { importWorkspace } from '../src/app/import-workspace.js';
import { parseConfig, type DatabaseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startService } from '../src/service.js';
import { openStore, type Store } from '../src/store/store.js';
import type { WorkspaceDocumentInput } from '../src/app/workspace-document.js';
import type { SenderAuthPolicy } from '../src/domain/workspace.js';
import { freePort, SmtpClient } from '../test/support/smtp-client.js';
import { freshPostgresUrl } from '../test/support/stores.js';
import { fmt, percentile } from './stats.js';

const CONNECTIONS = 50;
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 5000);
const USERS = 100_000;
const TOUCHPOINT = 'touchpoints@bench.example';

function message(n: number): string {
  const user = (n * 7919) % USERS;
  const filler =
    'Notes from the quarterly review: adoption is up, two open tickets, renewal in March. '.repeat(22);
  return [
    'From: Rep One <rep1@seller.example>',
    `To: Customer ${user} <user${user}@d${user % 5000}.example>`,
    `Subject: Follow-up ${n}`,
    `Message-ID: <bench-${n}-${Date.now()}@seller.example>`,
    'Date: Thu, 19 Nov 2026 15:04:05 +0000',
    'Content-Type: text/plain; charset=utf-8',
    '',
    filler,
    '',
  ].join('\r\n');
}

/** Sends MESSAGES over CONNECTIONS sessions; returns the wall time and each message's DATA→250 time. */
async function load(
  port: number,
  rcpt: string,
): Promise<{ seconds: number; accepted: { id: string; at: number }[]; dataToOk: number[] }> {
  let next = 0;
  const accepted: { id: string; at: number }[] = [];
  const dataToOk: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const { client } = await SmtpClient.connect(port);
      await client.command('EHLO bench.example');
      for (let n = next++; n < MESSAGES; n = next++) {
        await client.command('MAIL FROM:<rep1@seller.example>');
        await client.command(`RCPT TO:<${rcpt}>`);
        const sent = performance.now();
        const reply = await client.data(message(n));
        const at = performance.now();
        if (reply.code !== 250) throw new Error(`message ${n}: ${reply.text}`);
        dataToOk.push(at - sent);
        accepted.push({ id: /Accepted as (\S+)/.exec(reply.text)?.[1] ?? '', at: Date.now() });
      }
      await client.quit();
    }),
  );
  return {
    seconds: (performance.now() - started) / 1000,
    accepted,
    dataToOk: dataToOk.sort((a, b) => a - b),
  };
}

type LoadResult = Awaited<ReturnType<typeof load>>;

/** A load run, with when it started (the thread's modules loaded) and the process's CPU time then. */
interface MeasuredLoad extends LoadResult {
  readonly startedAt: number;
  readonly cpuAtStart: NodeJS.CpuUsage;
}

/**
 * Runs the load generator in a worker thread, so it does not share the service's event loop. Time and
 * CPU count from when the thread has loaded its modules (a second or more that is not the load's).
 */
function loadInThread(port: number, rcpt: string): Promise<MeasuredLoad> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { port, rcpt } });
    let startedAt = 0;
    let cpuAtStart = process.cpuUsage();
    worker.on('message', (message: 'ready' | LoadResult) => {
      if (message !== 'ready') return resolve({ ...message, startedAt, cpuAtStart });
      startedAt = performance.now();
      cpuAtStart = process.cpuUsage();
      worker.postMessage('go');
    });
    worker.once('error', reject);
  });
}

if (!isMainThread && parentPort !== null) {
  const { port, rcpt } = workerData as { port: number; rcpt: string };
  const parent = parentPort;
  parent.once('message', () => {
    void load(port, rcpt).then((result) => parent.postMessage(result));
  });
  parent.postMessage('ready');
}

async function nullSink(): Promise<MeasuredLoad> {
  const port = await freePort();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH'],
    hideSTARTTLS: true,
    logger: false,
    onData: (stream, _s, cb) => {
      stream.on('data', () => undefined);
      stream.on('end', () => cb());
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const result = await loadInThread(port, TOUCHPOINT);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return result;
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

/** The bench workspace: its touchpoint address, and `users` customers on accounts of ten. */
function benchWorkspace(users: number, senderAuthPolicy: SenderAuthPolicy): WorkspaceDocumentInput {
  const domains = 5000;
  return {
    workspace: {
      id: 'bench',
      touchpointAddresses: [TOUCHPOINT],
      internalDomains: ['seller.example'],
      senderAuthPolicy,
    },
    logins: [{ email: 'rep1@seller.example', name: 'Rep One', role: 'member' }],
    accounts: Array.from({ length: users / 10 }, (_, i) => ({ id: `a${i}` })),
    users: Array.from({ length: users }, (_, i) => ({
      id: `u${i}`,
      email: `user${i}@d${i % domains}.example`,
    })),
    memberships: Array.from({ length: users }, (_, i) => ({
      userId: `u${i}`,
      accountId: `a${i % (users / 10)}`,
      associatedAt: '2026-01-01T00:00:00Z',
    })),
  };
}

/** A store holding the bench workspace. */
async function benchStore(
  database: DatabaseConfig,
  users: number,
  policy: SenderAuthPolicy = 'off',
): Promise<Store> {
  const store = await openStore(database);
  const imported = await importWorkspace(store, benchWorkspace(users, policy), new Date());
  if (!imported.ok) throw new Error(JSON.stringify(imported.problems));
  return store;
}

function benchConfig(smtpPort: number, dnsServer?: string) {
  return parseConfig({
    ...(dnsServer === undefined ? {} : { TOUCHMAIL_DNS_SERVERS: dnsServer }),
    TOUCHMAIL_SMTP_PORT: String(smtpPort),
    TOUCHMAIL_HTTP_PORT: '0',
    TOUCHMAIL_LOG_LEVEL: 'error',
    TOUCHMAIL_SMTP_MAX_CLIENTS_PER_IP: '1000',
    // Default: one per core but one (src/config.ts); set it to compare.
    ...(process.env.TOUCHMAIL_EVALUATION_THREADS === undefined
      ? {}
      : { TOUCHMAIL_EVALUATION_THREADS: process.env.TOUCHMAIL_EVALUATION_THREADS }),
  });
}

/**
 * The load against Touchmail's SMTP intake alone: every message committed (fsync'd) before its 250,
 * nothing processed. No end-to-end rate can exceed this one on the same machine.
 */
async function durableAcceptOnly(database: DatabaseConfig): Promise<MeasuredLoad & { cpuMs: number }> {
  const store = await benchStore(database, 0);
  const service = await startService(
    benchConfig(await freePort()),
    createLogger('error'),
    store,
    new Set(['smtp']),
  );
  const result = await loadInThread(service.smtpPort ?? 0, TOUCHPOINT);
  const cpu = cpuMs(process.cpuUsage(result.cpuAtStart)) / MESSAGES;
  await service.stop();
  await store.close();
  return { ...result, cpuMs: cpu };
}

/**
 * The load against a running service, and the seconds from its first connection until no message is
 * left queued.
 */
async function loadUntilProcessed(
  store: Store,
  port: number,
): Promise<{ run: MeasuredLoad; endToEnd: number }> {
  const run = await loadInThread(port, TOUCHPOINT);
  for (;;) {
    const left = await store.db
      .selectFrom('inbound_messages')
      .select('id')
      .where('status', '=', 'queued')
      .limit(1)
      .execute();
    if (left.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { run, endToEnd: (performance.now() - run.startedAt) / 1000 };
}

export async function smtpEndToEnd(
  database: DatabaseConfig,
  acceptDatabase: DatabaseConfig,
  label: string,
): Promise<void> {
  const store = await benchStore(database, USERS);
  const config = benchConfig(await freePort());
  const service = await startService(
    config,
    createLogger('error'),
    store,
    new Set(['smtp', 'worker', 'api']),
  );

  // CPU time of this whole process (every thread: load generator, service, evaluation threads) per
  // message: less at the mercy of other processes on a shared machine than rates are.
  const sink = await nullSink();
  const sinkCpuMs = cpuMs(process.cpuUsage(sink.cpuAtStart)) / MESSAGES;
  const acceptOnly = await durableAcceptOnly(acceptDatabase);
  const { run, endToEnd } = await loadUntilProcessed(store, service.smtpPort ?? 0);
  const ourCpuMs = cpuMs(process.cpuUsage(run.cpuAtStart)) / MESSAGES;
  const rows = await store.db.selectFrom('inbound_messages').select(['id', 'status', 'updated_at']).execute();
  const doneAt = new Map(rows.map((r) => [r.id, Date.parse(r.updated_at)]));
  const okToRecorded = run.accepted.map((a) => (doneAt.get(a.id) ?? NaN) - a.at).sort((a, b) => a - b);
  const recorded = rows.filter((r) => r.status === 'recorded').length;
  await service.stop();
  await store.close();

  const sinkRate = MESSAGES / sink.seconds;
  const acceptRate = MESSAGES / acceptOnly.seconds;
  const rate = MESSAGES / endToEnd;
  console.log(
    `| ${label} | ${fmt(sinkRate, 0)} | ${fmt(acceptRate, 0)} (${fmt(acceptRate / sinkRate)}) | ${fmt(MESSAGES / run.seconds, 0)} | ${fmt(rate, 0)} | **${fmt(rate / sinkRate)}** | ${fmt(percentile(run.dataToOk, 50), 1)} / ${fmt(percentile(run.dataToOk, 99), 1)} | ${fmt(percentile(sink.dataToOk, 50), 1)} / ${fmt(percentile(sink.dataToOk, 99), 1)} | ${fmt(percentile(okToRecorded, 50), 0)} / ${fmt(percentile(okToRecorded, 99), 0)} | ${fmt(sinkCpuMs, 2)} / ${fmt(acceptOnly.cpuMs, 2)} / ${fmt(ourCpuMs, 2)} | ${recorded}/${MESSAGES} |`,
  );
}

export async function smtpEndToEndAll(): Promise<void> {
  console.log(
    `\n## End to end over SMTP (${CONNECTIONS} connections, ${MESSAGES} unique Bcc'd ~2 KB messages, ${USERS / 1000}k users)\n`,
  );
  console.log(
    '| store | null sink msgs/s (baseline) | durable accept only msgs/s (ratio) | Touchmail accepted msgs/s | accepted → recorded msgs/s | ratio to null sink | DATA→250 p50/p99 ms | null sink DATA→250 p50/p99 ms | 250→recorded p50/p99 ms | CPU ms per message, null sink / accept only / Touchmail | recorded |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  const dir = mkdtempSync(join(tmpdir(), 'tm-bench-'));
  await smtpEndToEnd(
    { kind: 'sqlite', path: join(dir, 'smtp.db') },
    { kind: 'sqlite', path: join(dir, 'accept.db') },
    'SQLite',
  );
  const pg = process.env.TOUCHMAIL_TEST_PG_URL;
  if (pg !== undefined)
    await smtpEndToEnd(
      { kind: 'postgres', url: await freshPostgresUrl(pg) },
      { kind: 'postgres', url: await freshPostgresUrl(pg) },
      'PostgreSQL',
    );
}

/**
 * Issue 16 (SPEC §10): the same load end to end with policy `dmarc` while no DNS server answers (a
 * local UDP port that swallows every query), against policy `off` (no lookups). Every message is from
 * one sender domain, so the first ones wait one timeout and the rest should not wait at all.
 */
export async function dnsOutage(): Promise<void> {
  console.log(
    `\n## No resolver answering: policy dmarc vs off, end to end (SQLite, ${CONNECTIONS} connections, ${MESSAGES} messages of one sender domain)\n`,
  );
  console.log(
    '| policy | accepted → recorded msgs/s | end to end s | 250→recorded p50/p99 ms | DNS queries | recorded | ratio to off |\n|---|---|---|---|---|---|---|',
  );
  const silent = createSocket('udp4');
  let queries = 0;
  silent.on('message', () => queries++);
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'tm-bench-'));
  let off = NaN;
  for (const policy of ['off', 'dmarc'] as const) {
    queries = 0;
    const store = await benchStore({ kind: 'sqlite', path: join(dir, `${policy}.db`) }, USERS, policy);
    const service = await startService(
      benchConfig(await freePort(), `127.0.0.1:${silent.address().port}`),
      createLogger('error'),
      store,
      new Set(['smtp', 'worker']),
    );
    const { run, endToEnd } = await loadUntilProcessed(store, service.smtpPort ?? 0);
    const rows = await store.db
      .selectFrom('inbound_messages')
      .select(['id', 'status', 'updated_at'])
      .execute();
    const doneAt = new Map(rows.map((r) => [r.id, Date.parse(r.updated_at)]));
    const okToRecorded = run.accepted.map((a) => (doneAt.get(a.id) ?? NaN) - a.at).sort((a, b) => a - b);
    const recorded = rows.filter((r) => r.status === 'recorded').length;
    await service.stop();
    await store.close();
    const rate = MESSAGES / endToEnd;
    if (policy === 'off') off = rate;
    console.log(
      `| ${policy} | ${fmt(rate, 0)} | ${fmt(endToEnd, 1)} | ${fmt(percentile(okToRecorded, 50), 0)} / ${fmt(percentile(okToRecorded, 99), 0)} | ${queries} | ${recorded}/${MESSAGES} | **${fmt(rate / off)}** |`,
    );
  }
  await new Promise<void>((resolve) => silent.close(() => resolve()));
}
