// The outbox worker: leases due outbox items one at a time and hands each to the handler of its kind
// (notices, Salesforce). Handlers answer what happened as a value; the worker records it, with what the
// handler asks to be written with it, in one transaction. Work is shared between processes through
// leases, as with inbound messages.
import { retryDelayMs } from '../work/retry-policy.js';
import type { Logger } from '../logger.js';
import {
  claimOutboxItem,
  markOutboxDone,
  markOutboxFailed,
  markOutboxRetry,
  recoverAbandoned,
  type OutboxKind,
} from '../store/outbox-repository.js';
import type { Executor, OutboxRow } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { WorkLoop } from '../work/work-loop.js';

/**
 * Writes that belong to an item's outcome (the notice's deliveries, the touchpoint's sync state): run in
 * the transaction that marks the item done, and only when this worker still holds it.
 */
export type OutboxRecording = (db: Executor) => Promise<void>;

/** What became of one attempt at an outbox item. */
export type OutboxResult =
  /**
   * Done; `note` keeps what an operator should know of it (recipients that refused a notice); `record`
   * is written with the outcome. Once the effect happened (the relay took the notice), a store error
   * while recording retries the recording, never the effect.
   */
  | { readonly kind: 'done'; readonly note?: string; readonly record?: OutboxRecording }
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
  /** Items carried out (each claimed on its own) before the loop looks at housekeeping again. */
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

/**
 * Pauses between tries at recording an outcome the store refused (a lock timeout, a failover): about
 * 13 s in all, well inside the lease. Past them the item stays `sending` and crash recovery decides, as
 * for a worker that died there.
 */
const RECORD_RETRY_MS = [100, 200, 400, 800, 1_600, 3_200, 6_400] as const;

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

  /**
   * Carries out up to `batchSize` items, claiming each just before its attempt (so a crash leaves only
   * the item in flight uncertain, never the ones after it); returns how many it took.
   */
  async processBatch(): Promise<number> {
    const kinds = [...this.#handlers.values()].map((h) => h.kind);
    let taken = 0;
    while (taken < this.options.batchSize) {
      const now = this.now();
      const item = await claimOutboxItem(
        this.store.db,
        this.store.capabilities,
        kinds,
        this.options.owner,
        now,
        new Date(now.getTime() + this.options.leaseMs),
      );
      if (item === null) break;
      taken++;
      await this.#attempt(item);
    }
    return taken;
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
    const now = this.now();
    switch (result.kind) {
      case 'done':
        if (result.note !== undefined)
          this.logger.warn(
            { outboxId: item.id, kind: item.kind, note: result.note },
            'outbox item done in part',
          );
        break;
      case 'retry':
        result = { ...result, at: result.at ?? new Date(now.getTime() + retryDelayMs(item.attempts - 1)) };
        this.logger.warn(
          { outboxId: item.id, kind: item.kind, error: result.error, retryAt: result.at },
          'outbox retry',
        );
        break;
      case 'failed':
        this.logger.warn({ outboxId: item.id, kind: item.kind, error: result.error }, 'outbox item failed');
        break;
      case 'cancelled':
        break;
    }
    await this.#record(item, result, now);
  }

  /**
   * Records the outcome; a store error retries the recording (never the attempt: a notice the relay took
   * is not sent again for it).
   */
  async #record(item: OutboxRow, result: OutboxResult, now: Date): Promise<void> {
    for (let tried = 0; ; tried++) {
      try {
        const recorded = await this.store.db
          .transaction()
          .execute((trx) => this.#mark(trx, item, result, now));
        if (!recorded)
          this.logger.warn(
            { outboxId: item.id, kind: item.kind, outcome: result.kind },
            'outbox item taken over while in flight (its lease ran out); this outcome is not recorded',
          );
        return;
      } catch (error) {
        const pause = RECORD_RETRY_MS[tried];
        if (pause === undefined) {
          this.logger.error(
            { err: error, outboxId: item.id, kind: item.kind, outcome: result.kind },
            'could not record the outcome of an outbox item; left to crash recovery',
          );
          return;
        }
        this.logger.warn(
          { err: error, outboxId: item.id, kind: item.kind, outcome: result.kind },
          'could not record the outcome of an outbox item; trying again',
        );
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  async #mark(db: Executor, item: OutboxRow, result: OutboxResult, now: Date): Promise<boolean> {
    const owner = this.options.owner;
    switch (result.kind) {
      case 'done': {
        const marked = await markOutboxDone(db, item.id, owner, now, result.note ?? null);
        if (marked) await result.record?.(db);
        return marked;
      }
      case 'retry':
        return markOutboxRetry(db, item.id, owner, result.error, result.at ?? now, now);
      case 'failed':
        return markOutboxFailed(db, item.id, owner, 'failed', result.error, now);
      case 'cancelled':
        return markOutboxFailed(db, item.id, owner, 'cancelled', result.reason, now);
    }
  }
}
