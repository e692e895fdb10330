// Participants as the directory names them (issue 17), as a table.
import { describe, expect, it } from 'vitest';
import type { Email } from '../../src/domain/address.js';
import { asTheDirectoryNamesThem, type KnownPerson } from '../../src/domain/participant-names.js';
import type { Participant } from '../../src/domain/scenario.js';
import { must } from '../support/memory-directory.js';

const p = (email: string, name: string, side: Participant['side']): Participant => ({
  email: must(email),
  name,
  side,
});
const JILL: KnownPerson = { email: must('jill@acme.com'), name: 'Jill Hart', login: true };
const BOB: KnownPerson = { email: must('bob@globex.com'), name: 'Bob Stone', login: false };
const KNOWN = new Map<Email, KnownPerson>([
  [must('jill@acme.com'), JILL],
  [must('jh@acme.com'), JILL],
  [must('jill@acme-sales.io'), JILL],
  [must('bob@globex.com'), BOB],
]);

describe('asTheDirectoryNamesThem', () => {
  it.each([
    {
      name: 'a customer under the directory’s name, not the header’s',
      participants: [p('bob@globex.com', 'Bob', 'external')],
      expected: [p('bob@globex.com', 'Bob Stone', 'external')],
    },
    {
      name: 'a login who sent from an alias once, under the login’s address, though the forward names both',
      participants: [
        p('bob@globex.com', 'Bob', 'external'),
        p('jill@acme.com', 'Jill', 'internal'),
        p('jh@acme.com', 'J. Hart', 'internal'),
      ],
      expected: [p('bob@globex.com', 'Bob Stone', 'external'), p('jill@acme.com', 'Jill Hart', 'internal')],
    },
    {
      name: 'a login’s alias at a domain that is not internal, internal',
      participants: [p('jill@acme-sales.io', '', 'external')],
      expected: [p('jill@acme.com', 'Jill Hart', 'internal')],
    },
    {
      name: 'an address the directory does not know as the mail wrote it',
      participants: [p('ann@globex.com', 'Ann Lee', 'external')],
      expected: [p('ann@globex.com', 'Ann Lee', 'external')],
    },
  ])('$name', ({ participants, expected }) => {
    expect(asTheDirectoryNamesThem(participants, KNOWN)).toEqual(expected);
  });

  it('keeps the mail’s name when the directory gives none', () => {
    const unnamed = new Map<Email, KnownPerson>([
      [must('bob@globex.com'), { email: must('bob@globex.com'), name: '', login: false }],
    ]);
    expect(asTheDirectoryNamesThem([p('bob@globex.com', 'Bob', 'external')], unnamed)).toEqual([
      p('bob@globex.com', 'Bob', 'external'),
    ]);
  });
});
