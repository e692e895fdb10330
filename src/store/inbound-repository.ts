// Inbound messages: stored raw with their envelope before anything else happens, then given an outcome.
import { normalizeEmail, type Email } from '../domain/address.js';
import type { Envelope } from '../domain/message.js';
import type { Outcome } from '../domain/outcome.js';
import type { StoreCapabilities } from './capabilities.js';
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

/** Statuses an inbound message moves between (the outcome's, and `queued` before one). */
export type InboundStatus = 'queued' | Outcome['status'];

export interface CompletionOptions {
  /** The From address as parsing found it, kept for the log's sender filter; unchanged when absent. */
  readonly fromAddress?: string | null;
  /**
   * The statuses the message may have for this completion: `queued` for processing; `failed` or
   * `pending` when a person retries or assigns it.
   */
  readonly from?: readonly InboundStatus[];
}

/**
 * Stores the outcome of processing and frees the lease; the status and reason columns mirror the outcome
 * for the log's filters. Only a message still in one of the expected statuses (queued by default) is
 * completed: returns false when another process completed it first (the caller's transaction must then
 * roll back).
 */
export async function completeInbound(
  db: Executor,
  workspaceId: string,
  id: string,
  outcome: Outcome,
  at: Date,
  authentication: unknown = null,
  options: CompletionOptions = {},
): Promise<boolean> {
  const result = await db
    .updateTable('inbound_messages')
    .set((eb) => ({
      status: outcome.status,
      reason: outcome.reason,
      outcome: JSON.stringify(outcome),
      authentication: authentication === null ? null : JSON.stringify(authentication),
      touchpoint_id: outcome.touchpointId,
      attempts: eb('attempts', '+', 1),
      updated_at: at.toISOString(),
      lease_owner: null,
      lease_until: null,
      ...(options.fromAddress === undefined ? {} : { from_address: options.fromAddress }),
    }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', 'in', options.from ?? ['queued'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface ClaimedInbound {
  readonly id: string;
  readonly workspaceId: string;
  readonly receivedAt: string;
  readonly attempts: number;
}

/**
 * Leases up to `limit` queued messages (oldest first) whose lease is free or expired, for `owner` until
 * `leaseUntil`. On PostgreSQL, rows another node is claiming at the same moment are skipped.
 */
export async function claimQueued(
  db: Executor,
  capabilities: StoreCapabilities,
  owner: string,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<ClaimedInbound[]> {
  const at = now.toISOString();
  // The candidates are chosen in a CTE, evaluated once: as an `IN (subquery … LIMIT n)` PostgreSQL may
  // evaluate the subquery again per row and lease more than `limit` rows.
  const rows = await db
    .with('claimable', (qb) => {
      const free = qb
        .selectFrom('inbound_messages')
        .select('id')
        .where('status', '=', 'queued')
        .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<', at)]))
        .orderBy('received_at')
        .limit(limit);
      return capabilities.skipLocked ? free.forUpdate().skipLocked() : free;
    })
    .updateTable('inbound_messages')
    .set({ lease_owner: owner, lease_until: leaseUntil.toISOString() })
    .where('id', 'in', (eb) => eb.selectFrom('claimable').select('id'))
    .where('status', '=', 'queued')
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
