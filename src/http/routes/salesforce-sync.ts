// A touchpoint's Salesforce sync (SPEC §9): where it stands (members may read) and a manual re-sync
// (members too: writing the same Task again by its external id is harmless, and it is audited).
import type { Static } from 'typebox';
import { queueSalesforceSync } from '../../outbound/salesforce/enqueue.js';
import { appendAudit } from '../../store/audit-repository.js';
import { getSyncState, touchpointExists } from '../../store/salesforce-repository.js';
import type { Executor, SalesforceSyncRow } from '../../store/schema.js';
import { actorOf } from '../auth.js';
import { authorize, READERS, type ApiRoutes } from '../context.js';
import { HttpError } from '../errors.js';
import { ErrorSchema } from '../schemas/common.js';
import { TouchpointSyncParams, TouchpointSyncSchema } from '../schemas/salesforce.js';

const responses = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };
const URL_PATH = '/api/v1/workspaces/:ws/touchpoints/:id/salesforce';

const STATUSES = ['pending', 'synced', 'failed', 'paused'] as const;

function syncJson(touchpointId: string, row: SalesforceSyncRow | null) {
  const status = STATUSES.find((s) => s === row?.status) ?? 'none';
  return {
    touchpointId,
    status,
    taskId: row?.task_id ?? null,
    lastError: row?.last_error ?? null,
    attempts: row?.attempts ?? 0,
    syncedAt: row?.synced_at ?? null,
    updatedAt: row?.updated_at ?? null,
  };
}

async function requireTouchpoint(db: Executor, workspaceId: string, touchpointId: string): Promise<void> {
  if (!(await touchpointExists(db, workspaceId, touchpointId)))
    throw new HttpError('not-found', `No touchpoint ${touchpointId}.`);
}

export const salesforceSyncRoutes: ApiRoutes = (app, context) => {
  app.get<{ Params: Static<typeof TouchpointSyncParams> }>(
    URL_PATH,
    {
      schema: {
        description:
          'Where the Salesforce sync of the touchpoint stands: synced, pending, paused or failed with the reason.',
        params: TouchpointSyncParams,
        response: { 200: TouchpointSyncSchema, ...responses },
      },
    },
    async (request) => {
      await authorize(request, context, READERS);
      const { ws, id } = request.params;
      await requireTouchpoint(context.store.db, ws, id);
      return syncJson(id, await getSyncState(context.store.db, ws, id));
    },
  );

  app.post<{ Params: Static<typeof TouchpointSyncParams> }>(
    `${URL_PATH}/resync`,
    {
      schema: {
        description:
          'Queues the touchpoint to be written to Salesforce again (after a "not synced" reason was fixed); 409 when the sync is off.',
        params: TouchpointSyncParams,
        response: { 202: TouchpointSyncSchema, 409: ErrorSchema, ...responses },
      },
    },
    async (request, reply) => {
      const principal = await authorize(request, context, READERS);
      const { ws, id } = request.params;
      const now = context.messages.now();
      const row = await context.store.db.transaction().execute(async (trx) => {
        await requireTouchpoint(trx, ws, id);
        const queued = await queueSalesforceSync(
          trx,
          { now: () => now, newId: context.messages.newId },
          ws,
          id,
        );
        if (!queued) throw new HttpError('conflict', 'The Salesforce sync of this workspace is off.');
        await appendAudit(trx, {
          id: context.messages.newId(),
          workspaceId: ws,
          at: now,
          actor: actorOf(principal),
          action: 'touchpoint.salesforce-resync',
          subject: id,
          changes: {},
        });
        return getSyncState(trx, ws, id);
      });
      context.wakeOutbox();
      return reply.code(202).send(syncJson(id, row));
    },
  );
  return Promise.resolve();
};
