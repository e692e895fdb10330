// SPEC §5 as a table: every branch of steps A, B and C, named for the behaviour it shows. Run against the
// in-memory directory (test/domain) and the SQL directory on every store (test/store).
import type { Decision } from '../../src/domain/resolve-account.js';
import type { DirectoryFixture } from '../support/memory-directory.js';

export const NOW = new Date('2026-11-26T12:00:00Z');
export const SENDER = 'jill@acme.com';

export interface Case {
  readonly name: string;
  readonly directory: DirectoryFixture;
  readonly customers: readonly string[];
  /** The sender's login (SENDER by default). */
  readonly sender?: string;
  /** The alias of the login the message came from, when not the login's own address. */
  readonly alias?: string;
  readonly expected:
    | { kind: 'matched'; accountId: string }
    | { kind: 'ambiguous'; candidates: string[] }
    | { kind: 'unmatched' };
  /** A trace step the decision must show. */
  readonly step?: string;
}

export const cases: Case[] = [
  {
    name: 'a user with a single account goes to that account',
    directory: { users: { u1: 'bob@globex.com' }, memberships: [['u1', 'globex', '2026-01-01T00:00:00Z']] },
    customers: ['bob@globex.com'],
    expected: { kind: 'matched', accountId: 'globex' },
    step: 'A.account',
  },
  {
    name: 'several accounts: the one with the Default-BCC attribute wins over recency',
    directory: {
      users: { u1: 'ada@consult.com' },
      memberships: [
        ['u1', 'old-flagged', '2025-01-01T00:00:00Z'],
        ['u1', 'newest', '2026-06-01T00:00:00Z'],
      ],
      defaultBcc: ['old-flagged'],
    },
    customers: ['ada@consult.com'],
    expected: { kind: 'matched', accountId: 'old-flagged' },
  },
  {
    name: 'two flagged accounts fall back to recency over all the user’s accounts',
    directory: {
      users: { u1: 'ada@consult.com' },
      memberships: [
        ['u1', 'flag-a', '2025-01-01T00:00:00Z'],
        ['u1', 'flag-b', '2025-06-01T00:00:00Z'],
        ['u1', 'plain', '2026-06-01T00:00:00Z'],
      ],
      defaultBcc: ['flag-a', 'flag-b'],
    },
    customers: ['ada@consult.com'],
    expected: { kind: 'matched', accountId: 'plain' },
  },
  {
    name: 'recency: the most recent membership wins when nothing is flagged',
    directory: {
      users: { u1: 'ada@consult.com' },
      memberships: [
        ['u1', 'a', '2025-01-01T00:00:00Z'],
        ['u1', 'b', '2026-01-01T00:00:00Z'],
      ],
    },
    customers: ['ada@consult.com'],
    expected: { kind: 'matched', accountId: 'b' },
  },
  {
    name: 'a membership without a date ranks as the least recent',
    directory: {
      users: { u1: 'ada@consult.com' },
      memberships: [
        ['u1', 'a', null],
        ['u1', 'b', '2020-01-01T00:00:00Z'],
      ],
    },
    customers: ['ada@consult.com'],
    expected: { kind: 'matched', accountId: 'b' },
  },
  {
    name: 'recency tie between parent and child is ambiguous',
    directory: {
      users: { u1: 'bob@globex.com' },
      memberships: [
        ['u1', 'globex', '2026-01-01T00:00:00Z'],
        ['u1', 'globex-eu', '2026-01-01T00:00:00Z'],
      ],
    },
    customers: ['bob@globex.com'],
    expected: { kind: 'ambiguous', candidates: ['globex', 'globex-eu'] },
  },
  {
    name: 'several users on one account go to that account',
    directory: {
      users: { u1: 'bob@globex.com', u2: 'eva@globex.com' },
      memberships: [
        ['u1', 'globex', null],
        ['u2', 'globex', null],
      ],
    },
    customers: ['bob@globex.com', 'eva@globex.com'],
    expected: { kind: 'matched', accountId: 'globex' },
  },
  {
    name: 'several users on different accounts and no history are ambiguous',
    directory: {
      users: { u1: 'bob@globex.com', u2: 'peter@initech.com' },
      memberships: [
        ['u1', 'globex', null],
        ['u2', 'initech', null],
      ],
    },
    customers: ['bob@globex.com', 'peter@initech.com'],
    expected: { kind: 'ambiguous', candidates: ['globex', 'initech'] },
  },
  {
    name: 'several users on different accounts: the sender’s own history breaks the tie',
    directory: {
      users: { u1: 'bob@globex.com', u2: 'peter@initech.com' },
      memberships: [
        ['u1', 'globex', null],
        ['u2', 'initech', null],
      ],
      touchpoints: [['jill@acme.com', 'initech', '2024-01-01T00:00:00Z']],
    },
    customers: ['bob@globex.com', 'peter@initech.com'],
    expected: { kind: 'matched', accountId: 'initech' },
    step: 'C.sender-history',
  },
  {
    name: 'an unknown address in To does not hide a known user in Cc',
    directory: { users: { u2: 'eva@globex.com' }, memberships: [['u2', 'globex', null]] },
    customers: ['nobody@elsewhere.com', 'eva@globex.com'],
    expected: { kind: 'matched', accountId: 'globex' },
  },
  {
    name: 'domain fallback finds the one account with users at the domain',
    directory: { users: { u1: 'bob@globex.com' }, memberships: [['u1', 'globex', null]] },
    customers: ['new.person@globex.com'],
    expected: { kind: 'matched', accountId: 'globex' },
    step: 'B.domains',
  },
  {
    name: 'domain fallback with no account at the domain is unmatched',
    directory: { users: { u1: 'bob@globex.com' }, memberships: [['u1', 'globex', null]] },
    customers: ['someone@initech.com'],
    expected: { kind: 'unmatched' },
  },
  {
    name: 'domain fallback with several accounts and no history is ambiguous',
    directory: {
      users: { u1: 'bob@globex.com', u2: 'eva@globex.com' },
      memberships: [
        ['u1', 'globex', null],
        ['u2', 'globex-eu', null],
      ],
    },
    customers: ['new.person@globex.com'],
    expected: { kind: 'ambiguous', candidates: ['globex', 'globex-eu'] },
  },
  {
    name: 'a user found without any account falls back to the domain',
    directory: {
      users: { u1: 'bob@globex.com', u2: 'eva@globex.com' },
      memberships: [['u2', 'globex', null]],
    },
    customers: ['bob@globex.com'],
    expected: { kind: 'matched', accountId: 'globex' },
  },
  {
    name: 'tie-break 1: exactly one candidate with the sender’s history wins',
    directory: {
      users: { u1: 'bob@globex.com', u2: 'eva@globex.com' },
      memberships: [
        ['u1', 'globex', null],
        ['u2', 'globex-eu', null],
      ],
      touchpoints: [['jill@acme.com', 'globex-eu', '2020-01-01T00:00:00Z']],
    },
    customers: ['x@globex.com'],
    expected: { kind: 'matched', accountId: 'globex-eu' },
  },
  {
    name: 'tie-break 1 counts history under the sender’s aliases',
    directory: {
      users: { u1: 'bob@globex.com', u2: 'eva@globex.com' },
      memberships: [
        ['u1', 'globex', null],
        ['u2', 'globex-eu', null],
      ],
      touchpoints: [['jh@acme.com', 'globex', '2020-01-01T00:00:00Z']],
    },
    customers: ['x@globex.com'],
    expected: { kind: 'matched', accountId: 'globex' },
  },
  {
    name: 'tie-break 1 narrows to the candidates with history, then tie-break 2 decides among them',
    directory: {
      users: { u1: 'a@globex.com', u2: 'b@globex.com', u3: 'c@globex.com' },
      memberships: [
        ['u1', 'g1', null],
        ['u2', 'g2', null],
        ['u3', 'g3', null],
      ],
      touchpoints: [
        ['jill@acme.com', 'g1', '2020-01-01T00:00:00Z'],
        ['jill@acme.com', 'g2', '2020-01-01T00:00:00Z'],
        ['sam@acme.com', 'g2', '2026-11-25T00:00:00Z'],
        ['sam@acme.com', 'g3', '2026-11-25T00:00:00Z'],
      ],
    },
    customers: ['x@globex.com'],
    expected: { kind: 'matched', accountId: 'g2' },
  },
  {
    name: 'tie-break 1 narrowing is kept when tie-break 2 cannot decide',
    directory: {
      users: { u1: 'a@globex.com', u2: 'b@globex.com', u3: 'c@globex.com' },
      memberships: [
        ['u1', 'g1', null],
        ['u2', 'g2', null],
        ['u3', 'g3', null],
      ],
      touchpoints: [
        ['jill@acme.com', 'g1', '2020-01-01T00:00:00Z'],
        ['jill@acme.com', 'g2', '2020-01-01T00:00:00Z'],
      ],
    },
    customers: ['x@globex.com'],
    expected: { kind: 'ambiguous', candidates: ['g1', 'g2'] },
  },
  {
    name: 'tie-break 2: one candidate with a touchpoint from the sender’s domain in the last 7 days wins',
    directory: {
      users: { u1: 'bob@globex.com', u2: 'eva@globex.com' },
      memberships: [
        ['u1', 'globex', null],
        ['u2', 'globex-eu', null],
      ],
      touchpoints: [['sam@acme.com', 'globex', '2026-11-20T00:00:00Z']],
    },
    customers: ['x@globex.com'],
    expected: { kind: 'matched', accountId: 'globex' },
    step: 'C.domain-recent',
  },
  {
    name: 'tie-break 2 counts a touchpoint exactly 7 days old',
    directory: {
      users: { u1: 'bob@globex.com', u2: 'eva@globex.com' },
      memberships: [
        ['u1', 'globex', null],
        ['u2', 'globex-eu', null],
      ],
      touchpoints: [['sam@acme.com', 'globex', '2026-11-19T12:00:00Z']],
    },
    customers: ['x@globex.com'],
    expected: { kind: 'matched', accountId: 'globex' },
  },
  {
    name: 'tie-break 2 ignores a touchpoint one second older than 7 days',
    directory: {
      users: { u1: 'bob@globex.com', u2: 'eva@globex.com' },
      memberships: [
        ['u1', 'globex', null],
        ['u2', 'globex-eu', null],
      ],
      touchpoints: [['sam@acme.com', 'globex', '2026-11-19T11:59:59Z']],
    },
    customers: ['x@globex.com'],
    expected: { kind: 'ambiguous', candidates: ['globex', 'globex-eu'] },
  },
  {
    name: 'tie-break 2 with recent touchpoints on several candidates is ambiguous',
    directory: {
      users: { u1: 'bob@globex.com', u2: 'eva@globex.com' },
      memberships: [
        ['u1', 'globex', null],
        ['u2', 'globex-eu', null],
      ],
      touchpoints: [
        ['sam@acme.com', 'globex', '2026-11-25T00:00:00Z'],
        ['sam@acme.com', 'globex-eu', '2026-11-25T00:00:00Z'],
      ],
    },
    customers: ['x@globex.com'],
    expected: { kind: 'ambiguous', candidates: ['globex', 'globex-eu'] },
  },
  {
    name: 'tie-break 2 ignores touchpoints from other domains',
    directory: {
      users: { u1: 'bob@globex.com', u2: 'eva@globex.com' },
      memberships: [
        ['u1', 'globex', null],
        ['u2', 'globex-eu', null],
      ],
      touchpoints: [['someone@other.com', 'globex', '2026-11-25T00:00:00Z']],
    },
    customers: ['x@globex.com'],
    expected: { kind: 'ambiguous', candidates: ['globex', 'globex-eu'] },
  },
  {
    name: 'tie-break 2 goes by the login’s domain when the sender writes from an alias at another domain',
    directory: {
      users: { u1: 'bob@globex.com', u2: 'eva@globex.com' },
      memberships: [
        ['u1', 'globex', null],
        ['u2', 'globex-eu', null],
      ],
      touchpoints: [['sam@acme.com', 'globex', '2026-11-25T00:00:00Z']],
    },
    customers: ['x@globex.com'],
    alias: 'jill@acme-sales.com',
    expected: { kind: 'matched', accountId: 'globex' },
  },
  {
    name: 'tie-break 2 does not count a touchpoint dated in the future',
    directory: {
      users: { u1: 'bob@globex.com', u2: 'eva@globex.com' },
      memberships: [
        ['u1', 'globex', null],
        ['u2', 'globex-eu', null],
      ],
      touchpoints: [['sam@acme.com', 'globex', '2026-11-26T12:00:01Z']],
    },
    customers: ['x@globex.com'],
    expected: { kind: 'ambiguous', candidates: ['globex', 'globex-eu'] },
  },
  {
    name: 'tie-break 2 counts a touchpoint dated exactly now',
    directory: {
      users: { u1: 'bob@globex.com', u2: 'eva@globex.com' },
      memberships: [
        ['u1', 'globex', null],
        ['u2', 'globex-eu', null],
      ],
      touchpoints: [['sam@acme.com', 'globex', '2026-11-26T12:00:00Z']],
    },
    customers: ['x@globex.com'],
    expected: { kind: 'matched', accountId: 'globex' },
  },
  {
    name: 'a free-mail domain is never used in the domain fallback',
    directory: { users: { u1: 'someone@gmail.com' }, memberships: [['u1', 'globex', null]] },
    customers: ['stranger@gmail.com'],
    expected: { kind: 'unmatched' },
    step: 'B.domains',
  },
  {
    name: 'a free-mail user is still found by exact address',
    directory: { users: { u1: 'someone@gmail.com' }, memberships: [['u1', 'globex', null]] },
    customers: ['someone@gmail.com'],
    expected: { kind: 'matched', accountId: 'globex' },
  },
  {
    name: 'matching is case-insensitive',
    directory: { users: { u1: 'Bob.Stone@Globex.com' }, memberships: [['u1', 'globex', null]] },
    customers: ['BOB.STONE@GLOBEX.COM'],
    expected: { kind: 'matched', accountId: 'globex' },
  },
  {
    name: 'a +tag address that matches no user is tried without the tag',
    directory: { users: { u1: 'bob@globex.com' }, memberships: [['u1', 'globex', null]] },
    customers: ['bob+renewal@globex.com'],
    expected: { kind: 'matched', accountId: 'globex' },
  },
  {
    name: 'a +tag address that is itself a user is taken as it is',
    directory: {
      users: { u1: 'bob@globex.com', u2: 'bob+eu@globex.com' },
      memberships: [
        ['u1', 'globex', null],
        ['u2', 'globex-eu', null],
      ],
    },
    customers: ['bob+eu@globex.com'],
    expected: { kind: 'matched', accountId: 'globex-eu' },
  },
  {
    name: 'no customer address at all is unmatched',
    directory: {},
    customers: [],
    expected: { kind: 'unmatched' },
  },
];

/** The part of a decision the table states (the trace is checked separately). */
export function summary(decision: Decision) {
  switch (decision.kind) {
    case 'matched':
      return { kind: decision.kind, accountId: decision.accountId };
    case 'ambiguous':
      return { kind: decision.kind, candidates: [...decision.candidates] };
    case 'unmatched':
      return { kind: decision.kind };
  }
}
