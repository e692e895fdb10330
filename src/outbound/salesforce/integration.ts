// The Salesforce integration of the running service: a jsforce session per workspace (cached until its
// settings change), the outbox handler that writes each touchpoint as a completed Task (SPEC §9), the
// API allocation watch and pauses, and the "test connection" action.
import type { Counter } from 'prom-client';
import { retryDelayMs } from '../../work/retry-policy.js';
import { contactQuery, taskDraft, type TaskDraft } from '../../domain/salesforce-task.js';
import type { Logger } from '../../logger.js';
import { SecretKeyError, type SecretBox } from '../../secrets/secret-box.js';
import {
  countSyncAttempt,
  getSalesforceSettings,
  getSyncState,
  markPendingSyncs,
  markSyncQueued,
  setSalesforcePause,
  setSyncState,
  taskSourceOf,
  type SyncStatus,
} from '../../store/salesforce-repository.js';
import { requeueOutbox } from '../../store/outbox-repository.js';
import type { OutboxRow, SalesforceSettingsRow } from '../../store/schema.js';
import type { Store } from '../../store/store.js';
import type { OutboxHandler, OutboxResult } from '../outbox-worker.js';
import { classifySalesforceError, LIMIT_PAUSE_MS, LOGIN_PAUSE_MS } from './classify-error.js';
import { createSession, type SalesforceSession } from './connection.js';
import { credentialsOf, fieldMappingOf } from './settings.js';

export interface SalesforceDependencies {
  readonly store: Store;
  readonly secrets: SecretBox;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly syncTotal: Counter<'result'> | null;
}

export interface SalesforceOptions {
  /** Per HTTP call; an attempt makes at most four (token, refresh, query, upsert), under the lease. */
  readonly timeoutMs: number;
  /** Transient failures (timeouts, 5xx) before a touchpoint is given up as failed; re-sync starts over. */
  readonly maxAttempts: number;
  /** Hosts besides Salesforce's that login and instance URLs may name (TOUCHMAIL_SALESFORCE_EXTRA_HOSTS). */
  readonly extraHosts: readonly string[];
}

export const DEFAULT_SALESFORCE_OPTIONS: SalesforceOptions = {
  timeoutMs: 20_000,
  maxAttempts: 15,
  extraHosts: [],
};

export type TestResult =
  | {
      readonly ok: true;
      readonly organizationId: string | null;
      readonly apiUsage: { readonly used: number; readonly max: number } | null;
    }
  | { readonly ok: false; readonly message: string };

/** What an outbox item of kind `salesforce` carries. */
export interface SalesforcePayload {
  readonly touchpointId: string;
}

export class SalesforceIntegration {
  readonly #sessions = new Map<string, { version: string; session: SalesforceSession }>();

  constructor(
    private readonly deps: SalesforceDependencies,
    private readonly options: SalesforceOptions = DEFAULT_SALESFORCE_OPTIONS,
  ) {}

  get secrets(): SecretBox {
    return this.deps.secrets;
  }

  /** What settings' login URLs may name besides Salesforce's domains. */
  get extraHosts(): readonly string[] {
    return this.options.extraHosts;
  }

