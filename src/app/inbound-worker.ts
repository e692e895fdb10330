// The worker: leases queued inbound messages in batches, evaluates them and records the batch in one
// transaction. A crash leaves the leases to expire; the messages are then processed once by whoever
// takes them (completion only succeeds while a message is still queued).
import type { Outcome } from '../domain/outcome.js';
import type { Logger } from '../logger.js';
import { claimQueued, getInboundByIds } from '../store/inbound-repository.js';
import type { InboundMessageRow } from '../store/schema.js';
import type { MessageDependencies } from './dependencies.js';
import { inProcessEvaluator, type BatchEvaluator } from './evaluate-batch.js';
import type { Evaluation } from './evaluate-message.js';
import { afterFailedProcessing, recordAll, type NotRecorded } from './process-inbound.js';
import { WorkLoop } from '../work/work-loop.js';

export interface WorkerOptions {
  /** Who holds the leases (process and host), visible in the inbound table. */
  readonly owner: string;
  /** Messages per lease and per recording transaction, at most. */
  readonly batchSize: number;
  /** Bytes of raw message per lease, at most (a first message larger than this still goes alone). */
  readonly batchBytes: number;
  /** How long a lease holds: longer than a batch ever takes, short enough for a quick takeover. */
  readonly leaseMs: number;
  /** How often to look for work when nobody says there is some (other nodes, expired leases). */
  readonly pollMs: number;
}

/** Pause after a partial batch: adds at most this to a message's latency, saves fsyncs under load. */
const GATHER_MS = 5;

export const DEFAULT_WORKER_OPTIONS: Omit<WorkerOptions, 'owner'> = {
  // 64 rather than 32: measured 10–20 % more recorded a second on SQLite (`npm run bench -- smtp`,
  // docs/PERFORMANCE.md), the bytes bound keeping the batch's memory small whatever the mail.
  batchSize: 64,
  batchBytes: 32 * 1024 * 1024,
  leaseMs: 60_000,
  pollMs: 1_000,
};

export interface WorkerEvents {
  onProcessed?(row: InboundMessageRow, outcome: Outcome): void;
  /** Runs now and then while the worker is idle (freeing leases of dead local processes). */
  housekeeping?(): Promise<void>;
}

/** How often housekeeping runs at most. */
const HOUSEKEEPING_MS = 5_000;

export class InboundWorker {
  readonly #loop: WorkLoop;

  constructor(
    private readonly deps: MessageDependencies,
    private readonly options: WorkerOptions,
    private readonly logger: Logger,
    private readonly events: WorkerEvents = {},
    /** Where the batch is evaluated: in this thread, or spread over evaluation threads. */
    private readonly evaluator: BatchEvaluator = inProcessEvaluator(deps),
  ) {
    this.#loop = new WorkLoop(
      {
        batch: () => this.processBatch(),
        housekeeping: async () => {
          await events.housekeeping?.();
        },
        // A partial batch while mail is flowing: let a few more messages arrive, so the next recording
        // transaction (one fsync) carries more of them.
        afterBatch: (taken) =>
          taken < options.batchSize
            ? new Promise((resolve) => setTimeout(resolve, GATHER_MS))
            : Promise.resolve(),
      },
      { pollMs: options.pollMs, housekeepingMs: HOUSEKEEPING_MS, name: 'inbound worker' },
      logger,
    );
  }

  start(): void {
    this.#loop.start();
  }

  /** Says new work is queued: the worker looks at once instead of at its next poll. */
  wake(): void {
    this.#loop.wake();
  }

  /** Stops taking work; resolves when the batch in hand is recorded. */
  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** Leases and processes one batch; returns how many messages it took. */
  async processBatch(): Promise<number> {
    const now = this.deps.now();
    const claimed = await claimQueued(
      this.deps.store.db,
      this.deps.store.capabilities,
      this.options.owner,
      now,
      new Date(now.getTime() + this.options.leaseMs),
      { messages: this.options.batchSize, bytes: this.options.batchBytes },
    );
    if (claimed.length === 0) return 0;
    const rows = await getInboundByIds(
      this.deps.store.db,
      claimed.map((c) => c.id),
    );
    const results = await this.evaluator.evaluate(rows);
    const evaluated: { row: InboundMessageRow; evaluation: Evaluation }[] = [];
    const failed: NotRecorded[] = [];
    for (const [i, row] of rows.entries()) {
      const result = results[i];
      if (result?.ok === true) evaluated.push({ row, evaluation: result.evaluation });
      else failed.push({ row, error: result?.error ?? new Error('no evaluation came back') });
    }
    // One bad message holds back none of the others (SPEC §10): the rest of the batch is recorded now.
    const { recorded, failed: notRecorded } = await recordAll(this.deps, evaluated);
    for (const { row, outcome } of recorded) if (outcome !== null) this.events.onProcessed?.(row, outcome);
    for (const failure of [...failed, ...notRecorded]) await this.#afterFailure(failure);
    return claimed.length;
  }

  /** A message that failed: retried later, or ended `unprocessable` (SPEC §10). */
  async #afterFailure({ row, error }: NotRecorded): Promise<void> {
    this.logger.error(
      { inboundId: row.id, workspaceId: row.workspace_id, attempts: row.attempts + 1, err: error },
      'processing failed',
    );
    try {
      const outcome = await afterFailedProcessing(this.deps, row, error);
      if (outcome !== null) this.events.onProcessed?.(row, outcome);
    } catch (storeError) {
      // The lease will expire on its own: the message is tried again then.
      this.logger.error({ inboundId: row.id, err: storeError }, 'could not give the message back');
    }
  }
}
