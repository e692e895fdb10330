// Side effects of what happens to inbound messages and touchpoints, queued in the outbox inside the
// transaction that made them (STYLE §10): failure notices and receipts (SPEC §7), edit notifications,
// Salesforce writes (SPEC §9). One place for every caller — processing, assign, retry, editing — so no
// path records a touchpoint without its effects.
import type { EditEvent, EffectDependencies, OutcomeEvent } from './effect-events.js';
import { enqueueEditNotice, enqueueOutcomeNotice } from './notices/enqueue-notices.js';
import { queueSalesforceAfterOutcome, queueSalesforceSync } from './salesforce/enqueue.js';
import type { Executor } from '../store/schema.js';
import { EffectLookups } from './effect-lookups.js';

/**
 * Queues the effects of an outcome, in the transaction that stores it; `lookups` shares the settings
 * read among the outcomes of one transaction.
 */
export async function afterOutcome(
  trx: Executor,
  deps: EffectDependencies,
  event: OutcomeEvent,
  lookups: EffectLookups = new EffectLookups(trx),
): Promise<void> {
  await enqueueOutcomeNotice(trx, deps, event, lookups);
  await queueSalesforceAfterOutcome(trx, deps, event.row.workspace_id, event.outcome, lookups);
}

/** Queues the effects of an edit, in the transaction that stores it. */
export async function afterEdit(trx: Executor, deps: EffectDependencies, event: EditEvent): Promise<void> {
  await enqueueEditNotice(trx, deps, event);
  await queueSalesforceSync(trx, deps, event.workspaceId, event.touchpointId);
}