  /** The outbox handler: an upsert by external id is idempotent, so an interrupted attempt may repeat. */
  handler(): OutboxHandler {
    return { kind: 'salesforce', safeToRepeat: true, handle: (item) => this.#sync(item) };
  }

  /** Drops the cached session (the settings changed). */
  forget(workspaceId: string): void {
    this.#sessions.delete(workspaceId);
  }

  /** Logs in with the stored settings and runs a cheap query; the answer in plain words. */
  async testConnection(workspaceId: string): Promise<TestResult> {
    const row = await getSalesforceSettings(this.deps.store.db, workspaceId);
    if (row === null) return { ok: false, message: 'Nothing is configured yet.' };
    let session: SalesforceSession | null = null;
    try {
      const credentials = credentialsOf(row, this.deps.secrets);
      if (credentials === null)
        return {
          ok: false,
          message: 'The settings lack credentials (client id and secret, or user and password).',
        };
      session = createSession(credentials, this.options.timeoutMs, this.options.extraHosts);
      session.beginOperation();
      await session.login();
      const result = await session.connection.query<{ Id: string }>('SELECT Id FROM Organization LIMIT 1');
      return { ok: true, organizationId: result.records[0]?.Id ?? null, apiUsage: session.apiUsage() };
    } catch (error) {
      if (error instanceof SecretKeyError) return { ok: false, message: error.message };
      const failure = classifySalesforceError(error, session?.lastStatus() ?? null);
      return { ok: false, message: capitalize(failure.reason) };
    }
  }

  async #sync(item: OutboxRow): Promise<OutboxResult> {
    const db = this.deps.store.db;
    const workspaceId = item.workspace_id;
    const touchpointId = payloadOf(item.payload).touchpointId;
    const now = this.deps.now();
    const state = (status: SyncStatus, lastError: string | null) =>
      setSyncState(db, workspaceId, touchpointId, { status, lastError }, now);

    const settings = await getSalesforceSettings(db, workspaceId);
    if (settings?.enabled !== 1) {
      const reason = 'not synced: the Salesforce sync is turned off';
      await state('failed', reason);
      return this.#count('cancelled', { kind: 'cancelled', reason });
    }
    if (settings.paused_until !== null && settings.paused_until > now.toISOString()) {
      // Paused: waits without counting an attempt; intake and recording go on (SPEC §9).
      await state('paused', `paused until ${settings.paused_until}: ${settings.pause_reason ?? ''}`);
      return this.#count('paused', {
        kind: 'retry',
        error: `Salesforce sync paused: ${settings.pause_reason ?? ''}`,
        at: new Date(settings.paused_until),
      });
    }
    const source = await taskSourceOf(db, workspaceId, touchpointId);
    if (source === null) {
      await state('failed', 'not synced: the touchpoint no longer exists');
      return this.#count('cancelled', { kind: 'cancelled', reason: 'the touchpoint no longer exists' });
    }
    const draft = taskDraft(source, fieldMappingOf(settings), settings.external_id_field);
    if (!draft.ok) return this.#fail(workspaceId, touchpointId, draft.reason, now);

    let sync = await getSyncState(db, workspaceId, touchpointId);
    if (sync === null) {
      await markSyncQueued(db, workspaceId, touchpointId, now);
      sync = await getSyncState(db, workspaceId, touchpointId);
    }
    const generation = sync?.generation ?? 0;
    const attempts = await countSyncAttempt(db, workspaceId, touchpointId, now);

    let session: SalesforceSession | null = null;
    let result: Awaited<ReturnType<typeof upsertTask>>;
    // Only the calls to Salesforce are caught here: a store error after them is not Salesforce's answer.
    try {
      session = await this.#session(workspaceId, settings);
      result = await upsertTask(session, draft, settings.external_id_field);
    } catch (error) {
      if (error instanceof SecretKeyError)
        return this.#pause(workspaceId, touchpointId, error.message, LOGIN_PAUSE_MS, now);
      if (session !== null) await this.#watchAllocation(settings, session, now);
      const status = error instanceof LoginFailed ? error.status : (session?.lastStatus() ?? null);
      const failure = classifySalesforceError(error, status);
      this.deps.logger.warn(
        { workspaceId, touchpointId, failure: failure.kind, reason: failure.reason },
        'Salesforce sync attempt failed',
      );
      switch (failure.kind) {
        case 'pause':
          if (failure.forMs === LOGIN_PAUSE_MS) this.forget(workspaceId);
          return this.#pause(workspaceId, touchpointId, failure.reason, failure.forMs, now);
        case 'retry': {
          if (attempts >= this.options.maxAttempts)
            return this.#fail(
              workspaceId,
              touchpointId,
              `gave up after ${attempts} attempts: ${failure.reason}`,
              now,
            );
          await state('pending', failure.reason);
          return this.#count('retry', {
            kind: 'retry',
            error: failure.reason,
            at: new Date(now.getTime() + retryDelayMs(attempts - 1)),
          });
        }
        case 'permanent':
          return this.#fail(workspaceId, touchpointId, failure.reason, now);
      }
    }
    await this.#watchAllocation(settings, session, now).catch((error: unknown) =>
      // The Task is written; the allocation is read again from the next answer.
      this.deps.logger.warn({ err: error, workspaceId }, 'could not record the Salesforce API allocation'),
    );
    if (!result.success) {
      const errors: readonly { errorCode: string; message: string }[] = result.errors;
      const reason = errors.map((e) => `${e.errorCode}: ${e.message}`).join('; ');
      return this.#fail(
        workspaceId,
        touchpointId,
        reason === '' ? 'Salesforce refused the Task' : reason,
        now,
      );
    }
    // An update answered 204 (API before 46.0) carries no id: the one from the first write stays.
    const taskId: unknown = result.id;
    return this.#count('synced', {
      kind: 'done',
      // Written with the outbox item's outcome, in its transaction.
      record: async (trx) => {
        const current = await setSyncState(
          trx,
          workspaceId,
          touchpointId,
          {
            status: 'synced',
            lastError: null,
            taskId: typeof taskId === 'string' ? taskId : null,
            generation,
          },
          now,
        );
        // Edited while it was written (an edit cannot requeue an item in flight): the newer version
        // is written next.
        if (!current)
          await requeueOutbox(trx, now, {
            id: item.id,
            workspaceId,
            kind: 'salesforce',
            key: item.key,
            payload: { touchpointId },
          });
      },
    });
  }

  /** A session for the workspace, logged in; a new one when the settings changed since. */
  async #session(workspaceId: string, settings: SalesforceSettingsRow): Promise<SalesforceSession> {
    const cached = this.#sessions.get(workspaceId);
    if (cached !== undefined && cached.version === settings.updated_at) return cached.session;
    const credentials = credentialsOf(settings, this.deps.secrets);
    if (credentials === null) throw new SecretKeyError('The settings lack credentials: enter them again.');
    const session = createSession(credentials, this.options.timeoutMs, this.options.extraHosts);
    session.beginOperation();
    try {
      await session.login();
    } catch (error) {
      // Classified by the caller with this session's last status.
      this.#sessions.delete(workspaceId);
      throw new LoginFailed(error, session.lastStatus());
    }
    this.#sessions.set(workspaceId, { version: settings.updated_at, session });
    return session;
  }

  /** Pauses the workspace when less than the configured share of the daily allocation remains. */
  async #watchAllocation(
    settings: SalesforceSettingsRow,
    session: SalesforceSession,
    now: Date,
  ): Promise<void> {
    const usage = session.apiUsage();
    const threshold = Number(settings.pause_below_share);
    if (usage === null || usage.max <= 0 || threshold <= 0) return;
    const remaining = Math.max(0, usage.max - usage.used) / usage.max;
    if (remaining >= threshold) return;
    const reason = `only ${percent(remaining)} of the daily API allocation remains (${usage.used}/${usage.max} used); the sync pauses below ${percent(threshold)}`;
    await this.#setPause(settings.workspace_id, new Date(now.getTime() + LIMIT_PAUSE_MS), reason, now);
  }

  async #setPause(workspaceId: string, until: Date, reason: string, now: Date): Promise<void> {
    const db = this.deps.store.db;
    await setSalesforcePause(db, workspaceId, until, reason);
    await markPendingSyncs(
      db,
      workspaceId,
      'pending',
      'paused',
      `paused until ${until.toISOString()}: ${reason}`,
      now,
    );
    this.deps.logger.warn({ workspaceId, until, reason }, 'Salesforce sync paused');
  }

  async #pause(
    workspaceId: string,
    touchpointId: string,
    reason: string,
    forMs: number,
    now: Date,
  ): Promise<OutboxResult> {
    const until = new Date(now.getTime() + forMs);
    await this.#setPause(workspaceId, until, reason, now);
    await setSyncState(
      this.deps.store.db,
      workspaceId,
      touchpointId,
      { status: 'paused', lastError: `paused until ${until.toISOString()}: ${reason}` },
      now,
    );
    return this.#count('paused', { kind: 'retry', error: `Salesforce sync paused: ${reason}`, at: until });
  }

  async #fail(workspaceId: string, touchpointId: string, reason: string, now: Date): Promise<OutboxResult> {
    const shown = `not synced: ${reason}`;
    await setSyncState(
      this.deps.store.db,
      workspaceId,
      touchpointId,
      { status: 'failed', lastError: shown },
      now,
    );
    return this.#count('failed', { kind: 'failed', error: shown });
  }

  #count(result: string, outcome: OutboxResult): OutboxResult {
    this.deps.syncTotal?.inc({ result });
    return outcome;
  }
}

