// What the message use-cases run with: the store, a clock and an id source (ports, so tests control them).
import { randomUUID } from 'node:crypto';
import type { DNSResolver } from 'mailauth';
import { systemResolver } from '../auth/dns-resolver.js';
import type { Envelope } from '../domain/message.js';
import type { Store } from '../store/store.js';

export interface MessageDependencies {
  readonly store: Store;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly maxMessageBytes: number;
  /** Sender verification (SPEC §3 G3): DNS and our own authserv-id. */
  readonly verification: { readonly resolver: DNSResolver; readonly authservId: string };
}

export function defaultDependencies(
  store: Store,
  maxMessageBytes: number,
  authservId: string,
  dnsServers: readonly string[],
): MessageDependencies {
  return {
    store,
    now: () => new Date(),
    newId: randomUUID,
    maxMessageBytes,
    verification: { resolver: systemResolver({ servers: dnsServers }), authservId },
  };
}

export interface RawMessage {
  readonly raw: Uint8Array;
  readonly envelope: Envelope;
}
