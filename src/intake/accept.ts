// Turning one received message into the inbound rows to store: one per workspace among its recipients
// (a transaction to touchpoint addresses of two workspaces becomes two inbound messages).
import type { Email } from '../domain/address.js';
import type { NewInbound } from '../store/inbound-repository.js';
import { sha256 } from '../app/ingest-message.js';

export function inboundRows(
  raw: Uint8Array,
  mailFrom: string | null,
  recipients: ReadonlyMap<Email, string>,
  channel: NewInbound['channel'],
  receivedAt: Date,
  newId: () => string,
  client: NewInbound['client'] = null,
): NewInbound[] {
  const byWorkspace = new Map<string, Email[]>();
  for (const [rcpt, workspaceId] of recipients)
    byWorkspace.set(workspaceId, [...(byWorkspace.get(workspaceId) ?? []), rcpt]);
  const digest = sha256(raw);
  return [...byWorkspace].map(([workspaceId, rcptTo]) => ({
    id: newId(),
    workspaceId,
    receivedAt,
    channel,
    raw,
    sha256: digest,
    mailFrom,
    rcptTo,
    client,
  }));
}
