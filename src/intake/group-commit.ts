// Group commit: messages that finish arriving within a few milliseconds of each other are stored in one
// transaction (one fsync); each sender is answered only after the transaction holding its message commits.
import type { NewInbound } from '../store/inbound-repository.js';

interface Pending {
  readonly rows: readonly NewInbound[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** How long the first message of a group waits for company. */
  readonly windowMs: number;
  /** Messages per transaction at most: bounds the transaction's memory (raw messages are in it). */
  readonly maxRows: number;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = { windowMs: 2, maxRows: 64 };

export class GroupCommitter {
  #pending: Pending[] = [];
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;

  constructor(
    private readonly write: (rows: readonly NewInbound[]) => Promise<void>,
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
  ) {}

  /** Resolves once `rows` are committed; rejects (nothing stored) when their transaction fails. */
  submit(rows: readonly NewInbound[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ rows, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves when everything submitted so far is committed or failed. */
  async drain(): Promise<void> {
    while (this.#pending.length > 0 || this.#flushing !== null || this.#timer !== null) {
      if (this.#timer !== null) {
        clearTimeout(this.#timer);
        this.#timer = null;
        this.#flushing ??= this.#flush();
      }
      await this.#flushing;
    }
  }

  #schedule(): void {
    if (this.#timer !== null || this.#flushing !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#flushing = this.#flush();
    }, this.options.windowMs);
  }

  async #flush(): Promise<void> {
    while (this.#pending.length > 0) {
      const group: Pending[] = [];
      let rows = 0;
      while (
        this.#pending.length > 0 &&
        (group.length === 0 || rows + (this.#pending[0]?.rows.length ?? 0) <= this.options.maxRows)
      ) {
        const next = this.#pending.shift();
        if (next === undefined) break;
        group.push(next);
        rows += next.rows.length;
      }
      try {
        await this.write(group.flatMap((p) => p.rows));
        for (const p of group) p.resolve();
      } catch (error) {
        for (const p of group) p.reject(error);
      }
    }
    this.#flushing = null;
  }
}
