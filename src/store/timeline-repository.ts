// An account's timeline (INTERFACE.md `GET …/accounts/{id}/timeline`): touchpoint summaries newest first,
// (occurred_at, id) descending, read along touchpoints_by_account_time (migration 0009) a page at a time.
import { sql } from 'kysely';
import type { Executor } from './schema.js';
import type { Page } from './directory-records.js';

/** Characters of visible content a summary previews. */
export const PREVIEW_CHARS = 200;
/** Participants a summary lists (in order); `participantCount` says how many there are. */
export const SUMMARY_PARTICIPANTS = 20;

export interface TimelineKey {
  readonly occurredAt: string;
  readonly id: string;
}

export interface TimelineItem {
  readonly id: string;
  readonly occurredAt: string;
  readonly subject: string;
  readonly type: string;
  readonly flow: string;
  readonly reason: string | null;
  readonly authorEmail: string;
  /** The login's name; null when the author is no (longer a) login of the workspace. */
  readonly authorName: string | null;
  readonly scenario: string | null;
  readonly participants: readonly { email: string; name: string; side: string }[];
  readonly participantCount: number;
  /** The start of the visible content (quoted history and signature folded away), whitespace collapsed. */
  readonly preview: string;
  readonly attachmentCount: number;
}

export async function accountTimeline(
  db: Executor,
  workspaceId: string,
  accountId: string,
  query: { readonly limit: number; readonly before?: TimelineKey },
): Promise<Page<TimelineItem, TimelineKey>> {
  let select = db
    .selectFrom('touchpoints as t')
    .leftJoin('logins as l', (join) =>
      join.onRef('l.workspace_id', '=', 't.workspace_id').onRef('l.email', '=', 't.author_email'),
    )
    .select([
      't.id',
      't.occurred_at',
      't.subject',
      't.type',
      't.flow',
      't.reason',
      't.author_email',
      'l.name as author_name',
      't.scenario',
      't.attachments',
      // Read only the start of the content: a touchpoint's text may be megabytes. Twice the preview, so
      // collapsing whitespace still leaves enough.
      sql<string>`substr(coalesce(t.content_visible, t.content_text), 1, ${PREVIEW_CHARS * 2})`.as(
        'content_start',
      ),
    ])
    .where('t.workspace_id', '=', workspaceId)
    .where('t.account_id', '=', accountId);
  const before = query.before;
  if (before !== undefined)
    // The `<=` bound lets the index seek to the cursor; the `or` steps past it.
    select = select
      .where('t.occurred_at', '<=', before.occurredAt)
      .where((eb) => eb.or([eb('t.occurred_at', '<', before.occurredAt), eb('t.id', '<', before.id)]));
  const rows = await select
    .orderBy('t.occurred_at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const participants = await participantsOfPage(
    db,
    workspaceId,
    page.map((r) => r.id),
  );
  const last = page.at(-1);
  return {
    items: page.map((row) => {
      const people = participants.get(row.id);
      return {
        id: row.id,
        occurredAt: row.occurred_at,
        subject: row.subject,
        type: row.type,
        flow: row.flow,
        reason: row.reason,
        authorEmail: row.author_email,
        authorName: row.author_name,
        scenario: row.scenario,
        participants: people?.listed ?? [],
        participantCount: people?.count ?? 0,
        preview: previewOf(row.content_start),
        attachmentCount: countJsonArray(row.attachments),
      };
    }),
    next:
      rows.length > query.limit && last !== undefined ? { occurredAt: last.occurred_at, id: last.id } : null,
  };
}

/** The first participants of each touchpoint of a page, and how many each has. */
async function participantsOfPage(
  db: Executor,
  workspaceId: string,
  ids: readonly string[],
): Promise<Map<string, { listed: { email: string; name: string; side: string }[]; count: number }>> {
  const byId = new Map<string, { listed: { email: string; name: string; side: string }[]; count: number }>();
  if (ids.length === 0) return byId;
  const counts = await db
    .selectFrom('touchpoint_participants')
    .select(['touchpoint_id', sql<number | string | bigint>`count(*)`.as('n')])
    .where('workspace_id', '=', workspaceId)
    .where('touchpoint_id', 'in', ids)
    .groupBy('touchpoint_id')
    .execute();
  for (const row of counts) byId.set(row.touchpoint_id, { listed: [], count: Number(row.n) });
  // Positions run 0, 1, 2, … per touchpoint (participants are only ever appended).
  const rows = await db
    .selectFrom('touchpoint_participants')
    .select(['touchpoint_id', 'email', 'name', 'side'])
    .where('workspace_id', '=', workspaceId)
    .where('touchpoint_id', 'in', ids)
    .where('position', '<', SUMMARY_PARTICIPANTS)
    .orderBy('touchpoint_id')
    .orderBy('position')
    .execute();
  for (const row of rows)
    byId.get(row.touchpoint_id)?.listed.push({ email: row.email, name: row.name, side: row.side });
  return byId;
}

function previewOf(text: string): string {
  // By code point, so an emoji is never cut in half.
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  if (chars.length <= PREVIEW_CHARS) return chars.join('');
  return `${chars.slice(0, PREVIEW_CHARS).join('').trimEnd()}…`;
}

function countJsonArray(json: string): number {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.length : 0;
}
