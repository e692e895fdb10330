// The client a trusted host saw (issue 25): mail that did not reach us by SMTP (IMAP, webhooks, the CLI
// pipe) has no client of ours to check SPF against, but the Received header (RFC 5321 §4.4) written by
// the host that took it in names the client that handed it over, when the workspace trusts that host.
import { BlockList, isIP } from 'node:net';
import { getClientAddress, parseReceived } from 'mailauth/lib/parse-received.js';
import type { ParsedMessage } from '../domain/message.js';

export interface ReceivingHop {
  /** The client that handed the message to the trusted host. */
  readonly ip: string;
  readonly helo: string | null;
  /** The trusted host that wrote the header. */
  readonly by: string;
  /** The envelope sender it recorded, if any. */
  readonly envelopeFrom: string | null;
}

/**
 * Addresses that never send mail across the internet (RFC 1918, RFC 6598, loopback, link-local,
 * RFC 4193): a client there is a hop inside the receiving provider, not the sender's server.
 */
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv6');

/**
 * Walks the Received headers from the top (the newest first, RFC 5322 §3.6.7). Headers that name no
 * client address (a provider's internal stamps) are passed over, and so are hops from internal
 * addresses written by a trusted host; the first other header is the receiving hop, believed only
 * when a trusted host wrote it (its `by`), never when it claims our own name. Nothing below it is
 * read: that part was written before any trusted host saw the message, by whoever sent it.
 */
export function receivingHop(
  message: Pick<ParsedMessage, 'headers'>,
  trusted: readonly string[],
  ownId: string,
): ReceivingHop | null {
  for (const value of message.headers.get('received') ?? []) {
    const header = parseReceived(`Received: ${value}`);
    if (header === false || header.from === undefined) continue;
    const ip = getClientAddress(header.from);
    if (ip === false) continue;
    const by = (header.by?.value ?? '').toLowerCase().replace(/\.$/, '');
    if (by === ownId || !trusted.includes(by)) return null;
    if (INTERNAL.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4')) continue;
    const envelopeFrom = header['envelope-from']?.value.replace(/[<>]/g, '').trim() ?? '';
    return {
      ip,
      helo: header.from.value || null,
      by,
      envelopeFrom: envelopeFrom === '' ? null : envelopeFrom,
    };
  }
  return null;
}
