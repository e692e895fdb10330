// The outbox worker: leases due outbox items and hands each to the handler of its kind (notices,
// Salesforce). Handlers answer what happened as a value; the worker records it. Work is shared between
// processes through leases, as with inbound messages.
import { retryDelayMs } from '../work/retry-policy.js';
import type { Logger } from '../logger.js';
import {
  claimOutbox,
  markOutboxDone,
  markOutboxFailed,
  markOutboxRetry,
  recoverAbandoned,
  type OutboxKind,
} from '../store/outbox-repository.js';
import type { OutboxRow } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { WorkLoop } from '../work/work-loop.js';

/** What became of one attempt at an outbox item. */
export type OutboxResult =
  /** Done; `note` keeps what an operator should know of it (recipients that refused a notice). */
  | { readonly kind: 'done'; readonly note?: string }
  /** Temporary (4xx, timeout, connection refused): tried again at `at`, or after backoff. */
  | { readonly kind: 'retry'; readonly error: string; readonly at?: Date }
  /** Permanent (5xx, validation): kept as failed with the error, never tried again by itself. */
  | { readonly kind: 'failed'; readonly error: string }
  /** Decided not to do it after all (a rate limit, a setting turned off): kept with the reason. */
  | { readonly kind: 'cancelled'; readonly reason: string };

export interface OutboxHandler {
  readonly kind: OutboxKind;
  /**
   * Whether an item left mid-attempt by a crashed worker may be attempted again: true for idempotent
   * writes (a Salesforce upsert by external id), false when a second attempt could act twice (an SMTP
   * server may have taken a notice just before the crash).
   */
  readonly safeToRepeat: boolean;
  handle(item: OutboxRow): Promise<OutboxResult>;
}

export interface OutboxWorkerOptions {
  readonly owner: string;
  readonly batchSize: number;
  /** Longer than any attempt takes (SMTP and HTTP timeouts are shorter). */
  readonly leaseMs: number;
  readonly pollMs: number;
}

export const DEFAULT_OUTBOX_OPTIONS: Omit<OutboxWorkerOptions, 'owner'> = {
  batchSize: 16,
  leaseMs: 120_000,
  pollMs: 1_000,
};

export class OutboxWorker {
  readonly #handlers: ReadonlyMap<string, OutboxHandler>;
  readonly #loop: WorkLoop;

  constructor(
    private readonly store: Store,
    handlers: readonly OutboxHandler[],
    private readonly options: OutboxWorkerOptions,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.#handlers = new Map(handlers.map((h) => [h.kind, h]));
    this.#loop = new WorkLoop(
      {
        batch: () => this.processBatch(),
        // At start and then once per lease time: what a crashed worker left mid-attempt.
        housekeeping: () => this.recover(),
      },
      { pollMs: options.pollMs, housekeepingMs: options.leaseMs, name: 'outbox worker' },
      logger,
    );
  }

  start(): void {
    if (this.#handlers.size > 0) this.#loop.start();
  }

  /** Says new items are queued: the worker looks at once. */
  wake(): void {
    this.#loop.wake();
  }

  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** Items abandoned mid-attempt by a crashed worker: repeated when safe, otherwise failed. */
  async recover(): Promise<void> {
    const repeatable = [...this.#handlers.values()].filter((h) => h.safeToRepeat).map((h) => h.kind);
    const { requeued, failed } = await recoverAbandoned(
      this.store.db,
      this.now(),
      repeatable,
      'Interrupted while being sent; not sent again, in case it had already gone out.',
    );
    if (requeued + failed > 0) this.logger.warn({ requeued, failed }, 'outbox items abandoned by a crash');
  }

  /** Leases and carries out one batch; returns how many items it took. */
  async processBatch(): Promise<number> {
    const now = this.now();
    const items = await claimOutbox(
      this.store.db,
      this.store.capabilities,
      [...this.#handlers.values()].map((h) => h.kind),
      this.options.owner,
      now,
      new Date(now.getTime() + this.options.leaseMs),
      this.options.batchSize,
    );
    for (const item of items) await this.#attempt(item);
    return items.length;
  }

  async #attempt(item: OutboxRow): Promise<void> {
    const handler = this.#handlers.get(item.kind);
    let result: OutboxResult;
    try {
      result =
        handler === undefined
          ? { kind: 'failed', error: `No handler for outbox kind ${item.kind}` }
          : await handler.handle(item);
    } catch (error) {
      // A bug or an unexpected infrastructure error: retried with backoff, visible in last_error.
      this.logger.error({ err: error, outboxId: item.id, kind: item.kind }, 'outbox handler threw');
      result = { kind: 'retry', error: error instanceof Error ? error.message : String(error) };
    }
    const db = this.store.db;
    const now = this.now();
    switch (result.kind) {
      case 'done':
        if (result.note !== undefined)
          this.logger.warn(
            { outboxId: item.id, kind: item.kind, note: result.note },
            'outbox item done in part',
          );
        return markOutboxDone(db, item.id, now, result.note ?? null);
      case 'retry': {
        const at = result.at ?? new Date(now.getTime() + retryDelayMs(item.attempts - 1));
        this.logger.warn(
          { outboxId: item.id, kind: item.kind, error: result.error, retryAt: at },
          'outbox retry',
        );
        return markOutboxRetry(db, item.id, result.error, at, now);
      }
      case 'failed':
        this.logger.warn({ outboxId: item.id, kind: item.kind, error: result.error }, 'outbox item failed');
        return markOutboxFailed(db, item.id, 'failed', result.error, now);
      case 'cancelled':
        return markOutboxFailed(db, item.id, 'cancelled', result.reason, now);
    }
  }
}
