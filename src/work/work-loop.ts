// How the workers (inbound messages, outbox) run: take a batch while there is work, otherwise sleep until
// the next poll or until someone says work is queued; housekeeping now and then; stop after the batch in
// hand. The steps are the worker's; the loop is the same for both.
import type { Logger } from '../logger.js';
import { IdleWait } from './idle-wait.js';

export interface LoopSteps {
  /** Takes and carries out one batch; resolves with how many items it took (0: nothing to do). */
  readonly batch: () => Promise<number>;
  /** Runs first and then at most every `housekeepingMs`, before a batch (freeing abandoned work). */
  readonly housekeeping: () => Promise<void>;
  /** After a batch that took `taken` items, before the next (a pause to gather a fuller batch). */
  readonly afterBatch?: (taken: number) => Promise<void>;
}

export interface LoopOptions {
  /** How often to look for work when nobody says there is some (other nodes, retries coming due). */
  readonly pollMs: number;
  readonly housekeepingMs: number;
  /** Names the worker in its log lines. */
  readonly name: string;
}

export class WorkLoop {
  #running = false;
  #loop: Promise<void> | null = null;
  readonly #idle = new IdleWait();

  constructor(
    private readonly steps: LoopSteps,
    private readonly options: LoopOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Says new work is queued: the loop looks at once instead of at its next poll. */
  wake(): void {
    this.#idle.wake();
  }

  /** Stops taking work; resolves when the batch in hand is done. */
  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
  }

  async #run(): Promise<void> {
    let lastHousekeeping = -Infinity;
    while (this.#running) {
      if (Date.now() - lastHousekeeping >= this.options.housekeepingMs) {
        lastHousekeeping = Date.now();
        await this.steps
          .housekeeping()
          .catch((error: unknown) =>
            this.logger.error({ err: error }, `${this.options.name}: housekeeping failed`),
          );
      }
      let taken = 0;
      this.#idle.forget(); // the batch looks for itself
      try {
        taken = await this.steps.batch();
      } catch (error) {
        this.logger.error({ err: error }, `${this.options.name}: could not lease work`);
      }
      if (!this.#running) continue;
      if (taken > 0) await this.steps.afterBatch?.(taken);
      else await this.#idle.sleep(this.options.pollMs);
    }
  }
}
