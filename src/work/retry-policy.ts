// How background work is retried (the inbound worker, the outbox worker, the Salesforce sync): one
// backoff, and for inbound messages a bounded life (SPEC §10): a message that cannot be processed after
// a few attempts, or that fails the same way twice, ends `failed: unprocessable` instead of being
// retried for ever.

/** Retry delay after an error: exponential from 5 s, capped at one hour, with jitter. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(60 * 60 * 1000, 5_000 * 2 ** Math.min(attempts, 20));
  return Math.round(base * (0.5 + random() / 2));
}

/**
 * Attempts at processing one inbound message before it ends `unprocessable`: with the backoff above, a
 * transient failure (store busy, connection lost) is retried over about a minute and a quarter, long
 * enough for a database failover or restart, short enough that the sender hears of it the same hour.
 */
export const MAX_PROCESSING_ATTEMPTS = 5;

/**
 * An error that crossed a thread boundary (an evaluation thread's): an Error's class and properties do
 * not survive the structured clone, so its kind and code travel as they were read on the other side.
 */
export class ReportedError extends Error {
  constructor(
    readonly kind: string,
    readonly code: string | null,
    stack: string,
  ) {
    super(kind);
    this.name = 'ReportedError';
    this.stack = stack;
  }
}

/** What is kept of an error: its kind and the first line of its message, bounded; never the stack. */
export function errorKind(error: unknown): string {
  if (error instanceof ReportedError) return error.kind;
  const name = error instanceof Error ? error.name : 'Error';
  const code = errorCode(error);
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  const text = `${name}${code === null ? '' : ` [${code}]`}: ${message}`;
  return text.length > MAX_ERROR_KIND_CHARS ? `${text.slice(0, MAX_ERROR_KIND_CHARS - 1)}…` : text;
}

/** An error line is for people and logs: a few hundred characters say what failed. */
const MAX_ERROR_KIND_CHARS = 300;

/**
 * Errors of the infrastructure, not of the message: they may pass if tried again. SQLite's busy and
 * locked; PostgreSQL's classes 08 (connection), 40 (rollback: serialization, deadlock), 53 (resources),
 * 57 (operator intervention: shutdown, cancel); sockets that failed.
 */
export function isTransient(error: unknown): boolean {
  const code = errorCode(error);
  if (code === null) return false;
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return true;
  if (/^(08|40|53|57)[0-9A-Z]{3}$/.test(code)) return true;
  return /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)$/.test(code);
}

export function errorCode(error: unknown): string | null {
  if (error instanceof ReportedError) return error.code;
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  const { code } = error;
  return typeof code === 'string' && code !== '' ? code : null;
}

export type ProcessingFailure =
  | { readonly kind: 'retry'; readonly at: Date; readonly error: string }
  | { readonly kind: 'give-up'; readonly error: string; readonly attempts: number; readonly detail: string };

/**
 * What to do with an inbound message whose processing failed: try again later, or end it. `attempts`
 * counts the failed attempts before this one; `lastError` is what the previous one left (errorKind).
 * The same error from the same bytes twice is not transient: it will fail the same way again.
 */
export function afterProcessingFailure(
  failure: { readonly attempts: number; readonly lastError: string | null; readonly error: unknown },
  now: Date,
  random: () => number = Math.random,
): ProcessingFailure {
  const error = errorKind(failure.error);
  const attempts = failure.attempts + 1;
  const repeated = !isTransient(failure.error) && failure.lastError === error;
  if (attempts >= MAX_PROCESSING_ATTEMPTS || repeated) {
    const why = repeated ? `it failed the same way twice` : `it failed ${attempts} times`;
    return {
      kind: 'give-up',
      error,
      attempts,
      detail: `The message could not be processed: ${why} (${error}). It is kept: retry it once the cause is fixed (for example after an upgrade).`,
    };
  }
  return { kind: 'retry', at: new Date(now.getTime() + retryDelayMs(failure.attempts, random)), error };
}
