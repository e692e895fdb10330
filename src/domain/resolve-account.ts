// Finding the account (SPEC §5): mail already known (0), users (A), domain fallback (B), tie-breaks
// (C), with a trace of every step. No I/O of its own: it reads the directory through the narrow port
// below (and the caller looks up the known mail of step 0).
import { domainOf, splitPlusTag, type Email } from './address.js';
import { isPublicMailboxDomain } from './public-mailbox.js';
import { TraceBuilder, type Trace } from './trace.js';
import type { Login } from './workspace.js';

export interface DirectoryUser {
  readonly id: string;
  readonly email: Email;
}

/** One account of a user, with what the rules of step A read. */
export interface UserAccount {
  readonly accountId: string;
  /** ISO-8601; null when unknown (ranks as the least recent). */
  readonly associatedAt: string | null;
  /** The account's "Touchpoint Default BCC Email" attribute. */
  readonly defaultBcc: boolean;
}

/** The read-only directory the rules consult. Every list is returned in a stable order. */
export interface DirectoryPort {
  usersByEmail(email: Email): Promise<readonly DirectoryUser[]>;
  accountsOfUser(userId: string): Promise<readonly UserAccount[]>;
  /** Accounts with at least one user whose email is at one of `domains`. */
  accountsWithUsersAtDomains(domains: readonly string[]): Promise<readonly string[]>;
  /** Those of `accountIds` with a touchpoint authored by one of `authors` (ever). */
  accountsAuthoredBy(authors: readonly Email[], accountIds: readonly string[]): Promise<readonly string[]>;
  /**
   * Those of `accountIds` with a touchpoint authored by a login at `domain` (its `author_domain`: the
   * author login's domain) that occurred within [since, until], both ends included.
   */
  accountsWithTouchpointsFromDomainWithin(
    domain: string,
    since: Date,
    until: Date,
    accountIds: readonly string[],
  ): Promise<readonly string[]>;
}

export type Decision =
  | { readonly kind: 'matched'; readonly accountId: string; readonly trace: Trace }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly string[]; readonly trace: Trace }
  | { readonly kind: 'unmatched'; readonly trace: Trace };

export interface ResolveInput {
  /** Customer addresses in priority order (SPEC §4). */
  readonly customerAddresses: readonly Email[];
  /**
   * The login who sent the message, whichever of its addresses the From was: its address and aliases
   * are "this sender" (step C1), its address's domain is "the sender's domain" (step C2).
   */
  readonly sender: Pick<Login, 'email' | 'aliases'>;
  readonly now: Date;
  /** The touchpoint this very mail already made (SPEC §5 step 0), looked up by the caller; or null. */
  readonly knownMail?: KnownMail | null;
}

/** A touchpoint the same mail (SPEC §6) already made, and its account. */
export interface KnownMail {
  readonly touchpointId: string;
  readonly accountId: string;
}

/** Step C2 looks back this far for touchpoints from the sender's domain (SPEC §5: "the last 7 days"). */
export const RECENT_DOMAIN_ACTIVITY_MS = 7 * 24 * 60 * 60 * 1000;

export async function resolveAccount(input: ResolveInput, directory: DirectoryPort): Promise<Decision> {
  const trace = new TraceBuilder();
  const known = input.knownMail ?? null;
  if (known !== null) {
    // A mail Bcc'd by one teammate and forwarded by another must never fail for the second.
    trace.add(
      '0.known-mail',
      `The same mail is already touchpoint ${known.touchpointId}: it goes to that touchpoint's account, ${known.accountId}; the other rules are not run.`,
    );
    return { kind: 'matched', accountId: known.accountId, trace: trace.entries };
  }
  const candidates = await stepUsers(input.customerAddresses, directory, trace);
  if (candidates.length === 1 && candidates[0] !== undefined) {
    trace.add('A.result', `One candidate account: ${candidates[0]}.`);
    return { kind: 'matched', accountId: candidates[0], trace: trace.entries };
  }
  if (candidates.length > 1) {
    trace.add(
      'A.result',
      `${candidates.length} candidate accounts: ${candidates.join(', ')}; breaking the tie.`,
    );
    return tieBreak(candidates, input, directory, trace);
  }

  const domains = [...new Set(input.customerAddresses.map(domainOf))];
  const usable = domains.filter((d) => !isPublicMailboxDomain(d));
  const skipped = domains.filter((d) => isPublicMailboxDomain(d));
  if (skipped.length > 0)
    trace.add(
      'B.domains',
      `Public mailbox domains are never used to find an account: ${skipped.join(', ')}.`,
    );
  if (usable.length === 0) {
    trace.add('B.result', 'No customer domain left to search: no account found.');
    return { kind: 'unmatched', trace: trace.entries };
  }
  const byDomain = await directory.accountsWithUsersAtDomains(usable);
  trace.add(
    'B.domains',
    `Accounts with users at ${usable.join(', ')}: ${byDomain.length === 0 ? 'none' : describeList(byDomain)}.`,
  );
  if (byDomain.length === 0) return { kind: 'unmatched', trace: trace.entries };
  if (byDomain.length === 1 && byDomain[0] !== undefined)
    return { kind: 'matched', accountId: byDomain[0], trace: trace.entries };
  return tieBreak(byDomain, input, directory, trace);
}

