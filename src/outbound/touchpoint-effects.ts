// Side effects of what happens to inbound messages and touchpoints, queued in the outbox inside the
// transaction that made them (STYLE §10): failure notices and receipts (SPEC §7), edit notifications,
// Salesforce writes (SPEC §9). One place for every caller — processing, assign, retry, editing — so no
// path records a touchpoint without its effects.
import type { Email } from '../domain/address.js';
import type { Outcome } from '../domain/outcome.js';
import type { AuthenticationFindings } from '../domain/sender-authentication.js';
import { enqueueEditNotice, enqueueOutcomeNotice } from './notices/enqueue-notices.js';
import { queueSalesforceAfterOutcome, queueSalesforceSync } from './salesforce/enqueue.js';
import type { Executor, InboundMessageRow } from '../store/schema.js';
import { EffectLookups } from './effect-lookups.js';

export interface EffectDependencies {
  readonly now: () => Date;
  readonly newId: () => string;
}

/** An inbound message got an outcome (processing, retry) or was assigned to an account by a person. */
export interface OutcomeEvent {
  readonly row: InboundMessageRow;
  readonly outcome: Outcome;
  readonly authentication: AuthenticationFindings | null;
  /** Who assigned it, when a person did (assign); null when the rules decided. */
  readonly decidedBy: string | null;
}

/** A touchpoint was edited (API or UI). */
export interface EditEvent {
  readonly workspaceId: string;
  readonly touchpointId: string;
  readonly editId: string;
  /** Who edited it (actorOf). */
  readonly editor: string;
  /** SPEC §7: whom the editor chose to tell, when participants were added or the content changed. */
  readonly notify: 'none' | 'new' | 'all';
  readonly addedParticipants: readonly Email[];
  readonly contentChanged: boolean;
}

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
