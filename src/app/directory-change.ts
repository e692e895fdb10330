// What every directory edit runs with and answers: who does it, a clock and ids (ports, so tests control
// them), and a result that is a value — refusals are expected outcomes, not exceptions.
import type { AuditEntry } from '../store/audit-repository.js';
import type { Store } from '../store/store.js';

export interface ChangeContext {
  readonly store: Store;
  readonly workspaceId: string;
  /** Who does it, for the audit log (`actorOf(principal)`). */
  readonly actor: string;
  readonly now: () => Date;
  readonly newId: () => string;
}

export type ChangeProblem = 'not-found' | 'conflict' | 'invalid';

export type ChangeResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: ChangeProblem; readonly message: string };

export const done = <T>(value: T): ChangeResult<T> => ({ ok: true, value });

export const refused = <T>(problem: ChangeProblem, message: string): ChangeResult<T> => ({
  ok: false,
  problem,
  message,
});

/** An audit entry of this change, at `at`. */
export function auditEntry(
  context: ChangeContext,
  at: Date,
  action: string,
  subject: string,
  changes: AuditEntry['changes'],
): AuditEntry {
  return {
    id: context.newId(),
    workspaceId: context.workspaceId,
    at,
    actor: context.actor,
    action,
    subject,
    changes,
  };
}

/** Audit changes of a record that is gone: every field, before → null. */
export function removedFields(before: Readonly<Record<string, unknown>>): AuditEntry['changes'] {
  return Object.fromEntries(
    Object.entries(before).map(([key, value]) => [key, { before: value, after: null }]),
  );
}

/** ISO-8601 with a zone (or a bare date, taken as UTC midnight) → UTC text; null when it is not one. */
export function utcTimestamp(raw: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/i.test(raw))
    return null;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
