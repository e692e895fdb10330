// An in-memory DirectoryPort for table tests of the account rules: the same contract as the SQL one.
import { domainOf, normalizeEmail, type Email } from '../../src/domain/address.js';
import type { DirectoryPort } from '../../src/domain/resolve-account.js';

export interface DirectoryFixture {
  /** userId → email */
  readonly users?: Record<string, string>;
  /** [userId, accountId, associatedAt | null] */
  readonly memberships?: readonly (readonly [string, string, string | null])[];
  /** accounts with "Touchpoint Default BCC Email" set */
  readonly defaultBcc?: readonly string[];
  /** [authorEmail, accountId, occurredAt] */
  readonly touchpoints?: readonly (readonly [string, string, string])[];
}

export function memoryDirectory(fixture: DirectoryFixture): DirectoryPort {
  const users = Object.entries(fixture.users ?? {}).map(([id, email]) => ({
    id,
    email: must(email),
    name: '',
  }));
  const memberships = fixture.memberships ?? [];
  const touchpoints = fixture.touchpoints ?? [];
  const ordered = (ids: Iterable<string>, within?: readonly string[]) => {
    const set = new Set(ids);
    return within === undefined ? [...set].sort() : within.filter((id) => set.has(id));
  };
  return {
    usersByEmail: (email) => Promise.resolve(users.filter((u) => u.email === email)),
    accountsOfUser: (userId) =>
      Promise.resolve(
        memberships
          .filter(([u]) => u === userId)
          .map(([, accountId, associatedAt]) => ({
            accountId,
            associatedAt,
            defaultBcc: fixture.defaultBcc?.includes(accountId) ?? false,
          }))
          .sort((a, b) => a.accountId.localeCompare(b.accountId)),
      ),
    accountsWithUsersAtDomains: (domains) =>
      Promise.resolve(
        ordered(
          memberships
            .filter(([u]) => users.some((x) => x.id === u && domains.includes(domainOf(x.email))))
            .map(([, a]) => a),
        ),
      ),
    accountsAuthoredBy: (authors, accountIds) =>
      Promise.resolve(
        ordered(
          touchpoints.filter(([author]) => authors.includes(must(author))).map(([, a]) => a),
          accountIds,
        ),
      ),
    // The author of a touchpoint is a login, so its domain is the login's (author_domain in SQL).
    accountsWithTouchpointsFromDomainWithin: (domain, since, until, accountIds) =>
      Promise.resolve(
        ordered(
          touchpoints
            .filter(
              ([author, , at]) =>
                domainOf(must(author)) === domain &&
                Date.parse(at) >= since.getTime() &&
                Date.parse(at) <= until.getTime(),
            )
            .map(([, a]) => a),
          accountIds,
        ),
      ),
  };
}

export function must(address: string): Email {
  const email = normalizeEmail(address);
  if (email === null) throw new Error(`test fixture: ${address} is not an address`);
  return email;
}
