// What the service's thread and its evaluation threads say to each other (structured clones).
import type { DatabaseConfig } from '../config.js';
import type { InboundMessageRow } from '../store/schema.js';
import type { Evaluation } from './evaluate-message.js';

/** Given to each thread at its start. */
export interface ThreadSetup {
  readonly database: DatabaseConfig;
  readonly maxMessageBytes: number;
  readonly authservId: string;
  /** DNS servers of sender verification; empty = the system's. */
  readonly dnsServers: readonly string[];
  /** The thread's PostgreSQL connections (config.postgresPool.perThread); SQLite opens one. */
  readonly connections: number;
}

export interface JobMessage {
  readonly job: number;
  readonly rows: readonly InboundMessageRow[];
}

/** Asks a thread to close its connection and end once its jobs are answered. */
export interface CloseMessage {
  readonly close: true;
}

/**
 * Errors cross as text: an Error's class does not survive the structured clone. `kind` and `code` are
 * what the retry policy reads (src/work/retry-policy.ts), `stack` is for the log.
 */
export type WireResult =
  | { readonly ok: true; readonly evaluation: Evaluation }
  | { readonly ok: false; readonly kind: string; readonly code: string | null; readonly stack: string };

export interface ResultMessage {
  readonly job: number;
  readonly results: readonly WireResult[];
}

export function isThreadSetup(value: unknown): value is ThreadSetup {
  if (typeof value !== 'object' || value === null) return false;
  const setup: Partial<Record<keyof ThreadSetup, unknown>> = value;
  const database = setup.database;
  return (
    typeof setup.maxMessageBytes === 'number' &&
    typeof setup.authservId === 'string' &&
    Array.isArray(setup.dnsServers) &&
    typeof setup.connections === 'number' &&
    typeof database === 'object' &&
    database !== null &&
    'kind' in database &&
    (database.kind === 'sqlite' ? 'path' in database : 'url' in database)
  );
}
