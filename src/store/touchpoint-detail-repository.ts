// One touchpoint with what is shown beside it: its account's name, its author's name, its participants
// and how many times it was edited.
import type { Participant } from '../domain/scenario.js';
import type { Executor, TouchpointRow } from './schema.js';
import { participantsOf } from './touchpoint-repository.js';

export interface TouchpointDetail {
  readonly row: TouchpointRow;
  readonly accountName: string;
  /** The author's login name; null when the author is no longer a login of the workspace. */
  readonly authorName: string | null;
  readonly participants: readonly Participant[];
  readonly editCount: number;
  /** Whether the message it was made from is still kept (SPEC §11: retention, no-body, erasure). */
  readonly originalKept: boolean;
}

export async function getTouchpointDetail(
  db: Executor,
  workspaceId: string,
  id: string,
): Promise<TouchpointDetail | null> {
  const row = await getTouchpointRow(db, workspaceId, id);
  if (row === null) return null;
  const [account, author, participants, edits, original] = await Promise.all([
    db
      .selectFrom('accounts')
      .select('name')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', row.account_id)
      .executeTakeFirst(),
    db
      .selectFrom('logins')
      .select('name')
      .where('workspace_id', '=', workspaceId)
      .where('email', '=', row.author_email)
      .executeTakeFirst(),
    participantsOf(db, workspaceId, id),
    db
      .selectFrom('touchpoint_edits')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('workspace_id', '=', workspaceId)
      .where('touchpoint_id', '=', id)
      .executeTakeFirstOrThrow(),
    row.inbound_id === null
      ? Promise.resolve(undefined)
      : db
          .selectFrom('inbound_messages')
          .select('raw_deleted_at')
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', row.inbound_id)
          .executeTakeFirst(),
  ]);
  return {
    row,
    accountName: account?.name ?? row.account_id,
    authorName: author?.name ?? null,
    participants,
    editCount: Number(edits.n),
    originalKept: original !== undefined && original.raw_deleted_at === null,
  };
}

export async function getTouchpointRow(
  db: Executor,
  workspaceId: string,
  id: string,
): Promise<TouchpointRow | null> {
  const row = await db
    .selectFrom('touchpoints')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ?? null;
}
