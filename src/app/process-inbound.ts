// Processing stored inbound messages: evaluate, then record touchpoint and outcome in one transaction.
// A batch shares one transaction (one fsync) — group commit on the processing side.
import type { Outcome } from '../domain/outcome.js';
import { outcome as makeOutcome } from '../domain/outcome.js';
import { rawAfterOutcome } from '../domain/privacy.js';
import { storableDate, storableText } from '../domain/storable.js';
import { parseHeaders } from '../mime/parse-headers.js';
import {
  completeInbound,
  deleteRaw,
  getInbound,
  inboundEnvelope,
  keptRaw,
  releaseAfterError,
  type InboundStatus,
} from '../store/inbound-repository.js';
import { afterProcessingFailure } from '../work/retry-policy.js';
import type { Executor, InboundMessageRow } from '../store/schema.js';
import type { Participant } from '../domain/scenario.js';
import { isSameMail, type TouchpointDraft } from '../domain/touchpoint.js';
import {
  appendParticipants,
  findSameMailEach,
  insertTouchpoints,
  touchTouchpoints,
  type NewTouchpoint,
  type ParticipantsToAppend,
} from '../store/touchpoint-repository.js';
import type { MessageDependencies } from './dependencies.js';
import { evaluate, type Evaluation, type Lookups, type Rerun } from './evaluate-message.js';
import { afterOutcome } from '../outbound/touchpoint-effects.js';
import { EffectLookups } from '../outbound/effect-lookups.js';

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
  const {
    recorded: [result],
    failed: [failure],
  } = await recordAll(deps, [{ row, evaluation: await evaluateRow(deps, row) }]);
  if (failure !== undefined) throw failure.error;
  if (result === undefined) throw new Error('recording returned no outcome');
  return result.outcome ?? storedOutcome((await getInbound(deps.store.db, workspaceId, inboundId)) ?? row);
}

/**
 * After processing `row` failed with `error`: gives it back to be tried again later, or — past the
 * attempts allowed, or when it failed the same way twice (SPEC §10) — ends it `failed: unprocessable`
 * with the error's kind in its trace (and a failure notice when the sender may get one). Returns the
 * outcome when it ended, null when it will be retried (or another process completed it meanwhile).
 */
export async function afterFailedProcessing(
  deps: MessageDependencies,
  row: InboundMessageRow,
  error: unknown,
): Promise<Outcome | null> {
  const next = afterProcessingFailure(
    { attempts: row.attempts, lastError: row.last_error, error },
    deps.now(),
  );
  if (next.kind === 'retry') {
    await releaseAfterError(deps.store.db, row.id, next.error, next.at);
    return null;
  }
  const evaluation = await unprocessable(row.raw, row.workspace_id, next.detail);
  const {
    recorded: [result],
    failed: [failure],
  } = await recordAll(deps, [{ row, evaluation }]);
  if (failure !== undefined) {
    // Not even the failure could be written (the store is down): the lease runs out, it is tried again.
    throw failure.error;
  }
  return result?.outcome ?? null;
}

/** The evaluation of a message that could not be processed: what its header block tells, and why. */
export async function unprocessable(
  raw: Uint8Array,
  workspaceId: string,
  detail: string,
): Promise<Evaluation> {
  const head = await parseHeaders(raw).catch(() => null);
  const date = head?.headers.get('date')?.[0];
  const ms = date === undefined ? Number.NaN : Date.parse(date);
  return {
    outcome: makeOutcome({
      status: 'failed',
      reason: 'unprocessable',
      workspaceId,
      scenario: null,
      accountId: null,
      candidates: [],
      touchpointId: null,
      participants: [],
      subject: head === null ? null : storableText(head.subject),
      occurredAt: Number.isNaN(ms) ? null : storableDate(new Date(ms).toISOString()),
      trace: [{ step: 'unprocessable', detail }],
    }),
    draft: null,
    authentication: null,
    from: head?.from?.email ?? null,
    noBody: false,
  };
}

