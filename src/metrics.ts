// Prometheus metrics (GET /metrics): outcomes, the queue, SMTP sessions, processing latency, notices,
// Salesforce sync.
import type { Outcome } from './domain/outcome.js';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly inboundTotal: Counter<'status' | 'reason'>;
  readonly acceptedTotal: Counter<'channel'>;
  readonly smtpSessions: Gauge;
  readonly smtpSessionsTotal: Counter;
  readonly smtpRejectedTotal: Counter<'code'>;
  /** Seconds from acceptance (stored) to recorded outcome. */
  readonly processingSeconds: Histogram;
  /** Notices attempted, by kind (failure, receipt, edit) and result (sent, retry, failed, cancelled). */
  readonly noticesTotal: Counter<'kind' | 'result'>;
  /** Salesforce sync attempts by result: synced, retry, paused, failed, cancelled (SPEC §9). */
  readonly salesforceSyncTotal: Counter<'result'>;
  /** Retention (SPEC §11): raw messages emptied (`raw`) and inbound entries deleted (`inbound`). */
  readonly retentionDeletedTotal: Counter<'kind'>;
}

/** A registry of its own (not prom-client's global one), so several services can live in one process. */
export function createMetrics(countQueued: () => Promise<number>): Metrics {
  const registry = new Registry();
  new Gauge({
    name: 'touchmail_inbound_queued',
    help: 'Inbound messages accepted and not yet processed.',
    registers: [registry],
    async collect() {
      this.set(await countQueued());
    },
  });
  const metrics: Metrics = {
    registry,
    inboundTotal: new Counter({
      name: 'touchmail_inbound_total',
      help: 'Inbound messages processed, by outcome status and, for failed and ignored ones, reason.',
      labelNames: ['status', 'reason'],
      registers: [registry],
    }),
    acceptedTotal: new Counter({
      name: 'touchmail_inbound_accepted_total',
      help: 'Inbound messages stored durably, by channel.',
      labelNames: ['channel'],
      registers: [registry],
    }),
    smtpSessions: new Gauge({
      name: 'touchmail_smtp_sessions',
      help: 'Open SMTP sessions.',
      registers: [registry],
    }),
    smtpSessionsTotal: new Counter({
      name: 'touchmail_smtp_sessions_total',
      help: 'SMTP sessions opened.',
      registers: [registry],
    }),
    smtpRejectedTotal: new Counter({
      name: 'touchmail_smtp_rejected_total',
      help: 'SMTP commands refused, by reply code.',
      labelNames: ['code'],
      registers: [registry],
    }),
    processingSeconds: new Histogram({
      name: 'touchmail_processing_seconds',
      help: 'Seconds from acceptance to a recorded outcome.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    noticesTotal: new Counter({
      name: 'touchmail_notices_total',
      help: 'Notices attempted, by kind (failure, receipt, edit) and result (sent, retry, failed, cancelled).',
      labelNames: ['kind', 'result'],
      registers: [registry],
    }),
    salesforceSyncTotal: new Counter({
      name: 'touchmail_salesforce_sync_total',
      help: 'Salesforce sync attempts, by result (synced, retry, paused, failed, cancelled).',
      labelNames: ['result'],
      registers: [registry],
    }),
    retentionDeletedTotal: new Counter({
      name: 'touchmail_retention_deleted_total',
      help: 'Deleted by retention: raw messages (kind="raw") and inbound entries that recorded nothing (kind="inbound").',
      labelNames: ['kind'],
      registers: [registry],
    }),
  };
  // Both series from the start, so a dashboard sees 0 rather than nothing before the first deletion.
  for (const kind of ['raw', 'inbound']) metrics.retentionDeletedTotal.inc({ kind }, 0);
  return metrics;
}

/** Counts an outcome: `{status}` alone when it has no reason (recorded), `{status, reason}` otherwise. */
export function countOutcome(metrics: Pick<Metrics, 'inboundTotal'>, outcome: Outcome): void {
  metrics.inboundTotal.inc(
    outcome.reason === null ? { status: outcome.status } : { status: outcome.status, reason: outcome.reason },
  );
}
