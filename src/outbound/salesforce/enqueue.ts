// Queues a touchpoint's Salesforce write in the transaction that recorded or edited it (SPEC §9): one
// outbox row per touchpoint, put back in the queue on each change, only while the workspace's sync is on.
import type { EffectDependencies } from '../effect-events.js';
import type { Outcome } from '../../domain/outcome.js';
import { requeueOutbox } from '../../store/outbox-repository.js';
import { markSyncQueued } from '../../store/salesforce-repository.js';
import { EffectLookups } from '../effect-lookups.js';
import type { Executor } from '../../store/schema.js';
import type { SalesforcePayload } from './integration.js';

export function salesforceKey(workspaceId: string, touchpointId: string): string {
  return `salesforce:${workspaceId}:${touchpointId}`;
}

/** Queues (or queues again) the touchpoint's Task; false when the workspace's sync is off. */
export async function queueSalesforceSync(
  trx: Executor,
  deps: EffectDependencies,
  workspaceId: string,
  touchpointId: string,
  lookups: EffectLookups = new EffectLookups(trx),
): Promise<boolean> {
  const settings = await lookups.salesforceSettings(workspaceId);
  if (settings?.enabled !== 1) return false;
  const now = deps.now();
  // While paused, the row waits for the end of the pause instead of being claimed to be put back.
  const pausedUntil =
    settings.paused_until !== null && settings.paused_until > now.toISOString()
      ? new Date(settings.paused_until)
      : undefined;
  const payload: SalesforcePayload = { touchpointId };
  await requeueOutbox(trx, now, {
    id: deps.newId(),
    workspaceId,
    kind: 'salesforce',
    key: salesforceKey(workspaceId, touchpointId),
    payload,
    ...(pausedUntil === undefined ? {} : { dueAt: pausedUntil }),
  });
  await markSyncQueued(trx, workspaceId, touchpointId, now);
  return true;
}

/** A recorded outcome (a new touchpoint, or participants merged into one) is written; others are not. */
export async function queueSalesforceAfterOutcome(
  trx: Executor,
  deps: EffectDependencies,
  workspaceId: string,
  outcome: Outcome,
  lookups: EffectLookups = new EffectLookups(trx),
): Promise<void> {
  if (outcome.status === 'recorded' && outcome.touchpointId !== null)
    await queueSalesforceSync(trx, deps, workspaceId, outcome.touchpointId, lookups);
}
