// The outbox: side effects queued in the transaction that caused them, leased by the outbox worker,
// done at most once per key (the key is unique, so enqueueing twice is a no-op).
import type { StoreCapabilities } from './capabilities.js';
import type { Executor, OutboxRow } from './schema.js';

export type OutboxKind = 'notice' | 'salesforce';

export interface NewOutboxItem {
  readonly id: string;
  readonly workspaceId: string;
  readonly kind: OutboxKind;
  /** Idempotency key, unique across the outbox: e.g. `notice:failure:<inbound id>`. */
  readonly key: string;
  readonly payload: unknown;
  /** Not before this time; now when absent. */
  readonly dueAt?: Date;
}

/** Queues items in the caller's transaction; an item whose key is already queued or done is skipped. */
export async function enqueueOutbox(
  db: Executor,
  now: Date,
  ...items: readonly NewOutboxItem[]
): Promise<number> {
  if (items.length === 0) return 0;
  const at = now.toISOString();
  const result = await db
    .insertInto('outbox')
    .values(
      items.map((item) => ({
        id: item.id,
        workspace_id: item.workspaceId,
        kind: item.kind,
        key: item.key,
        payload: JSON.stringify(item.payload),
        status: 'queued',
        due_at: (item.dueAt ?? now).toISOString(),
        lease_owner: null,
        lease_until: null,
        last_error: null,
        created_at: at,
        updated_at: at,
        done_at: null,
      })),
    )
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/**
 * Puts an item with this key back in the queue (a re-sync after an edit, a manual retry), or queues it
 * when there is none; its attempts start again.
 */
export async function requeueOutbox(db: Executor, now: Date, item: NewOutboxItem): Promise<void> {
  const at = now.toISOString();
  const updated = await db
    .updateTable('outbox')
    .set({
      payload: JSON.stringify(item.payload),
      status: 'queued',
      attempts: 0,
      due_at: (item.dueAt ?? now).toISOString(),
      last_error: null,
      updated_at: at,
      done_at: null,
    })
    .where('key', '=', item.key)
    .where('status', '!=', 'sending')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await enqueueOutbox(db, now, item);
}

/**
 * Leases the next due item of `kinds` (oldest due first) whose lease is free or expired, and marks it
 * `sending`: one item per claim, taken just before it is attempted, so only the item actually in flight
 * is `sending`. A worker that dies mid-send leaves that one item `sending` (and nothing else), and
 * `recoverAbandoned` decides what happens to it; items it had not reached are still `queued`.
 */
export async function claimOutboxItem(
  db: Executor,
  capabilities: StoreCapabilities,
  kinds: readonly OutboxKind[],
  owner: string,
  now: Date,
  leaseUntil: Date,
): Promise<OutboxRow | null> {
  const at = now.toISOString();
  const row = await db
    .with('claimable', (qb) => {
      const due = qb
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'queued')
        .where('kind', 'in', kinds)
        .where('due_at', '<=', at)
        .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<', at)]))
        .orderBy('due_at')
        .limit(1);
      return capabilities.skipLocked ? due.forUpdate().skipLocked() : due;
    })
    .updateTable('outbox')
    .set((eb) => ({
      status: 'sending',
      lease_owner: owner,
      lease_until: leaseUntil.toISOString(),
      attempts: eb('attempts', '+', 1),
      updated_at: at,
    }))
    .where('id', 'in', (eb) => eb.selectFrom('claimable').select('id'))
    .where('status', '=', 'queued')
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/**
 * The marks below record an attempt's outcome. Each applies only while `owner` still holds the item
 * in flight: once its lease was taken over (crash recovery after the lease ran out), a late mark
 * changes nothing and answers false, so the item's fate is decided once.
 */
function inFlight(db: Executor, id: string, owner: string) {
  return db
    .updateTable('outbox')
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'sending');
}

