// What kind of message it is (SPEC §4): Cc/Bcc on outgoing mail (S3), forwarded customer mail (S2) or
// meeting notes (S1); who took part, on which side; and the customer addresses, in priority order.
import {
  dedupeAddresses,
  domainOf,
  findAddressesInText,
  isSameOrSubdomain,
  type Email,
  type NamedAddress,
} from './address.js';
import type { ForwardedMessage, ParsedMessage } from './message.js';
import { isPublicMailboxDomain } from './public-mailbox.js';
import type { TraceBuilder } from './trace.js';
import type { WorkspaceContext } from './workspace.js';

export type Scenario = 'bcc' | 'forward' | 'note';
export type Side = 'internal' | 'external';

export interface Participant {
  readonly email: Email;
  readonly name: string;
  readonly side: Side;
}

export interface Classification {
  readonly scenario: Scenario;
  readonly participants: readonly Participant[];
  /** External addresses in the order the account rules try them (SPEC §4). */
  readonly customerAddresses: readonly Email[];
}

/**
 * Decides internal or external (SPEC §4): internal when the domain is the sender's (unless the sender is
 * at a public mailbox provider [beyond]) or a workspace internal domain or one of its subdomains.
 */
export function sideClassifier(
  sender: Email,
  workspace: Pick<WorkspaceContext, 'internalDomains'>,
): (email: Email) => Side {
  const senderDomain = domainOf(sender);
  const senderDomainCounts = !isPublicMailboxDomain(senderDomain);
  return (email) => {
    const domain = domainOf(email);
    if (senderDomainCounts && domain === senderDomain) return 'internal';
    return workspace.internalDomains.some((internal) => isSameOrSubdomain(domain, internal))
      ? 'internal'
      : 'external';
  };
}

export interface ClassifyInput {
  readonly message: ParsedMessage;
  /** The From address as written (a login's address or alias). */
  readonly sender: NamedAddress;
  readonly workspace: Pick<WorkspaceContext, 'internalDomains' | 'everyTouchpointAddress'>;
}

export function classifyMessage(
  { message, sender, workspace }: ClassifyInput,
  trace: TraceBuilder,
): Classification {
  const sideOf = sideClassifier(sender.email, workspace);
  // SPEC §4: R is To and Cc minus every touchpoint address, any workspace's (a mail sent to two
  // workspaces at once names the other's address, which is no customer).
  const notTouchpoint = (a: NamedAddress) => !workspace.everyTouchpointAddress.has(a.email);
  const withSide = (a: NamedAddress): Participant => ({
    email: a.email,
    name: a.name,
    side: a.email === sender.email ? 'internal' : sideOf(a.email),
  });
  const externals = (list: readonly NamedAddress[]) =>
    list
      .filter(notTouchpoint)
      .filter((a) => withSide(a).side === 'external')
      .map((a) => a.email);

  const recipients = dedupeAddresses([...message.to, ...message.cc].filter(notTouchpoint));
  const recipientExternals = [...externals(message.to), ...externals(message.cc)];
  if (recipientExternals.length > 0) {
    trace.add('scenario', `Cc/Bcc on outgoing mail (S3): To/Cc hold external ${list(recipientExternals)}.`);
    return {
      scenario: 'bcc',
      participants: dedupeParticipants([{ ...sender, side: 'internal' }, ...recipients.map(withSide)]),
      customerAddresses: unique(recipientExternals),
    };
  }

  if (message.forwarded.length > 0) {
    const forwards = message.forwarded;
    const participants = dedupeParticipants([
      ...forwards.flatMap((f) => [...f.from, ...f.to, ...f.cc].filter(notTouchpoint).map(withSide)),
      { ...sender, side: 'internal' },
    ]);
    const customers = unique(
      forwards.flatMap((f) => [...externals(f.from), ...externals(f.to), ...externals(f.cc)]),
    );
    const kinds = unique(
      forwards.map((f) => (f.source === 'attached' ? 'attached message' : 'inline forward')),
    );
    trace.add(
      'scenario',
      `Forwarded customer mail (S2): no external address in To/Cc; ${forwards.length} forwarded message(s) found (${kinds.join(', ')}), ` +
        `from ${list(forwards.flatMap((f) => f.from.map((a) => a.email)))}.` +
        zoneNote(forwards),
    );
    return { scenario: 'forward', participants, customerAddresses: customers };
  }

  const inSubject = findAddressesInText(message.subject).filter(
    (email) => !workspace.everyTouchpointAddress.has(email),
  );
  const customers = inSubject.filter((email) => sideOf(email) === 'external');
  trace.add(
    'scenario',
    `Meeting notes (S1): no external address in To/Cc and no forwarded message; the subject names ${customers.length > 0 ? list(customers) : 'no external address'}.`,
  );
  return { scenario: 'note', participants: [], customerAddresses: customers };
}

/**
 * Says in which zone the forwarded dates that name none were read: it decides the minute that joins an
 * inline forward to the mail it forwards (SPEC §6).
 */
function zoneNote(forwards: readonly ForwardedMessage[]): string {
  const read = forwards.flatMap((f) => (f.assumedZone === null || f.date === null ? [] : [f]));
  const zone = read[0]?.assumedZone;
  if (zone === undefined || zone === null) return '';
  const how =
    zone.from === 'forwarder'
      ? `read in the forwarder’s zone ${zone.offset}`
      : 'read as UTC (the forwarding message’s Date names no zone)';
  return ` Forwarded date${read.length > 1 ? 's' : ''} without a zone ${how}: ${read.map((f) => f.date).join(', ')}.`;
}

function dedupeParticipants(participants: readonly Participant[]): Participant[] {
  const byEmail = new Map<Email, Participant>();
  for (const p of participants) {
    const known = byEmail.get(p.email);
    if (known === undefined) byEmail.set(p.email, p);
    else if (known.name === '' && p.name !== '') byEmail.set(p.email, { ...known, name: p.name });
  }
  return [...byEmail.values()];
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function list(emails: readonly string[]): string {
  return emails.length === 0 ? 'nobody' : unique(emails).join(', ');
}
