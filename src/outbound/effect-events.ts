// What side effects are queued for (src/outbound/touchpoint-effects.ts): an inbound message's outcome and
// a touchpoint's edit. Their own module, so the queuing modules (notices, Salesforce) and the one place
// that calls them share the types without importing each other.
import type { Email } from '../domain/address.js';
import type { Outcome } from '../domain/outcome.js';
import type { AuthenticationFindings } from '../domain/sender-authentication.js';
import type { InboundMessageRow } from '../store/schema.js';

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
