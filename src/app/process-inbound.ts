// Processing stored inbound messages: evaluate, then record touchpoint and outcome in one transaction.
// A batch shares one transaction (one fsync) — group commit on the processing side.
import type { Outcome } from '../domain/outcome.js';
import {
  completeInbound,
  getInbound,
  inboundEnvelope,
  type InboundStatus,
} from '../store/inbound-repository.js';
import type { Executor, InboundMessageRow } from '../store/schema.js';
import { findSameMail, insertTouchpoint, mergeParticipants } from '../store/touchpoint-repository.js';
import type { MessageDependencies } from './dependencies.js';
import { afterOutcome } from './touchpoint-effects.js';
import { evaluate, keysOf, type Evaluation, type Lookups, type Rerun } from './evaluate-message.js';

/** Thrown inside a recording transaction when another process completed the message first. */
export class AlreadyCompleted extends Error {}

/** Evaluates and records one stored message; returns its outcome (the stored one if it was already done). */
export async function processInbound(
  deps: MessageDependencies,
  workspaceId: string,
  inboundId: string,
): Promise<Outcome> {
  const row = await getInbound(deps.store.db, workspaceId, inboundId);
  if (row === null) throw new Error(`No inbound message ${inboundId} in workspace ${workspaceId}`);
  if (row.status !== 'queued') return storedOutcome(row);
  const [result] = await recordAll(deps, [{ row, evaluation: await evaluateRow(deps, row) }]);
  if (result === undefined) throw new Error('recording returned no outcome');
  return result.outcome ?? storedOutcome((await getInbound(deps.store.db, workspaceId, inboundId)) ?? row);
}

export function evaluateRow(
  deps: MessageDependencies,
  row: InboundMessageRow,
  lookups?: Lookups,
  rerun: Rerun | null = null,
): Promise<Evaluation> {
  return evaluate(
    deps,
    deps.store.db,
    row.workspace_id,
    { raw: row.raw, envelope: inboundEnvelope(row) },
    row.raw_sha256,
    new Date(row.received_at),
    row.id,
    lookups,
    rerun,
  );
}

export interface Recorded {
  readonly row: InboundMessageRow;
  /** null when another process had completed the message already. */
  readonly outcome: Outcome | null;
}

/**
 * Records evaluated messages in one transaction. When that transaction fails (one bad row, a race on
 * the same mail), each message is retried in a transaction of its own so one cannot hold back the rest.
 */
export async function recordAll(
  deps: MessageDependencies,
  items: readonly { row: InboundMessageRow; evaluation: Evaluation }[],
): Promise<Recorded[]> {
  if (items.length > 1) {
    try {
      return await deps.store.db.transaction().execute(async (trx) => {
        const results: Recorded[] = [];
        for (const item of items)
          results.push({ row: item.row, outcome: await recordOne(trx, deps, item.row, item.evaluation) });
        return results;
      });
    } catch {
      // fall through: one at a time
    }
  }
  const results: Recorded[] = [];
  for (const item of items) {
    try {
      const outcome = await deps.store.db
        .transaction()
        .execute((trx) => recordOne(trx, deps, item.row, item.evaluation));
      results.push({ row: item.row, outcome });
    } catch (error) {
      if (!(error instanceof AlreadyCompleted)) throw error;
      results.push({ row: item.row, outcome: null });
    }
  }
  return results;
}

async function recordOne(
  trx: Executor,
  deps: MessageDependencies,
  row: InboundMessageRow,
  evaluation: Evaluation,
): Promise<Outcome> {
  return recordOutcome(trx, deps, row, evaluation, { from: ['queued'], decidedBy: null });
}

export interface RecordingOptions {
  /** The statuses the message may be in: `queued` for processing, `failed`/`pending` for retry and assign. */
  readonly from: readonly InboundStatus[];
  /** Who decided the account, when a person did (assign); null when the rules decided. */
  readonly decidedBy: string | null;
}

/**
 * The one recording path (worker, ingest, retry, assign): records the touchpoint (or merges into the same
 * mail), stores the outcome on the inbound message and queues the outcome's effects, in `trx`. Throws
 * AlreadyCompleted when the message is no longer in one of `options.from` (roll the transaction back).
 */
export async function recordOutcome(
  trx: Executor,
  deps: MessageDependencies,
  row: InboundMessageRow,
  evaluation: Evaluation,
  options: RecordingOptions,
): Promise<Outcome> {
  const now = deps.now();
  const outcome =
    evaluation.draft === null
      ? evaluation.outcome
      : await record(trx, deps, row.workspace_id, evaluation, now);
  const completed = await completeInbound(
    trx,
    row.workspace_id,
    row.id,
    outcome,
    now,
    evaluation.authentication,
    { fromAddress: evaluation.from, from: options.from },
  );
  if (!completed) throw new AlreadyCompleted();
  await afterOutcome(trx, deps, {
    row,
    outcome,
    authentication: evaluation.authentication,
    decidedBy: options.decidedBy,
  });
  return outcome;
}

function storedOutcome(row: InboundMessageRow): Outcome {
  if (row.outcome === null) throw new Error(`Inbound message ${row.id} is ${row.status} without an outcome`);
  return JSON.parse(row.outcome) as Outcome;
}

/** Records the touchpoint, or merges into the one the same mail already made on that account. */
async function record(
  trx: Executor,
  deps: MessageDependencies,
  workspaceId: string,
  evaluation: Evaluation,
  now: Date,
): Promise<Outcome> {
  const draft = evaluation.draft;
  if (draft === null) return evaluation.outcome;
  const same = await findSameMail(trx, workspaceId, draft.accountId, keysOf(draft));
  if (same === null) {
    const id = deps.newId();
    await insertTouchpoint(trx, workspaceId, id, draft, now);
    return {
      ...evaluation.outcome,
      touchpointId: id,
      trace: [
        ...evaluation.outcome.trace,
        { step: 'record', detail: `Recorded touchpoint ${id} on account ${draft.accountId}.` },
      ],
    };
  }
  const added = await mergeParticipants(trx, workspaceId, same, draft.participants, now);
  if (added.length === 0) {
    const detail = `The same mail is already touchpoint ${same.id} on account ${draft.accountId}; nothing new to add.`;
    return {
      ...evaluation.outcome,
      status: 'ignored',
      reason: 'duplicate',
      touchpointId: same.id,
      trace: [...evaluation.outcome.trace, { step: 'record', detail }],
    };
  }
  const detail = `The same mail is already touchpoint ${same.id} on account ${draft.accountId}; added ${added.map((p) => p.email).join(', ')} to its participants.`;
  return {
    ...evaluation.outcome,
    touchpointId: same.id,
    trace: [...evaluation.outcome.trace, { step: 'record', detail }],
  };
}
