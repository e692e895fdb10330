// The running service: worker, SMTP intake, IMAP intake and HTTP server, each started by its role, and
// a graceful stop (no new mail; sessions in DATA finish; the batch in hand is recorded).
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { defaultDependencies } from './app/dependencies.js';
import { inProcessEvaluator } from './app/evaluate-batch.js';
import { EvaluationThreads } from './app/evaluation-threads.js';
import { retentionLoop } from './app/retention.js';
import { DEFAULT_WORKER_OPTIONS, InboundWorker } from './app/inbound-worker.js';
import type { Config } from './config.js';
import { buildHttpServer, type HttpServer } from './http/server.js';
import { GroupCommitter } from './intake/group-commit.js';
import { ImapIntake } from './intake/imap/imap-intake.js';
import { SmtpIntake } from './intake/smtp/smtp-intake.js';
import type { Logger } from './logger.js';
import { DEFAULT_OUTBOX_OPTIONS, OutboxWorker, type OutboxHandler } from './outbound/outbox-worker.js';
import { DEFAULT_SALESFORCE_OPTIONS, SalesforceIntegration } from './outbound/salesforce/integration.js';
import { configuredSecretBox } from './secrets/secret-key.js';
import { countOutcome, createMetrics, type Metrics } from './metrics.js';
import { noticeHandler } from './outbound/notices/notice-handler.js';
import { createNoticeTransport } from './outbound/notices/smtp-transport.js';
import { countQueued, insertInbound, releaseLeasesOfDeadProcesses } from './store/inbound-repository.js';
import { readableFromOtherThreads, type Store } from './store/store.js';
import { fileProblem } from './file-problem.js';
import { listenOrExplain, StartupError } from './startup-error.js';
import { workspaceIdByTouchpointAddress } from './store/workspace-repository.js';

export const ROLES = ['smtp', 'worker', 'api'] as const;
export type Role = (typeof ROLES)[number];

export interface RunningService {
  readonly smtpPort: number | null;
  readonly httpPort: number | null;
  readonly metrics: Metrics;
  readonly workers: readonly InboundWorker[];
  stop(): Promise<void>;
}

/**
 * Starts the roles of this node. When a part cannot start (a port in use, a host that does not resolve,
 * TLS files that cannot be read), what had started is stopped again and a StartupError says which
 * variable to change: no half-started service keeps the process alive serving nothing.
 */
export async function startService(
  config: Config,
  logger: Logger,
  store: Store,
  roles: ReadonlySet<Role>,
): Promise<RunningService> {
  // What has started so far, stopped in reverse order when a later part fails.
  const started: (() => Promise<void>)[] = [];
  try {
    return await startParts(config, logger, store, roles, started);
  } catch (error) {
    for (const stop of started.reverse()) {
      try {
        await stop();
      } catch (stopError) {
        logger.warn({ err: stopError }, 'while undoing a failed start');
      }
    }
    throw error;
  }
}