/** Done (`sent`); `note`, when given, is kept where errors are (a notice some recipients refused). */
export async function markOutboxDone(
  db: Executor,
  id: string,
  owner: string,
  now: Date,
  note: string | null = null,
): Promise<boolean> {
  const result = await inFlight(db, id, owner)
    .set({
      status: 'sent',
      last_error: note === null ? null : note.slice(0, 2000),
      lease_owner: null,
      lease_until: null,
      updated_at: now.toISOString(),
      done_at: now.toISOString(),
    })
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A temporary failure: queued again for `retryAt`, the error kept. */
export async function markOutboxRetry(
  db: Executor,
  id: string,
  owner: string,
  error: string,
  retryAt: Date,
  now: Date,
): Promise<boolean> {
  const result = await inFlight(db, id, owner)
    .set({
      status: 'queued',
      lease_owner: null,
      lease_until: null,
      due_at: retryAt.toISOString(),
      last_error: error.slice(0, 2000),
      updated_at: now.toISOString(),
    })
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A permanent failure (or a decision not to send): the item stays visible with its reason. */
export async function markOutboxFailed(
  db: Executor,
  id: string,
  owner: string,
  status: 'failed' | 'cancelled',
  error: string,
  now: Date,
): Promise<boolean> {
  const result = await inFlight(db, id, owner)
    .set({
      status,
      lease_owner: null,
      lease_until: null,
      last_error: error.slice(0, 2000),
      updated_at: now.toISOString(),
      done_at: now.toISOString(),
    })
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Items left `sending` by a worker whose lease expired: the one item each crashed worker had in flight
 * (it claims one at a time), whose outcome is unknown. Whether it is safe to try again depends on the
 * kind: a Salesforce upsert by external id is (it is idempotent), a notice is not (the SMTP server may
 * have taken it) — the caller passes which kinds to requeue; the others are marked failed with
 * `reason`, so nothing is sent twice. Clearing `lease_owner` is the takeover: the crashed worker's
 * marks, should it still be alive after all, change nothing.
 */
export async function recoverAbandoned(
  db: Executor,
  now: Date,
  requeueKinds: readonly OutboxKind[],
  reason: string,
): Promise<{ requeued: number; failed: number }> {
  const at = now.toISOString();
  const abandoned = (qb: Executor) =>
    qb.updateTable('outbox').where('status', '=', 'sending').where('lease_until', '<', at);
  const requeued =
    requeueKinds.length === 0
      ? 0
      : Number(
          (
            await abandoned(db)
              .set({ status: 'queued', lease_owner: null, lease_until: null, updated_at: at })
              .where('kind', 'in', requeueKinds)
              .executeTakeFirst()
          ).numUpdatedRows,
        );
  let failedQuery = abandoned(db).set({
    status: 'failed',
    lease_owner: null,
    lease_until: null,
    last_error: reason,
    updated_at: at,
    done_at: at,
  });
  if (requeueKinds.length > 0) failedQuery = failedQuery.where('kind', 'not in', requeueKinds);
  const failed = Number((await failedQuery.executeTakeFirst()).numUpdatedRows);
  return { requeued, failed };
}

export async function outboxByKey(db: Executor, key: string): Promise<OutboxRow | null> {
  return (await db.selectFrom('outbox').selectAll().where('key', '=', key).executeTakeFirst()) ?? null;
}

/** A page of a workspace's outbox, newest first, after the cursor `before` (a creation time and id). */
export async function listOutbox(
  db: Executor,
  workspaceId: string,
  options: {
    readonly limit: number;
    readonly kind?: OutboxKind;
    readonly status?: string;
    readonly before?: { readonly createdAt: string; readonly id: string };
  },
): Promise<OutboxRow[]> {
  let query = db.selectFrom('outbox').selectAll().where('workspace_id', '=', workspaceId);
  if (options.kind !== undefined) query = query.where('kind', '=', options.kind);
  if (options.status !== undefined) query = query.where('status', '=', options.status);
  const before = options.before;
  if (before !== undefined)
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', before.createdAt),
        eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
      ]),
    );
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
}
