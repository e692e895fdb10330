// A workspace's settings (SPEC §8) as admins read and replace them; Salesforce settings live apart.
import type { PrivacySettings } from '../domain/privacy.js';
import type { SenderAuthPolicy } from '../domain/workspace.js';
import { parseStringList } from './json-columns.js';
import type { Executor, WorkspaceRow } from './schema.js';

export interface WorkspaceSettings extends PrivacySettings {
  readonly name: string;
  readonly touchpointAddresses: readonly string[];
  readonly internalDomains: readonly string[];
  readonly defaultFlow: string;
  readonly defaultReason: string | null;
  readonly senderAuthPolicy: SenderAuthPolicy;
  readonly trustedAuthservIds: readonly string[];
}

export async function loadSettings(db: Executor, workspaceId: string): Promise<WorkspaceSettings | null> {
  const ws = await db.selectFrom('workspaces').selectAll().where('id', '=', workspaceId).executeTakeFirst();
  if (ws === undefined) return null;
  const addresses = await db
    .selectFrom('touchpoint_addresses')
    .select('address')
    .where('workspace_id', '=', workspaceId)
    .orderBy('address')
    .execute();
  const domains = await db
    .selectFrom('internal_domains')
    .select('domain')
    .where('workspace_id', '=', workspaceId)
    .orderBy('domain')
    .execute();
  const policy = ws.sender_auth_policy;
  return {
    name: ws.name,
    touchpointAddresses: addresses.map((a) => a.address),
    internalDomains: domains.map((d) => d.domain),
    defaultFlow: ws.default_flow,
    defaultReason: ws.default_reason,
    senderAuthPolicy: policy === 'off' || policy === 'strict' ? policy : 'dmarc',
    trustedAuthservIds: parseStringList(ws.trusted_authserv_ids),
    ...privacyOf(ws),
  };
}

/** The privacy columns of a workspace row (SPEC §11), as the rules and the settings read them. */
export function privacyOf(
  ws: Pick<WorkspaceRow, 'never_log' | 'storage' | 'raw_retention_days' | 'inbound_retention_days'>,
): PrivacySettings {
  return {
    neverLog: parseStringList(ws.never_log),
    storage: ws.storage === 'no-body' ? 'no-body' : 'full',
    rawRetentionDays: ws.raw_retention_days,
    inboundRetentionDays: ws.inbound_retention_days,
  };
}

/** The touchpoint addresses among `addresses` that route to another workspace, with that workspace. */
export async function addressesOfOtherWorkspaces(
  db: Executor,
  workspaceId: string,
  addresses: readonly string[],
): Promise<string[]> {
  if (addresses.length === 0) return [];
  const rows = await db
    .selectFrom('touchpoint_addresses')
    .select('address')
    .where('address', 'in', [...addresses])
    .where('workspace_id', '!=', workspaceId)
    .execute();
  return rows.map((r) => r.address);
}

/** Replaces every setting of the workspace; run it in the transaction that audits the change. */
export async function saveSettings(
  db: Executor,
  workspaceId: string,
  settings: WorkspaceSettings,
  now: Date,
): Promise<void> {
  await db
    .updateTable('workspaces')
    .set({
      name: settings.name,
      default_flow: settings.defaultFlow,
      default_reason: settings.defaultReason,
      sender_auth_policy: settings.senderAuthPolicy,
      trusted_authserv_ids: JSON.stringify(settings.trustedAuthservIds),
      never_log: JSON.stringify(settings.neverLog),
      storage: settings.storage,
      raw_retention_days: settings.rawRetentionDays,
      inbound_retention_days: settings.inboundRetentionDays,
      updated_at: now.toISOString(),
    })
    .where('id', '=', workspaceId)
    .execute();
  await db.deleteFrom('touchpoint_addresses').where('workspace_id', '=', workspaceId).execute();
  const addresses = [...new Set(settings.touchpointAddresses)];
  if (addresses.length > 0)
    await db
      .insertInto('touchpoint_addresses')
      .values(addresses.map((address) => ({ address, workspace_id: workspaceId })))
      .execute();
  await db.deleteFrom('internal_domains').where('workspace_id', '=', workspaceId).execute();
  const domains = [...new Set(settings.internalDomains)];
  if (domains.length > 0)
    await db
      .insertInto('internal_domains')
      .values(domains.map((domain) => ({ workspace_id: workspaceId, domain })))
      .execute();
}
