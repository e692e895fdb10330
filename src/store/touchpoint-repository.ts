// Touchpoints and their participants: recorded once per mail and account (SPEC §6), merged on repeats.
// Writes take a whole recording batch at once: one multi-row statement per table, not one per message.
import type { Participant } from '../domain/scenario.js';
import type { KnownMail } from '../domain/resolve-account.js';
import { isSameMail, keysOf, type MailIdentity, type TouchpointDraft } from '../domain/touchpoint.js';
import { countTouches } from './account-health-repository.js';
import type { StoreCapabilities } from './capabilities.js';
import { chunks } from './chunks.js';
import type { Executor } from './schema.js';

export interface ExistingTouchpoint {
  readonly id: string;
  readonly participants: readonly Participant[];
}

export interface SameMailQuery {
  readonly accountId: string;
  /** The mail's identity (SPEC §6). */
  readonly identity: MailIdentity;
}

/** The touchpoint already recorded on `accountId` for the same mail. */
export async function findSameMail(
  db: Executor,
  workspaceId: string,
  accountId: string,
  identity: MailIdentity,
): Promise<ExistingTouchpoint | null> {
  const [found] = await findSameMailEach(db, workspaceId, [{ accountId, identity }]);
  return found ?? null;
}

/**
 * For each query, the touchpoint already recorded on its account for the same mail (the oldest when
 * several match), or null; two statements for all of them.
 */
export async function findSameMailEach(
  db: Executor,
  workspaceId: string,
  queries: readonly SameMailQuery[],
): Promise<(ExistingTouchpoint | null)[]> {
  const rows = await touchpointsWithKeys(
    db,
    workspaceId,
    queries.flatMap((q) => keysOf(q.identity)),
    queries.map((q) => q.accountId),
  );
  const matches = queries.map(
    (q) => rows.find((r) => r.accountId === q.accountId && isSameMail(q.identity, r))?.id ?? null,
  );
  const participants = await participantsOfEach(
    db,
    workspaceId,
    matches.flatMap((id) => id ?? []),
  );
  return matches.map((id) => (id === null ? null : { id, participants: participants.get(id) ?? [] }));
}

/** The touchpoint a mail already made on any account of the workspace (the oldest), for SPEC §5 step 0. */
export async function findKnownMail(
  db: Executor,
  workspaceId: string,
  identity: MailIdentity,
): Promise<KnownMail | null> {
  const rows = await touchpointsWithKeys(db, workspaceId, keysOf(identity), null);
  const found = rows.find((r) => isSameMail(identity, r));
  return found === undefined ? null : { touchpointId: found.id, accountId: found.accountId };
}

interface KeyedTouchpoint extends MailIdentity {
  readonly id: string;
  readonly accountId: string;
}

/** Touchpoints holding any of `keys` (on `accountIds`, or on any account), oldest first. */
async function touchpointsWithKeys(
  db: Executor,
  workspaceId: string,
  keys: readonly string[],
  accountIds: readonly string[] | null,
): Promise<KeyedTouchpoint[]> {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return [];
  let query = db
    .selectFrom('touchpoints')
    .select(['id', 'account_id', 'message_key', 'content_key'])
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('message_key', 'in', unique), eb('content_key', 'in', unique)]))
    .orderBy('created_at')
    .orderBy('id');
  if (accountIds !== null) query = query.where('account_id', 'in', [...new Set(accountIds)]);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    accountId: r.account_id,
    messageKey: r.message_key ?? '',
    contentKey: r.content_key,
  }));
}

export async function participantsOf(
  db: Executor,
  workspaceId: string,
  touchpointId: string,
): Promise<Participant[]> {
  return (await participantsOfEach(db, workspaceId, [touchpointId])).get(touchpointId) ?? [];
}

async function participantsOfEach(
  db: Executor,
  workspaceId: string,
  touchpointIds: readonly string[],
): Promise<Map<string, Participant[]>> {
  const byTouchpoint = new Map<string, Participant[]>();
  if (touchpointIds.length === 0) return byTouchpoint;
  const rows = await db
    .selectFrom('touchpoint_participants')
    .select(['touchpoint_id', 'email', 'name', 'side'])
    .where('workspace_id', '=', workspaceId)
    .where('touchpoint_id', 'in', [...new Set(touchpointIds)])
    .orderBy('touchpoint_id')
    .orderBy('position')
    .execute();
  for (const r of rows) {
    const list = byTouchpoint.get(r.touchpoint_id) ?? [];
    list.push({
      email: r.email as Participant['email'],
      name: r.name,
      side: r.side === 'internal' ? 'internal' : 'external',
    });
    byTouchpoint.set(r.touchpoint_id, list);
  }
  return byTouchpoint;
}

export interface NewTouchpoint {
  readonly id: string;
  readonly draft: TouchpointDraft;
}

/**
 * Inserts touchpoints (without their participants: see appendParticipants) and counts them in their
 * accounts' health in the same transaction (SPEC §13).
 */
export async function insertTouchpoints(
  db: Executor,
  capabilities: StoreCapabilities,
  workspaceId: string,
  touchpoints: readonly NewTouchpoint[],
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  for (const chunk of chunks(touchpoints, 21, capabilities)) {
    await db
      .insertInto('touchpoints')
      .values(
        chunk.map(({ id, draft }) => ({
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
        })),
      )
      .execute();
  }
  await countTouches(
    db,
    capabilities,
    workspaceId,
    touchpoints.map(({ id, draft }) => ({
      id,
      accountId: draft.accountId,
      occurredAt: draft.occurredAt,
      author: draft.author,
    })),
    now,
  );
}

export interface ParticipantsToAppend {
  readonly touchpointId: string;
  readonly participants: readonly Participant[];
  /** Position of the first one: how many the touchpoint has already. */
  readonly from: number;
}

export async function appendParticipants(
  db: Executor,
  capabilities: StoreCapabilities,
  workspaceId: string,
  lists: readonly ParticipantsToAppend[],
): Promise<void> {
  const rows = lists.flatMap(({ touchpointId, participants, from }) =>
    participants.map((p, i) => ({
      workspace_id: workspaceId,
      touchpoint_id: touchpointId,
      email: p.email,
      name: p.name,
      side: p.side,
      position: from + i,
    })),
  );
  for (const chunk of chunks(rows, 6, capabilities))
    await db.insertInto('touchpoint_participants').values(chunk).execute();
}

/** Marks touchpoints changed (participants added). */
export async function touchTouchpoints(
  db: Executor,
  workspaceId: string,
  ids: readonly string[],
  now: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('touchpoints')
    .set({ updated_at: now.toISOString() })
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
}
