// The edit plan (SPEC §7) as a table: what an edit changes, whom it adds and removes, and whom it may
// notify.
import { describe, expect, it } from 'vitest';
import { normalizeEmail, type Email } from '../../src/domain/address.js';
import { sideClassifier } from '../../src/domain/scenario.js';
import {
  planTouchpointEdit,
  type EditableTouchpoint,
  type TouchpointPatch,
} from '../../src/domain/touchpoint-edit.js';

const email = (address: string): Email => {
  const normalized = normalizeEmail(address);
  if (normalized === null) throw new Error(address);
  return normalized;
};

const AUTHOR = email('jill@acme.com');
const sideOf = sideClassifier(AUTHOR, { internalDomains: ['acme.com'] });

const CURRENT: EditableTouchpoint = {
  accountId: 'globex',
  subject: 'Renewal',
  content: 'Quote by Friday.',
  reason: 'Check-in',
  flow: 'Default',
  participants: [
    { email: AUTHOR, name: 'Jill Hart', side: 'internal' },
    { email: email('bob@globex.com'), name: 'Bob Stone', side: 'external' },
  ],
};

const cases: {
  name: string;
  patch: TouchpointPatch;
  changed: string[];
  added?: string[];
  removed?: string[];
  notify: string;
}[] = [
  { name: 'an empty patch changes nothing', patch: {}, changed: [], notify: 'none' },
  {
    name: 'the same values change nothing, and notify then has nothing to say',
    patch: {
      subject: 'Renewal',
      participants: [{ email: AUTHOR }, { email: email('bob@globex.com') }],
      notify: 'all',
    },
    changed: [],
    notify: 'none',
  },
  {
    name: 'changed content notifies as the editor chose',
    patch: { content: 'Quote by Monday.', notify: 'all' },
    changed: ['content'],
    notify: 'all',
  },
  {
    name: 'notify defaults to no one',
    patch: { content: 'Quote by Monday.' },
    changed: ['content'],
    notify: 'none',
  },
  {
    name: 'an added participant may be told alone',
    patch: {
      participants: [
        { email: AUTHOR },
        { email: email('bob@globex.com') },
        { email: email('eva@globex.com') },
      ],
      notify: 'new',
    },
    changed: ['participants'],
    added: ['eva@globex.com'],
    notify: 'new',
  },
  {
    name: 'only removing participants notifies no one',
    patch: { participants: [{ email: AUTHOR }], notify: 'all' },
    changed: ['participants'],
    removed: ['bob@globex.com'],
    notify: 'none',
  },
  {
    name: 'moving account, reason and flow are plain changes',
    patch: { accountId: 'initech', reason: null, flow: 'Renewals', notify: 'new' },
    changed: ['accountId', 'reason', 'flow'],
    notify: 'none',
  },
];

describe('planning a touchpoint edit', () => {
  it.each(cases)('$name', ({ patch, changed, added = [], removed = [], notify }) => {
    const plan = planTouchpointEdit(CURRENT, patch, AUTHOR, sideOf);
    expect(Object.keys(plan.changes)).toEqual(changed);
    expect(plan.added.map((p) => p.email)).toEqual(added);
    expect(plan.removed.map((p) => p.email)).toEqual(removed);
    expect(plan.notify).toBe(notify);
    expect(plan.participants === null).toBe(!changed.includes('participants'));
  });

  it('keeps the sides participants were recorded with, and classifies only those the edit adds', () => {
    // Recorded from Jill's alias at acme-labs.com: her labs colleague Kim was internal, and ops@eu.acme.com
    // was recorded external (before acme.com was an internal domain). Classified anew by Jill's login
    // domain and today's internal domains, both would flip.
    const recorded: EditableTouchpoint = {
      ...CURRENT,
      participants: [
        { email: AUTHOR, name: 'Jill Hart', side: 'internal' },
        { email: email('kim@acme-labs.com'), name: 'Kim', side: 'internal' },
        { email: email('ops@eu.acme.com'), name: 'Ops', side: 'external' },
        { email: email('bob@globex.com'), name: 'Bob Stone', side: 'external' },
      ],
    };
    const plan = planTouchpointEdit(
      recorded,
      {
        subject: 'Renewal (signed)',
        participants: [
          ...recorded.participants.map((p) => ({ email: p.email })),
          { email: email('max@eu.acme.com') },
          { email: email('eva@globex.com') },
        ],
      },
      AUTHOR,
      sideOf,
    );
    expect(plan.participants?.map((p) => `${p.email}:${p.side}`)).toEqual([
      'jill@acme.com:internal',
      'kim@acme-labs.com:internal',
      'ops@eu.acme.com:external',
      'bob@globex.com:external',
      'max@eu.acme.com:internal',
      'eva@globex.com:external',
    ]);
    expect(plan.added.map((p) => `${p.email}:${p.side}`)).toEqual([
      'max@eu.acme.com:internal',
      'eva@globex.com:external',
    ]);

    // The same list sent back with a new subject (as an API client that sends the whole state does) is
    // no change of participants at all.
    const subjectOnly = planTouchpointEdit(
      recorded,
      { subject: 'Renewal (signed)', participants: recorded.participants.map((p) => ({ email: p.email })) },
      AUTHOR,
      sideOf,
    );
    expect(Object.keys(subjectOnly.changes)).toEqual(['subject']);
    expect(subjectOnly.participants).toBeNull();
  });

  it('computes sides by SPEC §4 and keeps known names unless a new one is given', () => {
    const plan = planTouchpointEdit(
      CURRENT,
      {
        participants: [
          { email: email('bob@globex.com') },
          { email: email('ops@eu.acme.com') },
          { email: AUTHOR, name: 'Jill H.' },
          { email: email('bob@globex.com'), name: 'Duplicate' },
        ],
      },
      AUTHOR,
      sideOf,
    );
    expect(plan.participants).toEqual([
      { email: 'bob@globex.com', name: 'Bob Stone', side: 'external' },
      { email: 'ops@eu.acme.com', name: '', side: 'internal' },
      { email: 'jill@acme.com', name: 'Jill H.', side: 'internal' },
    ]);
  });
});
