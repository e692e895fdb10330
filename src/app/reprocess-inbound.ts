// A person acting on a message of the inbound log (SPEC §5: "a team member can assign an account, or fix
// the directory and retry, which records the touchpoint"): both evaluate the stored message again and
// record through the worker's own path, with an audit entry, in one transaction.
import type { Outcome, OutcomeReason } from '../domain/outcome.js';
import { appendAudit, changedFields } from '../store/audit-repository.js';
import { accountNames } from '../store/account-lookup-repository.js';
import { getInbound, keptRaw } from '../store/inbound-repository.js';
import type { InboundMessageRow } from '../store/schema.js';
import type { MessageDependencies } from './dependencies.js';
import type { Evaluation, Rerun } from './evaluate-message.js';
import { AlreadyCompleted, evaluateRow, recordOutcome, unprocessable } from './process-inbound.js';
import { errorKind, isTransient } from '../work/retry-policy.js';

/** What became of the request: the new outcome, or why nothing was done (a value, not an exception). */
export type ReprocessResult =
  | { readonly kind: 'done'; readonly outcome: Outcome }
  | { readonly kind: 'not-found'; readonly message: string }
  | { readonly kind: 'conflict'; readonly message: string };

/**
 * Failures a person can settle by choosing the account: the rules could not find one. The others are
 * refused: without a login sender there is no author (SPEC §1), an unauthenticated sender may be forged
 * (G3), and an empty, unreadable or oversized message has nothing to record.
 */
const ASSIGNABLE: ReadonlySet<string> = new Set<OutcomeReason>([
  'ambiguous-account',
  'no-account',
  'no-customer-address',
]);

const NOT_ASSIGNABLE: Readonly<Record<string, string>> = {
  'sender-not-a-user':
    'its sender is not a login user of the workspace, so the touchpoint would have no author; add them as a login (or an alias of one) and retry',
  'sender-not-authenticated':
    'its sender failed authentication (its From may be forged); it cannot be recorded on an account',
  'empty-message': 'it has nothing to record (no text, no forwarded message)',
  'too-large': 'it is over the size limit and was not read',
  unparseable: 'it could not be read as a message',
  unprocessable: 'processing it failed; retry it once the cause is fixed',
};

export interface RetryRequest {
  readonly workspaceId: string;
  readonly inboundId: string;
  /** actorOf(principal) */
  readonly actor: string;
}

export interface AssignRequest extends RetryRequest {
  readonly accountId: string;
}

/** Runs the rules again against the directory as it is now; the new outcome replaces the old one. */
export async function retryInbound(
  deps: MessageDependencies,
  request: RetryRequest,
): Promise<ReprocessResult> {
  const row = await getInbound(deps.store.db, request.workspaceId, request.inboundId);
  if (row === null) return { kind: 'not-found', message: `No inbound message ${request.inboundId}.` };
  const refused = refusal(row, 'retried');
  if (refused !== null) return refused;
  return reprocess(deps, row, { kind: 'retry', by: request.actor }, 'inbound.retry');
}

/** Records a failed or pending message on the account a person chose. */
export async function assignInbound(
  deps: MessageDependencies,
  request: AssignRequest,
): Promise<ReprocessResult> {
  const row = await getInbound(deps.store.db, request.workspaceId, request.inboundId);
  if (row === null) return { kind: 'not-found', message: `No inbound message ${request.inboundId}.` };
  const names = await accountNames(deps.store.db, request.workspaceId, [request.accountId]);
  if (!names.has(request.accountId))
    return { kind: 'not-found', message: `No account ${request.accountId}.` };
  const refused = refusal(row, 'assigned');
  if (refused !== null) return refused;
  const reason = row.reason ?? 'no reason';
  if (row.status === 'failed' && !ASSIGNABLE.has(reason))
    return conflict(
      `Inbound message ${row.id} failed with ${reason}: it cannot be assigned because ${
        NOT_ASSIGNABLE[reason] ?? 'the rules did not stop at the account'
      }.`,
    );
  return reprocess(
    deps,
    row,
    { kind: 'assign', by: request.actor, accountId: request.accountId },
    'inbound.assign',
  );
}

async function reprocess(
  deps: MessageDependencies,
  row: InboundMessageRow,
  rerun: Rerun,
  action: 'inbound.retry' | 'inbound.assign',
): Promise<ReprocessResult> {
  let evaluation: Evaluation;
  try {
    evaluation = await evaluateRow(deps, row, undefined, rerun);
  } catch (error) {
    // Still unprocessable (SPEC §10): say so again, with the error of this run; a passing error is not
    // the message's fault and is reported as it is.
    if (isTransient(error)) throw error;
    evaluation = await unprocessable(
      row.raw,
      row.workspace_id,
      `Run again by ${rerun.by}, the message still could not be processed (${errorKind(error)}). It is kept.`,
    );
  }
  if (rerun.kind === 'assign' && evaluation.draft === null) {
    // Evaluated again, the message no longer passes the gates (a login deactivated meanwhile, …).
    const { reason } = evaluation.outcome;
    const last = evaluation.outcome.trace.at(-1)?.detail ?? '';
    return conflict(`Evaluated again, inbound message ${row.id} stops at ${reason ?? 'a gate'}: ${last}`);
  }
  const before = { status: row.status, reason: row.reason, touchpointId: row.touchpoint_id };
  try {
    const outcome = await deps.store.db.transaction().execute(async (trx) => {
      const recorded = await recordOutcome(trx, deps, row, evaluation, {
        from: ['failed', 'pending'],
        decidedBy: rerun.kind === 'assign' ? rerun.by : null,
      });
      const after = {
        status: recorded.status,
        reason: recorded.reason,
        touchpointId: recorded.touchpointId,
        ...(rerun.kind === 'assign' ? { accountId: rerun.accountId } : {}),
      };
      await appendAudit(trx, {
        id: deps.newId(),
        workspaceId: row.workspace_id,
        at: deps.now(),
        actor: rerun.by,
        action,
        subject: row.id,
        changes: changedFields({ ...before, accountId: null }, after),
      });
      return recorded;
    });
    return { kind: 'done', outcome };
  } catch (error) {
    if (!(error instanceof AlreadyCompleted)) throw error;
    return conflict(`Inbound message ${row.id} was completed by someone else meanwhile.`);
  }
}

/**
 * Only failed and pending messages are acted on: the others are done, or not yet processed; and only
 * while their raw message is kept (SPEC §11: retention or an erasure may have taken it).
 */
function refusal(row: InboundMessageRow, verb: string): ReprocessResult | null {
  if (keptRaw(row) === null)
    return conflict(`Inbound message ${row.id} is no longer kept in full (SPEC §11); it cannot be ${verb}.`);
  if (row.status === 'failed' || row.status === 'pending') return null;
  const why =
    row.status === 'queued'
      ? 'is queued: a worker will process it'
      : `is already ${row.status}${row.touchpoint_id === null ? '' : ` (touchpoint ${row.touchpoint_id})`}`;
  return conflict(`Inbound message ${row.id} ${why}; only failed or pending messages can be ${verb}.`);
}

function conflict(message: string): ReprocessResult {
  return { kind: 'conflict', message };
}
