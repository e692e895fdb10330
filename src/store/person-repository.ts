// A person's data in a workspace (SPEC §11, GDPR art. 15 and 17): where an email address is held, read
// out as one document, and erased — `[erased]` in what is kept, the rest deleted.
import { sql } from 'kysely';
import type { Email } from '../domain/address.js';
import { ERASED, mentions, redact } from '../domain/privacy.js';
import { keptRaw } from './inbound-repository.js';
import type { Executor } from './schema.js';

/** Inbound rows read at a time while looking through raw messages (a batch is held in memory). */
const INBOUND_SCAN_BATCH = 200;

/** Where an address is held: the ids of each kind of record. */
export interface PersonMatches {
  readonly userIds: readonly string[];
  readonly touchpointIds: readonly string[];
  readonly inboundIds: readonly string[];
  readonly outboxIds: readonly string[];
  readonly editIds: readonly string[];
  readonly auditIds: readonly string[];
}

/** `%address%` for LIKE, its wildcards escaped (`_` is common in local parts). */
function containing(address: Email): string {
  return `%${address.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The rows of `table` in the workspace where one of `columns` holds the address, in any casing: lower()
 * on both engines (addresses are stored normalized; text around them may not be).
 */
async function idsMentioning(
  db: Executor,
  table: 'touchpoints' | 'outbox' | 'touchpoint_edits' | 'audit_log',
  columns: readonly string[],
  workspaceId: string,
  address: Email,
): Promise<string[]> {
  const pattern = containing(address);
  const { rows } = await sql<{ id: string }>`
    select id from ${sql.table(table)}
    where workspace_id = ${workspaceId}
      and (${sql.join(
        columns.map((c) => sql`lower(${sql.ref(c)}) like ${pattern} escape '\\'`),
        sql` or `,
      )})`.execute(db);
  return rows.map((r) => r.id);
}

const TOUCHPOINT_TEXT = [
  'subject',
  'content_text',
  'content_visible',
  'content_html',
  'reason',
  'message_key',
  'content_key',
  'trace',
  'attachments',
] as const;
const EDIT_TEXT = ['changes', 'participants_added', 'participants_removed'] as const;
const AUDIT_TEXT = ['subject', 'changes'] as const;
const OUTBOX_TEXT = ['payload', 'last_error'] as const;

/**
 * Finds every record of the workspace that holds `address`. Touchpoints are found by participant and by
 * their text (a meeting note names customers in its subject); inbound messages by what is stored of them,
 * raw bytes included, read in batches (an erasure is rare; the raw messages have no index to search).
 */
export async function findPerson(db: Executor, workspaceId: string, address: Email): Promise<PersonMatches> {
  const users = await db
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('email', '=', address)
    .execute();
  const byParticipant = await db
    .selectFrom('touchpoint_participants')
    .select('touchpoint_id')
    .where('workspace_id', '=', workspaceId)
    .where('email', '=', address)
    .execute();
  const byText = await idsMentioning(db, 'touchpoints', TOUCHPOINT_TEXT, workspaceId, address);
  return {
    userIds: users.map((u) => u.id),
    touchpointIds: [...new Set([...byParticipant.map((p) => p.touchpoint_id), ...byText])].sort(),
    inboundIds: await inboundMentioning(db, workspaceId, address),
    outboxIds: await idsMentioning(db, 'outbox', OUTBOX_TEXT, workspaceId, address),
    editIds: await idsMentioning(db, 'touchpoint_edits', EDIT_TEXT, workspaceId, address),
    auditIds: await idsMentioning(db, 'audit_log', AUDIT_TEXT, workspaceId, address),
  };
}

async function inboundMentioning(db: Executor, workspaceId: string, address: Email): Promise<string[]> {
  const found: string[] = [];
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('inbound_messages')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(INBOUND_SCAN_BATCH)
      .execute();
    for (const row of rows) {
      const raw = keptRaw(row);
      const texts = [
        row.outcome,
        row.mail_from,
        row.rcpt_to,
        row.from_address,
        row.envelope_sender,
        row.last_error,
        row.authentication,
        // latin1 keeps every byte as one character: an ASCII address is found in any charset's bytes.
        raw === null ? null : Buffer.from(raw).toString('latin1'),
      ];
      if (texts.some((text) => text !== null && mentions(text, address))) found.push(row.id);
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < INBOUND_SCAN_BATCH) return found;
    after = last.id;
  }
}

/** What an erasure removed or changed, by kind; never the address. */
export interface ErasureCounts {
  readonly users: number;
  readonly memberships: number;
  readonly touchpoints: number;
  readonly participants: number;
  readonly inboundMessages: number;
  readonly outboxItems: number;
  readonly noticeSends: number;
  readonly touchpointEdits: number;
  readonly auditEntries: number;
}

/**
 * Erases `address` from the workspace in `trx` (SPEC §11): users and their memberships deleted; in kept
 * touchpoints, their edits and the audit log the address becomes `[erased]` (participants keep their
 * place, without a name); inbound messages that carry it deleted (a touchpoint they made stays, without
 * its source); outbox items that carry it deleted, and the notice sends counted for it.
 */
export async function erasePerson(
  trx: Executor,
  workspaceId: string,
  address: Email,
  matches: PersonMatches,
): Promise<ErasureCounts> {
  let memberships = 0;
  let users = 0;
  if (matches.userIds.length > 0) {
    const m = await trx
      .deleteFrom('memberships')
      .where('workspace_id', '=', workspaceId)
      .where('user_id', 'in', [...matches.userIds])
      .executeTakeFirst();
    memberships = Number(m.numDeletedRows);
    const u = await trx
      .deleteFrom('users')
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', [...matches.userIds])
      .executeTakeFirst();
    users = Number(u.numDeletedRows);
  }

  // A touchpoint that already holds an erased participant keeps one: the key is (touchpoint, email).
  const participants = await trx
    .selectFrom('touchpoint_participants')
    .select('touchpoint_id')
    .where('workspace_id', '=', workspaceId)
    .where('email', '=', address)
    .execute();
  if (participants.length > 0) {
    const ids = participants.map((p) => p.touchpoint_id);
    const already = await trx
      .selectFrom('touchpoint_participants')
      .select('touchpoint_id')
      .where('workspace_id', '=', workspaceId)
      .where('touchpoint_id', 'in', ids)
      .where('email', '=', ERASED)
      .execute();
    if (already.length > 0)
      await trx
        .deleteFrom('touchpoint_participants')
        .where('workspace_id', '=', workspaceId)
        .where('email', '=', address)
        .where(
          'touchpoint_id',
          'in',
          already.map((a) => a.touchpoint_id),
        )
        .execute();
    await trx
      .updateTable('touchpoint_participants')
      .set({ email: ERASED, name: '' })
      .where('workspace_id', '=', workspaceId)
      .where('email', '=', address)
      .execute();
  }

  for (const id of matches.touchpointIds) {
    const row = await trx
      .selectFrom('touchpoints')
      .select(TOUCHPOINT_TEXT)
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) continue;
    await trx
      .updateTable('touchpoints')
      .set({
        subject: redact(row.subject, address),
        content_text: redact(row.content_text, address),
        content_visible: redactNullable(row.content_visible, address),
        content_html: redactNullable(row.content_html, address),
        reason: redactNullable(row.reason, address),
        message_key: redactNullable(row.message_key, address),
        content_key: redactNullable(row.content_key, address),
        trace: redact(row.trace, address),
        attachments: redact(row.attachments, address),
      })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
  }

  for (const id of matches.editIds) {
    const row = await trx
      .selectFrom('touchpoint_edits')
      .select(EDIT_TEXT)
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) continue;
    await trx
      .updateTable('touchpoint_edits')
      .set({
        changes: redact(row.changes, address),
        participants_added: redact(row.participants_added, address),
        participants_removed: redact(row.participants_removed, address),
      })
      .where('id', '=', id)
      .execute();
  }

  for (const id of matches.auditIds) {
    const row = await trx.selectFrom('audit_log').select(AUDIT_TEXT).where('id', '=', id).executeTakeFirst();
    if (row === undefined) continue;
    await trx
      .updateTable('audit_log')
      .set({ subject: redactNullable(row.subject, address), changes: redact(row.changes, address) })
      .where('id', '=', id)
      .execute();
  }

  let inboundMessages = 0;
  if (matches.inboundIds.length > 0) {
    const ids = [...matches.inboundIds];
    // The touchpoint a message made stays on its account: only its link to the deleted source goes.
    await trx
      .updateTable('touchpoints')
      .set({ inbound_id: null })
      .where('workspace_id', '=', workspaceId)
      .where('inbound_id', 'in', ids)
      .execute();
    const deleted = await trx
      .deleteFrom('inbound_messages')
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', ids)
      .executeTakeFirst();
    inboundMessages = Number(deleted.numDeletedRows);
  }

  let outboxItems = 0;
  if (matches.outboxIds.length > 0) {
    const ids = [...matches.outboxIds];
    await trx.deleteFrom('notice_sends').where('outbox_id', 'in', ids).execute();
    const deleted = await trx
      .deleteFrom('outbox')
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', ids)
      .executeTakeFirst();
    outboxItems = Number(deleted.numDeletedRows);
  }
  const sends = await trx
    .deleteFrom('notice_sends')
    .where('workspace_id', '=', workspaceId)
    .where('recipient', '=', address)
    .executeTakeFirst();

  return {
    users,
    memberships,
    touchpoints: matches.touchpointIds.length,
    participants: participants.length,
    inboundMessages,
    outboxItems,
    noticeSends: Number(sends.numDeletedRows),
    touchpointEdits: matches.editIds.length,
    auditEntries: matches.auditIds.length,
  };
}

function redactNullable(text: string | null, address: Email): string | null {
  return text === null ? null : redact(text, address);
}

/** Everything stored about an address, as one JSON document (SPEC §11, GDPR art. 15). */
export interface PersonalData {
  readonly email: string;
  readonly users: readonly { id: string; email: string | null; name: string; createdAt: string }[];
  readonly memberships: readonly {
    userId: string;
    accountId: string;
    associatedAt: string | null;
    isContact: boolean;
  }[];
  readonly touchpoints: readonly {
    id: string;
    accountId: string;
    type: string;
    subject: string;
    occurredAt: string;
    author: string;
    /** As a participant: its name and side; null when only the text mentions the address. */
    participant: { name: string; side: string } | null;
    contentText: string;
  }[];
  readonly inboundMessages: readonly {
    id: string;
    receivedAt: string;
    channel: string;
    status: string;
    reason: string | null;
    subject: string | null;
    /** Whether the raw message is still kept (it can be downloaded from the inbound log). */
    rawKept: boolean;
  }[];
  readonly outboxItems: readonly { id: string; kind: string; status: string; createdAt: string }[];
}

export async function personalData(
  db: Executor,
  workspaceId: string,
  address: Email,
  matches: PersonMatches,
): Promise<PersonalData> {
  const users =
    matches.userIds.length === 0
      ? []
      : await db
          .selectFrom('users')
          .selectAll()
          .where('workspace_id', '=', workspaceId)
          .where('id', 'in', [...matches.userIds])
          .orderBy('id')
          .execute();
  const memberships =
    matches.userIds.length === 0
      ? []
      : await db
          .selectFrom('memberships')
          .selectAll()
          .where('workspace_id', '=', workspaceId)
          .where('user_id', 'in', [...matches.userIds])
          .orderBy('user_id')
          .orderBy('account_id')
          .execute();
  const touchpoints = [];
  for (const id of matches.touchpointIds) {
    const tp = await db
      .selectFrom('touchpoints')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (tp === undefined) continue;
    const participant = await db
      .selectFrom('touchpoint_participants')
      .select(['name', 'side'])
      .where('workspace_id', '=', workspaceId)
      .where('touchpoint_id', '=', id)
      .where('email', '=', address)
      .executeTakeFirst();
    touchpoints.push({
      id: tp.id,
      accountId: tp.account_id,
      type: tp.type,
      subject: tp.subject,
      occurredAt: tp.occurred_at,
      author: tp.author_email,
      participant: participant ?? null,
      contentText: tp.content_text,
    });
  }
  const inbound =
    matches.inboundIds.length === 0
      ? []
      : await db
          .selectFrom('inbound_messages')
          .select(['id', 'received_at', 'channel', 'status', 'reason', 'outcome', 'raw_deleted_at'])
          .where('workspace_id', '=', workspaceId)
          .where('id', 'in', [...matches.inboundIds])
          .orderBy('received_at')
          .execute();
  const outbox =
    matches.outboxIds.length === 0
      ? []
      : await db
          .selectFrom('outbox')
          .select(['id', 'kind', 'status', 'created_at'])
          .where('workspace_id', '=', workspaceId)
          .where('id', 'in', [...matches.outboxIds])
          .orderBy('created_at')
          .execute();
  return {
    email: address,
    users: users.map((u) => ({ id: u.id, email: u.email, name: u.name, createdAt: u.created_at })),
    memberships: memberships.map((m) => ({
      userId: m.user_id,
      accountId: m.account_id,
      associatedAt: m.associated_at,
      isContact: m.is_contact === 1,
    })),
    touchpoints,
    inboundMessages: inbound.map((m) => ({
      id: m.id,
      receivedAt: m.received_at,
      channel: m.channel,
      status: m.status,
      reason: m.reason,
      subject: subjectOf(m.outcome),
      rawKept: m.raw_deleted_at === null,
    })),
    outboxItems: outbox.map((o) => ({ id: o.id, kind: o.kind, status: o.status, createdAt: o.created_at })),
  };
}

function subjectOf(outcome: string | null): string | null {
  if (outcome === null) return null;
  const value: unknown = JSON.parse(outcome);
  return typeof value === 'object' &&
    value !== null &&
    'subject' in value &&
    typeof value.subject === 'string'
    ? value.subject
    : null;
}
