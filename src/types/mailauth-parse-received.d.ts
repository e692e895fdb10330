// Type declaration for mailauth's Received parser (`lib/parse-received.js`), which its own index.d.ts
// leaves out: the parsed from/by clauses, and the client address of RFC 5321 §4.4's TCP-info.
declare module 'mailauth/lib/parse-received.js' {
  import type { ReceivedChainEntry } from 'mailauth';
  export function parseReceived(header: string): ReceivedChainEntry | false;
  export function getClientAddress(from: ReceivedChainEntry['from']): string | false;
}
