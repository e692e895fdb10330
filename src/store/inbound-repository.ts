// Inbound messages: stored raw with their envelope before anything else happens, then given an outcome.
import { normalizeEmail, type Email } from '../domain/address.js';
import { sql } from 'kysely';
import type { Envelope } from '../domain/message.js';
import type { Outcome } from '../domain/outcome.js';
import type { StoreCapabilities } from './capabilities.js';
import { rawBytesBefore } from './chunks.js';
import { parseStringList } from './json-columns.js';
import type { Executor, InboundMessageRow } from './schema.js';

export interface NewInbound {
  /** Set when the accepting process will process the message itself (CLI, HTTP): workers leave it be. */
  readonly lease?: { readonly owner: string; readonly until: Date };
  readonly id: string;
  readonly workspaceId: string;
  readonly receivedAt: Date;
  readonly channel: 'smtp' | 'http' | 'imap' | 'cli';
  readonly raw: Uint8Array;
  readonly sha256: string;
  readonly mailFrom: string | null;
  readonly rcptTo: readonly string[];
  readonly client?: { readonly ip: string; readonly helo: string | null } | null;
}

export async function insertInbound(db: Executor, ...messages: readonly NewInbound[]): Promise<void> {
  if (messages.length === 0) return;
  await db
    .insertInto('inbound_messages')
    .values(
      messages.map((message) => ({
        id: message.id,
        workspace_id: message.workspaceId,
        received_at: message.receivedAt.toISOString(),
        channel: message.channel,
        raw: message.raw,
        raw_size: message.raw.byteLength,
        raw_sha256: message.sha256,
        mail_from: message.mailFrom,
        envelope_sender: message.mailFrom === null ? null : normalizeEmail(message.mailFrom),
        rcpt_to: JSON.stringify(message.rcptTo),
        status: 'queued',
        reason: null,
        outcome: null,
        touchpoint_id: null,
        updated_at: message.receivedAt.toISOString(),
        lease_owner: message.lease?.owner ?? null,
        lease_until: message.lease?.until.toISOString() ?? null,
        client_ip: message.client?.ip ?? null,
        helo: message.client?.helo ?? null,
      })),
    )
    .execute();
}

/**
 * The raw bytes of a stored message, or null when they are no longer kept (SPEC §11: never-log,
 * `no-body`, retention, erasure). Every reader of `raw` goes through here.
 */
export function keptRaw(row: Pick<InboundMessageRow, 'raw' | 'raw_deleted_at'>): Uint8Array | null {
  return row.raw_deleted_at === null ? row.raw : null;
}

/** What a raw message no longer kept holds: nothing. */
const NO_BYTES = new Uint8Array(0);

/**
 * Deletes the raw bytes of these messages (SPEC §11), in the caller's transaction. `neverLog` also
 * forgets what was derived from the bytes (their digest, what verification found): a never-logged
 * entry keeps its received time, sender, status and reason only.
 */
