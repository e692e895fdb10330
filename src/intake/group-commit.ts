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
  /** Messages per transaction at most. */
  readonly maxRows: number;
  /**
   * Bytes of raw message per transaction at most (a first submission larger than this still goes
   * alone): 64 messages of 25 MB would make one statement of 1.6 GB, past PostgreSQL's 1 GB message.
   */
  readonly maxBytes: number;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = {
  windowMs: 2,
  maxRows: 64,
  maxBytes: 32 * 1024 * 1024,
};

const bytesOf = (rows: readonly NewInbound[]) => rows.reduce((sum, row) => sum + row.raw.byteLength, 0);

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
      let bytes = 0;
      for (let next = this.#pending[0]; next !== undefined; next = this.#pending[0]) {
        const size = bytesOf(next.rows);
        const fits = rows + next.rows.length <= this.options.maxRows && bytes + size <= this.options.maxBytes;
        if (group.length > 0 && !fits) break;
        this.#pending.shift();
        group.push(next);
        rows += next.rows.length;
        bytes += size;
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
