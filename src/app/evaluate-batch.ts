// Evaluating a leased batch: every message of it through the same evaluate function, whether in the
// service's thread or in an evaluation thread (src/app/evaluation-threads.ts).
import type { InboundMessageRow } from '../store/schema.js';
import type { MessageDependencies } from './dependencies.js';
import { Lookups, type Evaluation } from './evaluate-message.js';
import { evaluateRow } from './process-inbound.js';

/** One message's evaluation, or why it could not be evaluated (the message is then retried later). */
export type EvaluationResult =
  { readonly ok: true; readonly evaluation: Evaluation } | { readonly ok: false; readonly error: unknown };

/** Evaluates the rows of a batch; the results keep the order of `rows`. */
export interface BatchEvaluator {
  evaluate(rows: readonly InboundMessageRow[]): Promise<EvaluationResult[]>;
  close(): Promise<void>;
}

/**
 * Messages of a batch evaluated at once. Evaluations only read: several at once keep a networked
 * database busy (PostgreSQL round trips); on SQLite they simply take turns.
 */
export const EVALUATION_LANES = 6;

export async function evaluateBatch(
  deps: MessageDependencies,
  rows: readonly InboundMessageRow[],
): Promise<EvaluationResult[]> {
  const lookups = new Lookups();
  const results = new Array<EvaluationResult>(rows.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < rows.length; i = next++) {
      const row = rows[i];
      if (row === undefined) continue;
      try {
        results[i] = { ok: true, evaluation: await evaluateRow(deps, row, lookups) };
      } catch (error) {
        results[i] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(EVALUATION_LANES, rows.length) }, lane));
  return results;
}

/** Evaluation in the calling thread. */
export function inProcessEvaluator(deps: MessageDependencies): BatchEvaluator {
  return {
    evaluate: (rows) => evaluateBatch(deps, rows),
    close: () => Promise.resolve(),
  };
}
