// The outcome of processing one inbound message: the object of INTERFACE.md (CLI --json, inbound log).
import type { Scenario, Side } from './scenario.js';
import type { Trace } from './trace.js';

export type OutcomeStatus = 'recorded' | 'failed' | 'ignored' | 'pending';

export type OutcomeReason =
  | 'sender-not-a-user'
  | 'sender-not-authenticated'
  | 'empty-message'
  | 'no-customer-address'
  | 'no-account'
  | 'ambiguous-account'
  | 'too-large'
  | 'unparseable'
  | 'unprocessable'
  | 'auto-reply'
  | 'duplicate'
  | 'never-log';

export interface OutcomeParticipant {
  readonly email: string;
  readonly name: string;
  readonly side: Side;
}

export interface Outcome {
  readonly status: OutcomeStatus;
  readonly reason: OutcomeReason | null;
  readonly workspaceId: string;
  readonly scenario: Scenario | null;
  readonly accountId: string | null;
  readonly candidates: readonly string[];
  readonly touchpointId: string | null;
  readonly participants: readonly OutcomeParticipant[];
  readonly subject: string | null;
  readonly occurredAt: string | null;
  readonly trace: Trace;
}

/** An outcome with its keys in the order of INTERFACE.md, so printed outcomes read the same every time. */
export function outcome(fields: Outcome): Outcome {
  return {
    status: fields.status,
    reason: fields.reason,
    workspaceId: fields.workspaceId,
    scenario: fields.scenario,
    accountId: fields.accountId,
    candidates: fields.candidates,
    touchpointId: fields.touchpointId,
    participants: fields.participants.map((p) => ({ email: p.email, name: p.name, side: p.side })),
    subject: fields.subject,
    occurredAt: fields.occurredAt,
    trace: fields.trace,
  };
}
