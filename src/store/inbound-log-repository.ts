// The inbound log (SPEC §5: ambiguous or unmatched mail stays in the log to be fixed): messages of a
// workspace newest first, filtered through the indexes of migration 0010, paged by (received_at, id).
import { keptRaw } from './inbound-repository.js';
import type { Executor, InboundMessageRow } from './schema.js';

export interface InboundLogFilter {
  readonly status?: string;
  readonly reason?: string;
  /** A normalised address: matches the From address or the envelope sender. */
  readonly sender?: string;
  readonly channel?: string;
  /** Received at or after (ISO-8601 UTC). */
  readonly since?: string;
  /** Received before (ISO-8601 UTC). */
  readonly until?: string;
}

/** Where the previous page ended. */
export interface InboundLogPosition {
  readonly receivedAt: string;
  readonly id: string;
}

/** Everything of an inbound row but the raw message (which can be megabytes). */
export type InboundLogRow = Omit<InboundMessageRow, 'raw'>;

const LOG_COLUMNS = [
  'id',
  'workspace_id',
  'received_at',
  'channel',
  'raw_size',
  'raw_sha256',
  'mail_from',
  'rcpt_to',
  'status',
  'reason',
  'outcome',
  'touchpoint_id',
  'attempts',
  'updated_at',
  'lease_owner',
  'lease_until',
  'last_error',
  'client_ip',
  'helo',
  'authentication',
  'from_address',
  'envelope_sender',
  'raw_deleted_at',
  'processed_at',
] as const satisfies readonly (keyof InboundLogRow)[];

export async function listInboundLog(
  db: Executor,
  workspaceId: string,
  filter: InboundLogFilter,
  limit: number,
  after?: InboundLogPosition,
): Promise<InboundLogRow[]> {
  let query = db.selectFrom('inbound_messages').select(LOG_COLUMNS).where('workspace_id', '=', workspaceId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.reason !== undefined) query = query.where('reason', '=', filter.reason);
  if (filter.channel !== undefined) query = query.where('channel', '=', filter.channel);
  const sender = filter.sender;
  if (sender !== undefined)
    query = query.where((eb) => eb.or([eb('from_address', '=', sender), eb('envelope_sender', '=', sender)]));
  if (filter.since !== undefined) query = query.where('received_at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('received_at', '<', filter.until);
  if (after !== undefined)
    query = query.where((eb) =>
      eb.or([
        eb('received_at', '<', after.receivedAt),
        eb.and([eb('received_at', '=', after.receivedAt), eb('id', '<', after.id)]),
      ]),
    );
  return query.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** One entry of the log, without the raw message; null when the workspace has no such message. */
export async function getInboundLogEntry(
  db: Executor,
  workspaceId: string,
  id: string,
): Promise<InboundLogRow | null> {
  const row = await db
    .selectFrom('inbound_messages')
    .select(LOG_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ?? null;
}

/** The raw message as received; null when the workspace has no such message or no longer keeps it. */
export async function getInboundRaw(
  db: Executor,
  workspaceId: string,
  id: string,
): Promise<Uint8Array | null> {
  const row = await db
    .selectFrom('inbound_messages')
    .select(['raw', 'raw_deleted_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? null : keptRaw(row);
}