/** A login that failed, with the HTTP status its last answer had (for classification). */
class LoginFailed extends Error {
  readonly errorCode: string;
  constructor(
    readonly original: unknown,
    readonly status: number | null,
  ) {
    super(original instanceof Error ? original.message : String(original));
    this.name = original instanceof Error ? original.name : 'Error';
    this.errorCode =
      original instanceof Error && 'errorCode' in original && typeof original.errorCode === 'string'
        ? original.errorCode
        : this.name;
  }
}

/** Writes the Task (upsert by external id), with the Contact found by email as WhoId. */
async function upsertTask(
  session: SalesforceSession,
  draft: Extract<TaskDraft, { ok: true }>,
  externalIdField: string,
) {
  session.beginOperation();
  const connection = session.connection;
  let whoId: string | null = null;
  if (draft.contactEmail !== null) {
    const found = await connection.query<{ Id: string }>(contactQuery(draft.contactEmail));
    whoId = found.records[0]?.Id ?? null;
  }
  const record = whoId === null ? { ...draft.record } : { ...draft.record, WhoId: whoId };
  return connection.sobject('Task').upsert(record, externalIdField);
}

function payloadOf(json: string): SalesforcePayload {
  const parsed: unknown = JSON.parse(json);
  if (
    typeof parsed === 'object' &&
    parsed !== null &&
    'touchpointId' in parsed &&
    typeof parsed.touchpointId === 'string'
  )
    return { touchpointId: parsed.touchpointId };
  throw new Error('A Salesforce outbox item without a touchpoint id');
}

function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.01 ? 2 : 1).replace(/\.0+$/, '')}%`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