export function evaluateRow(
  deps: MessageDependencies,
  row: InboundMessageRow,
  lookups?: Lookups,
  rerun: Rerun | null = null,
): Promise<Evaluation> {
  const raw = keptRaw(row);
  // Callers act only on messages whose raw is kept (queued ones always are; retry and assign check).
  if (raw === null) return Promise.reject(new Error(`Inbound message ${row.id} is no longer kept`));
  return evaluate(
    deps,
    deps.store.db,
    row.workspace_id,
    { raw, envelope: inboundEnvelope(row) },
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

/** A message of a batch that could not be recorded, with why: the rest of its batch was recorded. */
export interface NotRecorded {
  readonly row: InboundMessageRow;
  readonly error: unknown;
}

/**
 * Records evaluated messages in one transaction. When that transaction fails (one bad row, a race on
 * the same mail), each message is recorded in a transaction of its own, so one bad message holds back
 * none of the others (SPEC §10): those that fail alone come back in `failed`, for the caller to retry
 * or end.
 */
export async function recordAll(
  deps: MessageDependencies,
  items: readonly Evaluated[],
): Promise<{ recorded: Recorded[]; failed: NotRecorded[] }> {
  if (items.length > 1) {
    try {
      return {
        recorded: await deps.store.db.transaction().execute((trx) => recordBatch(trx, deps, items)),
        failed: [],
      };
    } catch {
      // fall through: one at a time
    }
  }
  const recorded: Recorded[] = [];
  const failed: NotRecorded[] = [];
  for (const item of items) {
    try {
      recorded.push(...(await deps.store.db.transaction().execute((trx) => recordBatch(trx, deps, [item]))));
    } catch (error) {
      if (error instanceof AlreadyCompleted) recorded.push({ row: item.row, outcome: null });
      else failed.push({ row: item.row, error });
    }
  }
  return { recorded, failed };
}

export interface Evaluated {
  readonly row: InboundMessageRow;
  readonly evaluation: Evaluation;
}

export interface RecordingOptions {
  /** The statuses the message may be in: `queued` for processing, `failed`/`pending` for retry and assign. */
  readonly from: readonly InboundStatus[];
  /** Who decided the account, when a person did (assign); null when the rules decided. */
  readonly decidedBy: string | null;
}

const PROCESSING: RecordingOptions = { from: ['queued'], decidedBy: null };

/**
 * Records one message in `trx` (retry and assign use it; the worker records whole batches through the
 * same `recordBatch`). Throws AlreadyCompleted when the message is no longer in one of `options.from`.
 */
export async function recordOutcome(
  trx: Executor,
  deps: MessageDependencies,
  row: InboundMessageRow,
  evaluation: Evaluation,
  options: RecordingOptions,
): Promise<Outcome> {
  const [recorded] = await recordBatch(trx, deps, [{ row, evaluation }], options);
  if (recorded?.outcome == null) throw new AlreadyCompleted();
  return recorded.outcome;
}

/**
 * The one recording path (worker, ingest, retry, assign): writes the touchpoints of `items` (or merges
 * them into the same mail), completes each inbound message and queues each outcome's effects, in `trx`.
 * Throws AlreadyCompleted when a message is no longer in one of `options.from` (roll back).
 */
async function recordBatch(
  trx: Executor,
  deps: MessageDependencies,
  items: readonly Evaluated[],
  options: RecordingOptions = PROCESSING,
): Promise<Recorded[]> {
  const now = deps.now();
  const outcomes = items.map((item) => item.evaluation.outcome);
  for (const workspaceId of new Set(items.map((item) => item.row.workspace_id))) {
    const drafts = items.flatMap((item, index) =>
      item.row.workspace_id === workspaceId && item.evaluation.draft !== null
        ? [{ index, draft: item.evaluation.draft }]
        : [],
    );
    const recorded = await record(trx, deps, workspaceId, drafts, now);
    for (const [n, { index }] of drafts.entries()) {
      const outcome = outcomes[index];
      const step = recorded[n];
      if (outcome === undefined || step === undefined) continue;
      outcomes[index] = {
        ...outcome,
        ...step.change,
        trace: [...outcome.trace, { step: 'record', detail: step.detail }],
      };
    }
  }
  const results = items.map((item, i) => ({
    row: item.row,
    outcome: outcomes[i] ?? item.evaluation.outcome,
  }));
  const completed = await completeInbound(
    trx,
    results.map(({ row, outcome }, i) => ({
      workspaceId: row.workspace_id,
      id: row.id,
      outcome,
      authentication: items[i]?.evaluation.authentication ?? null,
      fromAddress: items[i]?.evaluation.from ?? null,
    })),
    now,
    options.from,
  );
  if (completed !== items.length) throw new AlreadyCompleted();
  const lookups = new EffectLookups(trx);
  for (const [i, { row, outcome }] of results.entries()) {
    const authentication = items[i]?.evaluation.authentication ?? null;
    await afterOutcome(trx, deps, { row, outcome, authentication, decidedBy: options.decidedBy }, lookups);
  }
  // SPEC §11: in the transaction of the outcome, so no committed state keeps what the rules let go.
  const fates = results.map(({ row, outcome }, i) => ({
    id: row.id,
    fate: rawAfterOutcome(outcome, items[i]?.evaluation.noBody ?? false),
  }));
  const idsOf = (fate: string) => fates.filter((f) => f.fate === fate).map((f) => f.id);
  await deleteRaw(trx, idsOf('forget'), now, { neverLog: true });
  await deleteRaw(trx, idsOf('delete'), now);
  return results;
}

function storedOutcome(row: InboundMessageRow): Outcome {
  if (row.outcome === null) throw new Error(`Inbound message ${row.id} is ${row.status} without an outcome`);
  return JSON.parse(row.outcome) as Outcome;
}

interface RecordStep {
  readonly change: Pick<Outcome, 'touchpointId'> & Partial<Pick<Outcome, 'status' | 'reason'>>;
  readonly detail: string;
}

/** A touchpoint as this batch leaves it: participants merged by earlier messages of the batch included. */
interface Known {
  readonly id: string;
  readonly participants: Participant[];
  readonly stored: boolean;
}

/**
 * Records each draft (in order) as a new touchpoint, or merges it into the one the same mail already
 * made on that account — in the store or earlier in this batch — as one message after the other would.
 */
async function record(
  trx: Executor,
  deps: MessageDependencies,
  workspaceId: string,
  drafts: readonly { readonly draft: TouchpointDraft }[],
  now: Date,
): Promise<RecordStep[]> {
  const stored = await findSameMailEach(
    trx,
    workspaceId,
    drafts.map(({ draft }) => ({ accountId: draft.accountId, identity: draft })),
  );
  const known = new Map<string, Known>();
  const madeHere: { readonly draft: TouchpointDraft; readonly touchpoint: Known }[] = [];
  const inserts: NewTouchpoint[] = [];
  const appends: ParticipantsToAppend[] = [];
  const touched = new Set<string>();
  const steps = drafts.map(({ draft }, i): RecordStep => {
    const inStore = stored[i] ?? null;
    const same =
      inStore === null
        ? madeHere.find((m) => m.draft.accountId === draft.accountId && isSameMail(m.draft, draft))
            ?.touchpoint
        : (known.get(inStore.id) ??
          remember(known, { id: inStore.id, participants: [...inStore.participants], stored: true }));
    if (same === undefined) {
      const id = deps.newId();
      inserts.push({ id, draft });
      appends.push({ touchpointId: id, participants: draft.participants, from: 0 });
      madeHere.push({
        draft,
        touchpoint: remember(known, { id, participants: [...draft.participants], stored: false }),
      });
      return {
        change: { touchpointId: id },
        detail: `Recorded touchpoint ${id} on account ${draft.accountId}.`,
      };
    }
    const emails = new Set(same.participants.map((p) => p.email));
    const added = draft.participants.filter((p) => !emails.has(p.email));
    if (added.length === 0)
      return {
        change: { touchpointId: same.id, status: 'ignored', reason: 'duplicate' },
        detail: `The same mail is already touchpoint ${same.id} on account ${draft.accountId}; nothing new to add.`,
      };
    appends.push({ touchpointId: same.id, participants: added, from: same.participants.length });
    same.participants.push(...added);
    if (same.stored) touched.add(same.id);
    return {
      change: { touchpointId: same.id },
      detail: `The same mail is already touchpoint ${same.id} on account ${draft.accountId}; added ${added.map((p) => p.email).join(', ')} to its participants.`,
    };
  });
  const capabilities = deps.store.capabilities;
  await insertTouchpoints(trx, capabilities, workspaceId, inserts, now);
  await appendParticipants(trx, capabilities, workspaceId, appends);
  await touchTouchpoints(trx, workspaceId, [...touched], now);
  return steps;
}

function remember(known: Map<string, Known>, touchpoint: Known): Known {
  known.set(touchpoint.id, touchpoint);
  return touchpoint;
}