async function startParts(
  config: Config,
  logger: Logger,
  store: Store,
  roles: ReadonlySet<Role>,
  started: (() => Promise<void>)[],
): Promise<RunningService> {
  const messages = defaultDependencies(
    store,
    config.maxMessageBytes,
    config.smtp.hostname,
    config.dnsServers,
  );
  const metrics = createMetrics(() => countQueued(store.db));
  const threads =
    roles.has('worker') && config.evaluationThreads > 0 && readableFromOtherThreads(store.database)
      ? new EvaluationThreads(
          config.evaluationThreads,
          {
            database: store.database,
            maxMessageBytes: config.maxMessageBytes,
            authservId: config.smtp.hostname,
            dnsServers: config.dnsServers,
            connections: config.postgresPool.perThread,
          },
          (error) => logger.error({ err: error }, 'an evaluation thread failed; it was replaced'),
        )
      : null;
  const evaluator = threads ?? inProcessEvaluator(messages);
  started.push(() => evaluator.close());
  // With evaluation in threads, one more loop lets a batch be evaluated while the last one is recorded.
  const loops = store.capabilities.workerLoops + (threads === null ? 0 : 1);
  const workers = roles.has('worker')
    ? Array.from(
        { length: loops },
        (_, loop) =>
          new InboundWorker(
            messages,
            { ...DEFAULT_WORKER_OPTIONS, owner: `${hostname()}:${process.pid}:${loop}` },
            logger,
            {
              onProcessed: (row, outcome) => {
                countOutcome(metrics, outcome);
                metrics.processingSeconds.observe((Date.now() - Date.parse(row.received_at)) / 1000);
              },
              ...(loop === 0
                ? {
                    housekeeping: async () => {
                      const released = await releaseLeasesOfDeadProcesses(
                        store.db,
                        hostname(),
                        processIsAlive,
                      );
                      if (released > 0)
                        logger.warn({ released }, 'took over messages leased by a process that died');
                    },
                  }
                : {}),
            },
            evaluator,
          ),
      )
    : [];
  const wake = () => workers.forEach((w) => w.wake());
  const committer = new GroupCommitter((rows) =>
    store.db.transaction().execute((trx) => insertInbound(trx, ...rows)),
  );

  let smtp: SmtpIntake | null = null;
  let smtpPort: number | null = null;
  if (roles.has('smtp') && config.smtpPort !== 0) {
    const tls =
      config.smtp.tls === null
        ? null
        : {
            cert: await readTlsFile('TOUCHMAIL_SMTP_TLS_CERT', config.smtp.tls.certFile),
            key: await readTlsFile('TOUCHMAIL_SMTP_TLS_KEY', config.smtp.tls.keyFile),
          };
    smtp = new SmtpIntake(
      {
        workspaceOf: (address) => workspaceIdByTouchpointAddress(store.db, address),
        committer,
        newId: messages.newId,
        now: messages.now,
        logger,
        metrics,
        onAccepted: wake,
      },
      {
        host: config.host,
        port: config.smtpPort,
        maxMessageBytes: config.maxMessageBytes,
        maxClients: config.smtp.maxClients,
        maxClientsPerIp: config.smtp.maxClientsPerIp,
        idleTimeoutMs: config.smtp.idleTimeoutMs,
        maxRecipients: 100,
        tls,
        hostname: config.smtp.hostname,
      },
    );
    const listening = smtp;
    smtpPort = await listenOrExplain(() => listening.listen(), {
      portVariable: 'TOUCHMAIL_SMTP_PORT',
      host: config.host,
      port: config.smtpPort,
    });
    started.push(() => listening.close());
    logger.info({ port: smtpPort, host: config.host, starttls: tls !== null }, 'SMTP intake listening');
  }

  let imap: ImapIntake | null = null;
  if (roles.has('smtp') && config.imap !== null) {
    imap = new ImapIntake(
      { messages, logger, metrics, onAccepted: wake },
      { url: config.imap.url, rcpt: config.imap.rcpt },
    );
    imap.start();
    const polling = imap;
    started.push(() => polling.stop());
  }

  // Side effects of recorded outcomes and edits (notices, Salesforce), on worker nodes.
  const salesforce = new SalesforceIntegration(
    {
      store,
      secrets: configuredSecretBox(config.secretKey, config.database),
      now: () => new Date(),
      logger,
      syncTotal: metrics.salesforceSyncTotal,
    },
    { ...DEFAULT_SALESFORCE_OPTIONS, extraHosts: config.salesforceExtraHosts },
  );
  const outboxHandlers: OutboxHandler[] = [salesforce.handler()];
  if (roles.has('worker')) {
    outboxHandlers.push(
      noticeHandler({
        store,
        // INTERFACE.md: unset = notices are written to the log and the outbox only.
        transport: config.outboundSmtp === null ? null : createNoticeTransport(config.outboundSmtp),
        publicUrl: config.publicUrl,
        rateLimit: config.noticeRateLimit,
        now: messages.now,
        newId: messages.newId,
        logger,
        metrics,
      }),
    );
    if (config.outboundSmtp === null)
      logger.warn(
        'TOUCHMAIL_OUTBOUND_SMTP is not set: notices are written to the log and kept in the outbox, not sent',
      );
  }
  const outbox = roles.has('worker')
    ? new OutboxWorker(
        store,
        outboxHandlers,
        { ...DEFAULT_OUTBOX_OPTIONS, owner: `${hostname()}:${process.pid}:outbox` },
        logger,
      )
    : null;
  // Retention (SPEC §11) on worker nodes; several nodes may run it at once (retention-repository.ts).
  const retention = roles.has('worker')
    ? retentionLoop(
        { db: store.db, capabilities: store.capabilities, now: messages.now },
        logger,
        (counts) => {
          metrics.retentionDeletedTotal.inc({ kind: 'raw' }, counts.raw);
          metrics.retentionDeletedTotal.inc({ kind: 'inbound' }, counts.inbound);
        },
      )
    : null;

  let http: HttpServer | null = null;
  let httpPort: number | null = null;
  if (config.httpPort !== 0) {
    http = await buildHttpServer({
      context: {
        store,
        messages,
        adminToken: config.adminToken,
        logger,
        metrics,
        publicUrl: config.publicUrl,
        wakeOutbox: () => outbox?.wake(),
        salesforce,
      },
      intake: roles.has('api')
        ? { messages, adminToken: config.adminToken, metrics, onAccepted: wake }
        : null,
      apiRateLimit: config.apiRateLimit,
    });
    const app = http;
    started.push(() => app.close());
    await listenOrExplain(() => app.listen({ host: config.host, port: config.httpPort }), {
      portVariable: 'TOUCHMAIL_HTTP_PORT',
      host: config.host,
      port: config.httpPort,
    });
    const address = http.server.address();
    httpPort = typeof address === 'object' && address !== null ? address.port : config.httpPort;
    logger.info({ port: httpPort, host: config.host }, 'HTTP listening');
  }

  for (const w of workers) w.start();
  outbox?.start();
  retention?.start();
  return {
    smtpPort,
    httpPort,
    metrics,
    workers,
    async stop() {
      await smtp?.close();
      await imap?.stop();
      await committer.drain();
      await http?.close();
      await Promise.all(workers.map((w) => w.stop()));
      await outbox?.stop();
      await retention?.stop();
      await evaluator.close();
    },
  };
}

async function readTlsFile(variable: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new StartupError(variable, `cannot read ${path}: ${fileProblem(error)}`);
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}
