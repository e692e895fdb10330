// What the message use-cases run with: the store, a clock and an id source (ports, so tests control them).
import { randomUUID } from 'node:crypto';
import type { Envelope } from '../domain/message.js';
import type { Store } from '../store/store.js';

export interface MessageDependencies {
  readonly store: Store;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly maxMessageBytes: number;
}

export function defaultDependencies(store: Store, maxMessageBytes: number): MessageDependencies {
  return { store, now: () => new Date(), newId: randomUUID, maxMessageBytes };
}

export interface RawMessage {
  readonly raw: Uint8Array;
  readonly envelope: Envelope;
}
