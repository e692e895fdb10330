// Edits of touchpoints: the change itself (guarded by the version the editor saw) and its history.
import type { Participant } from '../domain/scenario.js';
import type { FieldChanges, NotifyChoice } from '../domain/touchpoint-edit.js';
import { parseFieldChanges } from './json-columns.js';
import type { Executor, TouchpointTable } from './schema.js';

export type TouchpointUpdate = Partial<
  Pick<
    TouchpointTable,
    'account_id' | 'subject' | 'content_text' | 'content_visible' | 'content_html' | 'reason' | 'flow'
  >
>;

/**
 * Applies an edit when the touchpoint is still at version `expectedUpdatedAt` (optimistic concurrency:
 * a concurrent edit moved it on, and this one must not overwrite it). Returns false when it had moved.
 */
export async function updateTouchpoint(
  db: Executor,
  workspaceId: string,
  id: string,
  update: TouchpointUpdate,
  expectedUpdatedAt: string,
  updatedAt: string,
): Promise<boolean> {
  const result = await db
    .updateTable('touchpoints')
    .set({ ...update, updated_at: updatedAt })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('updated_at', '=', expectedUpdatedAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Replaces the participant list of a touchpoint, in order. */
export async function replaceParticipants(
  db: Executor,
  workspaceId: string,
  touchpointId: string,
  participants: readonly Participant[],
): Promise<void> {
  await db
    .deleteFrom('touchpoint_participants')
    .where('workspace_id', '=', workspaceId)
    .where('touchpoint_id', '=', touchpointId)
    .execute();
  if (participants.length === 0) return;
  await db
    .insertInto('touchpoint_participants')
    .values(
      participants.map((p, position) => ({
        workspace_id: workspaceId,
        touchpoint_id: touchpointId,
        email: p.email,
        name: p.name,
        side: p.side,
        position,
      })),
    )
    .execute();
}

export interface TouchpointEdit {
  readonly id: string;
  readonly workspaceId: string;
  readonly touchpointId: string;
  readonly editor: string;
  readonly at: string;
  readonly changes: FieldChanges;
  readonly participantsAdded: readonly Participant[];
  readonly participantsRemoved: readonly Participant[];
  readonly notify: NotifyChoice;
}

export async function insertTouchpointEdit(db: Executor, edit: TouchpointEdit): Promise<void> {
  await db
    .insertInto('touchpoint_edits')
    .values({
      id: edit.id,
      workspace_id: edit.workspaceId,
      touchpoint_id: edit.touchpointId,
      editor: edit.editor,
      at: edit.at,
      changes: JSON.stringify(edit.changes),
      participants_added: JSON.stringify(edit.participantsAdded),
      participants_removed: JSON.stringify(edit.participantsRemoved),
      notify: edit.notify,
    })
    .execute();
}

/** The edits of a touchpoint, newest first, after the position `before` when given. */
export async function listTouchpointEdits(
  db: Executor,
  workspaceId: string,
  touchpointId: string,
  limit: number,
  before?: { readonly at: string; readonly id: string },
): Promise<TouchpointEdit[]> {
  let query = db
    .selectFrom('touchpoint_edits')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('touchpoint_id', '=', touchpointId);
  if (before !== undefined)
    query = query.where((eb) =>
      eb.or([eb('at', '<', before.at), eb.and([eb('at', '=', before.at), eb('id', '<', before.id)])]),
    );
  const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((row) => ({
    id: row.id,
    workspaceId: row.workspace_id,
    touchpointId: row.touchpoint_id,
    editor: row.editor,
    at: row.at,
    changes: parseFieldChanges(row.changes),
    participantsAdded: parseParticipants(row.participants_added),
    participantsRemoved: parseParticipants(row.participants_removed),
    notify: row.notify === 'new' || row.notify === 'all' ? row.notify : 'none',
  }));
}

function parseParticipants(json: string): Participant[] {
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    if (!('email' in item) || !('name' in item) || !('side' in item)) return [];
    const { email, name, side } = item;
    if (typeof email !== 'string' || typeof name !== 'string') return [];
    return [
      { email: email as Participant['email'], name, side: side === 'internal' ? 'internal' : 'external' },
    ];
  });
}
