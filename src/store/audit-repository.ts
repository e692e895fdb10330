// The audit log: appended in the transaction of the change it describes, read newest first.
import { parseFieldChanges } from './json-columns.js';
import type { Executor } from './schema.js';

export interface AuditEntry {
  readonly id: string;
  readonly workspaceId: string;
  readonly at: Date;
  readonly actor: string;
  /** Dotted: `settings.update`, `account.delete`, `inbound.assign`, … */
  readonly action: string;
  readonly subject: string | null;
  /** Before and after of each changed field; never secrets. */
  readonly changes: Readonly<Record<string, { readonly before: unknown; readonly after: unknown }>>;
}

export async function appendAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: entry.id,
      workspace_id: entry.workspaceId,
      at: entry.at.toISOString(),
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject,
      changes: JSON.stringify(entry.changes),
    })
    .execute();
}

/** The fields of `after` that differ from `before` (by JSON value), as audit changes. */
export function changedFields(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      changes[key] = { before: before[key] ?? null, after: after[key] ?? null };
  }
  return changes;
}

/** Entries of a workspace, newest first, before the cursor `before` (an ISO time and id) when given. */
export async function listAudit(
  db: Executor,
  workspaceId: string,
  options: { limit: number; action?: string; before?: { at: string; id: string } },
): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll().where('workspace_id', '=', workspaceId);
  if (options.action !== undefined) query = query.where('action', '=', options.action);
  const before = options.before;
  if (before !== undefined)
    query = query.where((eb) =>
      eb.or([eb('at', '<', before.at), eb.and([eb('at', '=', before.at), eb('id', '<', before.id)])]),
    );
  const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
  return rows.map((row) => {
    return {
      id: row.id,
      workspaceId: row.workspace_id,
      at: new Date(row.at),
      actor: row.actor,
      action: row.action,
      subject: row.subject,
      changes: parseFieldChanges(row.changes),
    };
  });
}