/** Step A: the account each customer address's user belongs to, in the order of the addresses. */
async function stepUsers(
  addresses: readonly Email[],
  directory: DirectoryPort,
  trace: TraceBuilder,
): Promise<string[]> {
  const candidates: string[] = [];
  const add = (ids: readonly string[]) => ids.forEach((id) => candidates.includes(id) || candidates.push(id));
  for (const email of addresses) {
    let users = await directory.usersByEmail(email);
    const tagged = splitPlusTag(email);
    if (users.length === 0 && tagged !== null) {
      users = await directory.usersByEmail(tagged.base);
      trace.add(
        'A.user',
        `No user is ${email}; without its +${tagged.tag} tag, ${tagged.base}: ${users.length === 0 ? 'no user either' : describeUsers(users)}.`,
      );
    } else {
      trace.add('A.user', `${email}: ${users.length === 0 ? 'no user' : describeUsers(users)}.`);
    }
    for (const user of users) add(chooseAccount(user, await directory.accountsOfUser(user.id), trace));
  }
  if (candidates.length === 0 && addresses.length > 0)
    trace.add('A.result', 'No account through users; trying their domains.');
  return candidates;
}

/** One user's account (SPEC §5 A1–A3); several when the recency rule ties. */
function chooseAccount(user: DirectoryUser, accounts: readonly UserAccount[], trace: TraceBuilder): string[] {
  const who = `User ${user.id} (${user.email})`;
  if (accounts.length === 0) {
    trace.add('A.account', `${who} belongs to no account.`);
    return [];
  }
  if (accounts.length === 1 && accounts[0] !== undefined) {
    trace.add('A.account', `${who} belongs to one account: ${accounts[0].accountId}.`);
    return [accounts[0].accountId];
  }
  const flagged = accounts.filter((a) => a.defaultBcc);
  if (flagged.length === 1 && flagged[0] !== undefined) {
    trace.add(
      'A.account',
      `${who} belongs to ${accounts.length} accounts; only ${flagged[0].accountId} has "Touchpoint Default BCC Email" set.`,
    );
    return [flagged[0].accountId];
  }
  const why =
    flagged.length === 0
      ? 'none has "Touchpoint Default BCC Email" set'
      : `${flagged.length} have "Touchpoint Default BCC Email" set`;
  const newest = accounts.reduce<string | null>(
    (max, a) => (a.associatedAt !== null && (max === null || a.associatedAt > max) ? a.associatedAt : max),
    null,
  );
  const top = accounts.filter((a) => a.associatedAt === newest);
  if (top.length === 1 && top[0] !== undefined) {
    trace.add(
      'A.account',
      `${who} belongs to ${accounts.length} accounts and ${why}; the most recent membership (${newest}) is ${top[0].accountId} (recency rule).`,
    );
    return [top[0].accountId];
  }
  const tied = top.map((a) => a.accountId);
  trace.add(
    'A.account',
    `${who} belongs to ${accounts.length} accounts and ${why}; the most recent memberships tie (${newest ?? 'dates unknown'}) between ${tied.join(', ')}.`,
  );
  return tied;
}

/** Step C: sender's own history, then the sender's domain in the last 7 days, else ambiguous. */
async function tieBreak(
  candidates: readonly string[],
  input: ResolveInput,
  directory: DirectoryPort,
  trace: TraceBuilder,
): Promise<Decision> {
  let remaining = candidates;
  const { sender } = input;
  const authored = await directory.accountsAuthoredBy([sender.email, ...sender.aliases], remaining);
  trace.add(
    'C.sender-history',
    `Candidates with a touchpoint by ${sender.email}: ${authored.length === 0 ? 'none' : authored.join(', ')}.`,
  );
  if (authored.length === 1 && authored[0] !== undefined)
    return { kind: 'matched', accountId: authored[0], trace: trace.entries };
  if (authored.length > 1) remaining = authored;

  // [decided] "The sender's domain" (SPEC §5 C.2) is the domain of the sender's login, not of the From:
  // the login is who the sender is, whichever alias they wrote from, and touchpoints keep their author
  // login's domain, so both sides of the comparison are logins' domains. The aliases' domains are not
  // added: an alias may be at another company's or a mailbox provider's domain, whose colleagues are
  // not the sender's.
  const domain = domainOf(sender.email);
  if (isPublicMailboxDomain(domain)) {
    trace.add('C.domain-recent', `The sender's domain ${domain} is a public mailbox provider: not used.`);
  } else {
    // "In the last 7 days": [now − 7 days, now]; a touchpoint dated in the future (a wrong Date header,
    // a scheduled meeting) is not activity of the last 7 days.
    const since = new Date(input.now.getTime() - RECENT_DOMAIN_ACTIVITY_MS);
    const recent = await directory.accountsWithTouchpointsFromDomainWithin(
      domain,
      since,
      input.now,
      remaining,
    );
    trace.add(
      'C.domain-recent',
      `Candidates with a touchpoint from anyone at ${domain} between ${since.toISOString()} and ${input.now.toISOString()}: ${recent.length === 0 ? 'none' : recent.join(', ')}.`,
    );
    if (recent.length === 1 && recent[0] !== undefined)
      return { kind: 'matched', accountId: recent[0], trace: trace.entries };
  }
  trace.add('C.result', `Cannot choose between ${remaining.join(', ')}.`);
  return { kind: 'ambiguous', candidates: remaining, trace: trace.entries };
}

function describeUsers(users: readonly DirectoryUser[]): string {
  return users.map((u) => `user ${u.id}`).join(', ');
}

/** At most 10 ids, then how many more: a domain can have thousands of accounts. */
function describeList(ids: readonly string[]): string {
  return ids.length <= 10 ? ids.join(', ') : `${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more`;
}