export async function deleteRaw(
  db: Executor,
  ids: readonly string[],
  at: Date,
  { neverLog = false } = {},
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable('inbound_messages')
    .set({
      raw: NO_BYTES,
      raw_deleted_at: at.toISOString(),
      ...(neverLog ? { raw_sha256: '', authentication: null, last_error: null } : {}),
    })
    .where('id', 'in', [...ids])
    .where('raw_deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Whether the workspace already holds a message with exactly these bytes from `channel`. */
export async function hasInboundFrom(
  db: Executor,
  workspaceId: string,
  channel: NewInbound['channel'],
  sha256: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('inbound_messages')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('raw_sha256', '=', sha256)
    .where('channel', '=', channel)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function getInbound(
  db: Executor,
  workspaceId: string,
  id: string,
): Promise<InboundMessageRow | null> {
  const row = await db
    .selectFrom('inbound_messages')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ?? null;
}

export type InboundStatus = 'queued' | Outcome['status'];

export interface Completion {
  readonly workspaceId: string;
  readonly id: string;
  readonly outcome: Outcome;
  /** What sender verification found, or null. */
  readonly authentication: unknown;
  /** The From address as parsing found it, kept for the log's sender filter; unchanged when null. */
  readonly fromAddress: string | null;
}

/**
 * Stores the outcomes of processing and frees the leases, for a whole recording batch in one statement
 * (one round trip on PostgreSQL); the status and reason columns mirror each outcome for the log's
 * filters. Only messages still in one of `from` (queued, for processing; failed or pending when a person
 * retries or assigns one) are completed: returns how many were; fewer than asked means another process
 * completed some first (the caller's transaction must then roll back).
 */
export async function completeInbound(
  db: Executor,
  completions: readonly Completion[],
  at: Date,
  from: readonly InboundStatus[] = ['queued'],
): Promise<number> {
  if (completions.length === 0) return 0;
  const values = sql.join(
    completions.map(
      (c) =>
        sql`(${c.id}, ${c.workspaceId}, ${c.outcome.status}, ${c.outcome.reason}, ${JSON.stringify(c.outcome)}, ${c.authentication === null ? null : JSON.stringify(c.authentication)}, ${c.outcome.touchpointId}, ${c.fromAddress})`,
    ),
  );
  // A CTE names the VALUES columns the same way on both engines (SQLite has no `AS v(a, b)` for VALUES).
  const result = await sql`
    with done (id, workspace_id, status, reason, outcome, authentication, touchpoint_id, from_address) as (values ${values})
    update inbound_messages
    set status = done.status, reason = done.reason, outcome = done.outcome,
      authentication = done.authentication, touchpoint_id = done.touchpoint_id,
      from_address = coalesce(done.from_address, inbound_messages.from_address),
      attempts = inbound_messages.attempts + 1, updated_at = ${at.toISOString()},
      processed_at = ${at.toISOString()}, lease_owner = null, lease_until = null
    from done
    where inbound_messages.id = done.id and inbound_messages.workspace_id = done.workspace_id
      and inbound_messages.status in (${sql.join(from)})`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

export interface ClaimedInbound {
  readonly id: string;
  readonly workspaceId: string;
  readonly receivedAt: string;
  readonly attempts: number;
}

/** How much a claim may take: messages, and bytes of raw message (the first message always counts). */
export interface ClaimLimit {
  readonly messages: number;
  readonly bytes: number;
}

/**
 * Leases the oldest queued messages whose lease is free or expired, for `owner` until `leaseUntil`: at
 * most `limit.messages`, and no more once `limit.bytes` of raw message are taken (a batch is held in
 * memory, and copied to an evaluation thread: a burst of large mail must not make it huge). On
 * PostgreSQL, rows another node is claiming at the same moment are skipped.
 */
export async function claimQueued(
  db: Executor,
  capabilities: StoreCapabilities,
  owner: string,
  now: Date,
  leaseUntil: Date,
  limit: ClaimLimit,
): Promise<ClaimedInbound[]> {
  const at = now.toISOString();
  // The candidates are chosen in a CTE, evaluated once: as an `IN (subquery … LIMIT n)` PostgreSQL may
  // evaluate the subquery again per row and lease more than `limit` rows. The byte budget is applied to
  // them in a second CTE (PostgreSQL allows no window function beside FOR UPDATE).
  const rows = await db
    .with('candidates', (qb) => {
      const free = qb
        .selectFrom('inbound_messages')
        .select(['id', 'received_at', 'raw_size'])
        .where('status', '=', 'queued')
        .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<', at)]))
        .orderBy('received_at')
        .limit(limit.messages);
      return capabilities.skipLocked ? free.forUpdate().skipLocked() : free;
    })
    .with('claimable', (qb) =>
      qb
        .selectFrom((sub) =>
          sub
            .selectFrom('candidates')
            .select([
              'id',
              // Bytes of the messages before this one, oldest first.
              rawBytesBefore('received_at', 'id').as('before'),
            ])
            .as('ordered'),
        )
        .select('id')
        .where('before', '<', limit.bytes),
    )
    .updateTable('inbound_messages')
    .set({ lease_owner: owner, lease_until: leaseUntil.toISOString() })
    // By id only: the CTE chose queued rows, and they stay so until this statement ends (SQLite has one
    // writer; PostgreSQL holds the rows locked, re-checked when locked). A status test here led SQLite's
    // planner to walk every queued row per claim (measured: 17 ms a claim under a backlog of thousands).
    .where('id', 'in', (eb) => eb.selectFrom('claimable').select('id'))
    .returning(['id', 'workspace_id', 'received_at', 'attempts'])
    .execute();
  return rows
    .map((r) => ({ id: r.id, workspaceId: r.workspace_id, receivedAt: r.received_at, attempts: r.attempts }))
    .sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0));
}

/** Gives a message back after a processing error: retried at `retryAt`, the error kept for operators. */
export async function releaseAfterError(
  db: Executor,
  id: string,
  error: string,
  retryAt: Date,
): Promise<void> {
  await db
    .updateTable('inbound_messages')
    .set((eb) => ({
      lease_owner: null,
      lease_until: retryAt.toISOString(),
      last_error: error.slice(0, 2000),
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .execute();
}

/** Messages accepted and not yet processed (the touchmail_inbound_queued gauge). */
export async function countQueued(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('inbound_messages')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('status', '=', 'queued')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The envelope stored with a message. */
export function inboundEnvelope(
  row: Pick<InboundMessageRow, 'mail_from' | 'rcpt_to' | 'client_ip' | 'helo'>,
): Envelope {
  const rcptTo: Email[] = parseStringList(row.rcpt_to).flatMap((v) => normalizeEmail(v) ?? []);
  return {
    mailFrom: row.mail_from,
    rcptTo,
    client: row.client_ip === null ? null : { ip: row.client_ip, helo: row.helo },
  };
}

/** Inbound rows by id, in the order asked. */
export async function getInboundByIds(db: Executor, ids: readonly string[]): Promise<InboundMessageRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('inbound_messages').selectAll().where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * Frees leases held by processes of this host that are gone (a crash, kill -9), so a restarted node
 * takes their work at once instead of when the leases expire. Owners are `host:pid[:…]`.
 */
export async function releaseLeasesOfDeadProcesses(
  db: Executor,
  host: string,
  isAlive: (pid: number) => boolean,
): Promise<number> {
  const owners = await db
    .selectFrom('inbound_messages')
    .select('lease_owner')
    .distinct()
    .where('status', '=', 'queued')
    .where('lease_owner', 'like', `${host}:%`)
    .execute();
  let released = 0;
  for (const { lease_owner: owner } of owners) {
    const pid = Number(owner?.split(':')[1]);
    if (owner === null || !Number.isInteger(pid) || isAlive(pid)) continue;
    const result = await db
      .updateTable('inbound_messages')
      .set({ lease_owner: null, lease_until: null })
      .where('lease_owner', '=', owner)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    released += Number(result.numUpdatedRows);
  }
  return released;
}
