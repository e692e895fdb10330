// Touchpoints and their participants: recorded once per mail and account (SPEC §6), merged on repeats.
import type { Participant } from '../domain/scenario.js';
import type { TouchpointDraft } from '../domain/touchpoint.js';
import type { Executor } from './schema.js';

export interface ExistingTouchpoint {
  readonly id: string;
  readonly participants: readonly Participant[];
}

/** The touchpoint already recorded on `accountId` for the same mail (by any of its identity keys). */
export async function findSameMail(
  db: Executor,
  workspaceId: string,
  accountId: string,
  keys: readonly string[],
): Promise<ExistingTouchpoint | null> {
  if (keys.length === 0) return null;
  const row = await db
    .selectFrom('touchpoints')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('account_id', '=', accountId)
    .where((eb) => eb.or([eb('message_key', 'in', keys), eb('content_key', 'in', keys)]))
    .orderBy('created_at')
    .executeTakeFirst();
  if (row === undefined) return null;
  return { id: row.id, participants: await participantsOf(db, workspaceId, row.id) };
}

export async function participantsOf(
  db: Executor,
  workspaceId: string,
  touchpointId: string,
): Promise<Participant[]> {
  const rows = await db
    .selectFrom('touchpoint_participants')
    .select(['email', 'name', 'side'])
    .where('workspace_id', '=', workspaceId)
    .where('touchpoint_id', '=', touchpointId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    email: r.email as Participant['email'],
    name: r.name,
    side: r.side === 'internal' ? 'internal' : 'external',
  }));
}

export async function insertTouchpoint(
  db: Executor,
  workspaceId: string,
  id: string,
  draft: TouchpointDraft,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await db
    .insertInto('touchpoints')
    .values({
      workspace_id: workspaceId,
      id,
      account_id: draft.accountId,
      type: draft.type,
      flow: draft.flow,
      reason: draft.reason,
      subject: draft.subject,
      content_text: draft.contentText,
      content_visible: draft.contentVisible,
      content_html: draft.contentHtml,
      occurred_at: draft.occurredAt,
      author_email: draft.author,
      author_domain: draft.author.slice(draft.author.lastIndexOf('@') + 1),
      scenario: draft.scenario,
      message_key: draft.messageKey,
      content_key: draft.contentKey,
      inbound_id: draft.inboundId,
      trace: JSON.stringify(draft.trace),
      attachments: JSON.stringify(draft.attachments),
      created_at: at,
      updated_at: at,
    })
    .execute();
  await appendParticipants(db, workspaceId, id, draft.participants, 0);
}

/** Adds the participants the touchpoint does not have yet; returns those added. */
export async function mergeParticipants(
  db: Executor,
  workspaceId: string,
  existing: ExistingTouchpoint,
  participants: readonly Participant[],
  now: Date,
): Promise<Participant[]> {
  const known = new Set(existing.participants.map((p) => p.email));
  const added = participants.filter((p) => !known.has(p.email));
  if (added.length === 0) return [];
  await appendParticipants(db, workspaceId, existing.id, added, existing.participants.length);
  await db
    .updateTable('touchpoints')
    .set({ updated_at: now.toISOString() })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', existing.id)
    .execute();
  return added;
}

async function appendParticipants(
  db: Executor,
  workspaceId: string,
  touchpointId: string,
  participants: readonly Participant[],
  from: number,
) {
  if (participants.length === 0) return;
  await db
    .insertInto('touchpoint_participants')
    .values(
      participants.map((p, i) => ({
        workspace_id: workspaceId,
        touchpoint_id: touchpointId,
        email: p.email,
        name: p.name,
        side: p.side,
        position: from + i,
      })),
    )
    .execute();
}
