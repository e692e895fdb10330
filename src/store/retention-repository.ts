// Retention (SPEC §11) in the store: one batch of expired raw messages emptied, or of expired inbound
// entries that recorded nothing deleted. Each batch is one statement: on PostgreSQL the rows another
// node is working on are skipped (SKIP LOCKED), and a row already done no longer matches, so nothing is
// deleted (or counted) twice.
import type { StoreCapabilities } from './capabilities.js';
import type { Executor } from './schema.js';

/** The workspaces with a retention period set, and their periods. */
export async function workspacesWithRetention(db: Executor): Promise<
  {
    readonly id: string;
    readonly rawRetentionDays: number | null;
    readonly inboundRetentionDays: number | null;
  }[]
> {
  const rows = await db
    .selectFrom('workspaces')
    .select(['id', 'raw_retention_days', 'inbound_retention_days'])
    .where((eb) =>
      eb.or([eb('raw_retention_days', 'is not', null), eb('inbound_retention_days', 'is not', null)]),
    )
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    rawRetentionDays: r.raw_retention_days,
    inboundRetentionDays: r.inbound_retention_days,
  }));
}

/** Empties up to `limit` raw messages of the workspace processed at or before `cutoff`; returns how many. */
export async function deleteExpiredRaw(
  db: Executor,
  capabilities: StoreCapabilities,
  workspaceId: string,
  cutoff: Date,
  now: Date,
  limit: number,
): Promise<number> {
  const result = await db
    .with('expired', (qb) => {
      // inbound_raw_retention (migration 0017) holds exactly the rows still keeping their raw message.
      const rows = qb
        .selectFrom('inbound_messages')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('raw_deleted_at', 'is', null)
        .where('processed_at', '<=', cutoff.toISOString())
        .limit(limit);
      return capabilities.skipLocked ? rows.forUpdate().skipLocked() : rows;
    })
    .updateTable('inbound_messages')
    .set({ raw: new Uint8Array(0), raw_deleted_at: now.toISOString() })
    .where('id', 'in', (eb) => eb.selectFrom('expired').select('id'))
    .where('raw_deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Statuses of entries that recorded nothing: a failure, an ignored message (a duplicate added nothing),
 * a message left pending. A recorded entry is the source of its touchpoint and stays.
 */
const RECORDED_NOTHING = ['failed', 'ignored', 'pending'] as const;

/** Deletes up to `limit` entries of the workspace that recorded nothing, processed at or before `cutoff`. */
export async function deleteExpiredEntries(
  db: Executor,
  capabilities: StoreCapabilities,
  workspaceId: string,
  cutoff: Date,
  limit: number,
): Promise<number> {
  const result = await db
    .with('expired', (qb) => {
      const rows = qb
        .selectFrom('inbound_messages')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('status', 'in', RECORDED_NOTHING)
        .where('processed_at', '<=', cutoff.toISOString())
        .limit(limit);
      return capabilities.skipLocked ? rows.forUpdate().skipLocked() : rows;
    })
    .deleteFrom('inbound_messages')
    .where('id', 'in', (eb) => eb.selectFrom('expired').select('id'))
    .where('status', 'in', RECORDED_NOTHING)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
