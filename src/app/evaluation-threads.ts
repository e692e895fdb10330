// Evaluation spread over worker threads: parsing, gates, scenario and directory reads of a leased batch
// run on other cores, each thread with its own read-only connection; the batch comes back to the
// service's thread, which records it in one transaction (exactly once, as in-process).
import { ReportedError } from '../work/retry-policy.js';
import { Worker } from 'node:worker_threads';
import type { InboundMessageRow } from '../store/schema.js';
import type { BatchEvaluator, EvaluationResult } from './evaluate-batch.js';
import type { CloseMessage, JobMessage, ResultMessage, ThreadSetup } from './evaluation-protocol.js';

/** How long a closing thread may take to finish its jobs and close its connection. */
const CLOSE_TIMEOUT_MS = 10_000;

interface Pending {
  readonly resolve: (results: EvaluationResult[]) => void;
  readonly rows: number;
}

interface Thread {
  worker: Worker;
  readonly pending: Map<number, Pending>;
  /** Rows handed over and not answered yet: new work goes to the least busy thread. */
  load: number;
}

export class EvaluationThreads implements BatchEvaluator {
  readonly #threads: Thread[];
  #nextJob = 0;
  #closing = false;

  constructor(
    count: number,
    private readonly setup: ThreadSetup,
    private readonly onThreadError: (error: unknown) => void,
  ) {
    this.#threads = Array.from({ length: count }, () => {
      const thread: Thread = { worker: this.#spawn(), pending: new Map(), load: 0 };
      this.#listen(thread);
      return thread;
    });
  }

  /** Splits the batch over the threads (least busy first) and puts the results back in order. */
  async evaluate(rows: readonly InboundMessageRow[]): Promise<EvaluationResult[]> {
    const parts = Math.min(this.#threads.length, rows.length);
    const size = Math.ceil(rows.length / Math.max(1, parts));
    const chunks: Promise<EvaluationResult[]>[] = [];
    for (let from = 0; from < rows.length; from += size)
      chunks.push(this.#send(rows.slice(from, from + size)));
    return (await Promise.all(chunks)).flat();
  }

  /**
   * Asks each thread to close its connection and end, and waits for it. Terminating a thread instead
   * can catch it loading better-sqlite3's native addon, which aborts the whole process (seen in tests
   * that stop the service just after starting it); a thread that does not end in time is terminated.
   */
  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(
      this.#threads.map(async ({ worker }) => {
        const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        const close: CloseMessage = { close: true };
        worker.postMessage(close);
        const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
        await ended;
        clearTimeout(timer);
      }),
    );
  }

  #send(rows: readonly InboundMessageRow[]): Promise<EvaluationResult[]> {
    const thread = this.#threads.reduce((a, b) => (b.load < a.load ? b : a));
    const job = this.#nextJob++;
    thread.load += rows.length;
    return new Promise((resolve) => {
      thread.pending.set(job, { resolve, rows: rows.length });
      const message: JobMessage = { job, rows };
      thread.worker.postMessage(message);
    });
  }

  #spawn(): Worker {
    return new Worker(threadModule(), { workerData: this.setup });
  }

  #listen(thread: Thread): void {
    const worker = thread.worker;
    worker.on('message', (message: ResultMessage) => {
      const pending = thread.pending.get(message.job);
      if (pending === undefined) return;
      thread.pending.delete(message.job);
      thread.load -= pending.rows;
      pending.resolve(
        message.results.map((r) =>
          r.ok ? r : { ok: false, error: new ReportedError(r.kind, r.code, `evaluation thread: ${r.stack}`) },
        ),
      );
    });
    // A thread that dies fails the work in its hands (those messages are retried later) and is replaced.
    const fail = (error: unknown) => {
      if (thread.worker !== worker) return; // 'error' is followed by 'exit': replace it once
      for (const pending of thread.pending.values())
        pending.resolve(Array.from({ length: pending.rows }, () => ({ ok: false, error })));
      thread.pending.clear();
      thread.load = 0;
      if (this.#closing) return;
      this.onThreadError(error);
      thread.worker = this.#spawn();
      this.#listen(thread);
    };
    worker.once('error', fail);
    worker.once('exit', (code) => {
      if (!this.#closing) fail(new Error(`evaluation thread exited with code ${code}`));
    });
  }
}

/**
 * The thread's module. Under vitest the sources run as TypeScript, which a worker thread cannot load;
 * it then runs the build of the same sources (test/global-setup.ts builds dist/ before the tests).
 */
function threadModule(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('../../dist/app/evaluation-thread.js', import.meta.url)
    : new URL('./evaluation-thread.js', import.meta.url);
}
