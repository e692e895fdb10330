// Inbound messages: stored raw with their envelope before anything else happens, then given an outcome.
import type { Outcome } from '../domain/outcome.js';
import type { Executor, InboundMessageRow } from './schema.js';

export interface NewInbound {
  readonly id: string;
  readonly workspaceId: string;
  readonly receivedAt: Date;
  readonly channel: 'smtp' | 'http' | 'imap' | 'cli';
  readonly raw: Uint8Array;
  readonly sha256: string;
  readonly mailFrom: string | null;
  readonly rcptTo: readonly string[];
}

export async function insertInbound(db: Executor, message: NewInbound): Promise<void> {
  const at = message.receivedAt.toISOString();
  await db
    .insertInto('inbound_messages')
    .values({
      id: message.id,
      workspace_id: message.workspaceId,
      received_at: at,
      channel: message.channel,
      raw: message.raw,
      raw_size: message.raw.byteLength,
      raw_sha256: message.sha256,
      mail_from: message.mailFrom,
      rcpt_to: JSON.stringify(message.rcptTo),
      status: 'queued',
      reason: null,
      outcome: null,
      touchpoint_id: null,
      updated_at: at,
    })
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

/** Stores the outcome of processing; the status and reason columns mirror it for the log's filters. */
export async function completeInbound(
  db: Executor,
  workspaceId: string,
  id: string,
  outcome: Outcome,
  at: Date,
): Promise<void> {
  await db
    .updateTable('inbound_messages')
    .set((eb) => ({
      status: outcome.status,
      reason: outcome.reason,
      outcome: JSON.stringify(outcome),
      touchpoint_id: outcome.touchpointId,
      attempts: eb('attempts', '+', 1),
      updated_at: at.toISOString(),
    }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}
