// Salesforce settings (one row per workspace, secrets sealed) and the sync state of each touchpoint.
import type { Insertable } from 'kysely';
import type { TaskSource } from '../domain/salesforce-task.js';
import type {
  Executor,
  SalesforceSettingsRow,
  SalesforceSettingsTable,
  SalesforceSyncRow,
} from './schema.js';
import { participantsOf } from './touchpoint-repository.js';

export type SyncStatus = 'pending' | 'synced' | 'failed' | 'paused';

export async function getSalesforceSettings(
  db: Executor,
  workspaceId: string,
): Promise<SalesforceSettingsRow | null> {
  return (
    (await db
      .selectFrom('salesforce_settings')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst()) ?? null
  );
}

/** Inserts or replaces the workspace's settings row; its queued writes become due (see bringSyncsForward). */
export async function saveSalesforceSettings(
  db: Executor,
  row: Insertable<SalesforceSettingsTable>,
): Promise<void> {
  // Everything but the key and the creation time.
  const update = {
    enabled: row.enabled,
    auth_flow: row.auth_flow,
    login_url: row.login_url,
    api_version: row.api_version,
    client_id: row.client_id,
    client_secret: row.client_secret,
    username: row.username,
    password: row.password,
    security_token: row.security_token,
    external_id_field: row.external_id_field,
    field_mapping: row.field_mapping,
    pause_below_share: row.pause_below_share,
    paused_until: row.paused_until,
    pause_reason: row.pause_reason,
    updated_at: row.updated_at,
  };
  await db
    .insertInto('salesforce_settings')
    .values(row)
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet(update))
    .execute();
  await bringSyncsForward(db, row.workspace_id, new Date(row.updated_at));
}

/**
 * The workspace's queued Salesforce writes become due now (the settings were saved: a pause is lifted,
 * credentials may be fixed, so waiting out a backoff would only delay them).
 */
export async function bringSyncsForward(db: Executor, workspaceId: string, now: Date): Promise<void> {
  const at = now.toISOString();
  await db
    .updateTable('outbox')
    .set({ due_at: at, updated_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', 'salesforce')
    .where('status', '=', 'queued')
    .where('due_at', '>', at)
    .execute();
}

/** Pauses (or, with `until` null, resumes) the workspace's sync; intake never reads this. */
export async function setSalesforcePause(
  db: Executor,
  workspaceId: string,
  until: Date | null,
  reason: string | null,
): Promise<void> {
  await db
    .updateTable('salesforce_settings')
    .set({ paused_until: until?.toISOString() ?? null, pause_reason: reason })
    .where('workspace_id', '=', workspaceId)
    .execute();
}

export async function getSyncState(
  db: Executor,
  workspaceId: string,
  touchpointId: string,
): Promise<SalesforceSyncRow | null> {
  return (
    (await db
      .selectFrom('salesforce_sync')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('touchpoint_id', '=', touchpointId)
      .executeTakeFirst()) ?? null
  );
}

/** The touchpoint is (again) waiting to be written: attempts start over, the generation moves on. */
export async function markSyncQueued(
  db: Executor,
  workspaceId: string,
  touchpointId: string,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await db
    .insertInto('salesforce_sync')
    .values({
      workspace_id: workspaceId,
      touchpoint_id: touchpointId,
      status: 'pending',
      task_id: null,
      last_error: null,
      attempts: 0,
      generation: 1,
      synced_at: null,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'touchpoint_id']).doUpdateSet((eb) => ({
        status: 'pending',
        last_error: null,
        attempts: 0,
        generation: eb('salesforce_sync.generation', '+', 1),
        updated_at: at,
      })),
    )
    .execute();
}

/** One more call to Salesforce for this touchpoint; returns the count. */
export async function countSyncAttempt(
  db: Executor,
  workspaceId: string,
  touchpointId: string,
  now: Date,
): Promise<number> {
  const row = await db
    .updateTable('salesforce_sync')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), updated_at: now.toISOString() }))
    .where('workspace_id', '=', workspaceId)
    .where('touchpoint_id', '=', touchpointId)
    .returning('attempts')
    .executeTakeFirst();
  return row?.attempts ?? 1;
}

/**
 * Records where the sync of a touchpoint stands. `synced` only applies to the `generation` the attempt
 * began with: false when the touchpoint was queued again meanwhile (its newer version is still due).
 */
export async function setSyncState(
  db: Executor,
  workspaceId: string,
  touchpointId: string,
  state: { status: SyncStatus; lastError: string | null; taskId?: string | null; generation?: number },
  now: Date,
): Promise<boolean> {
  const at = now.toISOString();
  let query = db
    .updateTable('salesforce_sync')
    .set({
      status: state.status,
      last_error: state.lastError?.slice(0, 2000) ?? null,
      updated_at: at,
      ...(state.taskId === undefined || state.taskId === null ? {} : { task_id: state.taskId }),
      ...(state.status === 'synced' ? { synced_at: at } : {}),
    })
    .where('workspace_id', '=', workspaceId)
    .where('touchpoint_id', '=', touchpointId);
  if (state.generation !== undefined) query = query.where('generation', '=', state.generation);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Every touchpoint of the workspace waiting on a pause is shown as paused (and back to pending). */
export async function markPendingSyncs(
  db: Executor,
  workspaceId: string,
  from: SyncStatus,
  to: SyncStatus,
  reason: string | null,
  now: Date,
): Promise<void> {
  await db
    .updateTable('salesforce_sync')
    .set({ status: to, last_error: reason, updated_at: now.toISOString() })
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', from)
    .execute();
}

/** What a Task is made of: the touchpoint, its participants, its account's Salesforce id. */
export async function taskSourceOf(
  db: Executor,
  workspaceId: string,
  touchpointId: string,
): Promise<TaskSource | null> {
  const row = await db
    .selectFrom('touchpoints')
    .innerJoin('accounts', (join) =>
      join
        .onRef('accounts.workspace_id', '=', 'touchpoints.workspace_id')
        .onRef('accounts.id', '=', 'touchpoints.account_id'),
    )
    .select([
      'touchpoints.subject',
      'touchpoints.content_text',
      'touchpoints.occurred_at',
      'accounts.attributes',
    ])
    .where('touchpoints.workspace_id', '=', workspaceId)
    .where('touchpoints.id', '=', touchpointId)
    .executeTakeFirst();
  if (row === undefined) return null;
  const participants = await participantsOf(db, workspaceId, touchpointId);
  return {
    touchpointId,
    subject: row.subject,
    // The full text: quoted history folded in the UI is still part of the record (SPEC §6).
    content: row.content_text,
    occurredAt: row.occurred_at,
    participants,
    salesforceAccountId: salesforceAccountIdOf(row.attributes),
  };
}

function salesforceAccountIdOf(attributes: string): string | null {
  const parsed: unknown = JSON.parse(attributes);
  if (typeof parsed !== 'object' || parsed === null || !('salesforceAccountId' in parsed)) return null;
  const id = parsed.salesforceAccountId;
  return typeof id === 'string' && id.trim() !== '' ? id.trim() : null;
}

export async function touchpointExists(
  db: Executor,
  workspaceId: string,
  touchpointId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('touchpoints')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', touchpointId)
    .executeTakeFirst();
  return row !== undefined;
}
