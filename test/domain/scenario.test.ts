// SPEC §4: scenario, participants and customer addresses, as a table.
import { describe, expect, it } from 'vitest';
import { classifyMessage } from '../../src/domain/scenario.js';
import { TraceBuilder } from '../../src/domain/trace.js';
import { must } from '../support/memory-directory.js';
import { message, type MessageSpec } from '../support/message.js';

const WORKSPACE = {
  internalDomains: ['acme.com'],
  // This workspace's address and another workspace's of the same installation (SPEC §4: "every").
  everyTouchpointAddress: new Set([must('touchpoints@acme.example'), must('log@support.example')]),
};

interface Case {
  name: string;
  spec: MessageSpec;
  scenario: 'bcc' | 'forward' | 'note';
  customers: string[];
  /** email:side, in order */
  participants?: string[];
}

const cases: Case[] = [
  {
    name: 'an external address in To makes it S3 (Bcc)',
    spec: { to: 'bob@globex.com' },
    scenario: 'bcc',
    customers: ['bob@globex.com'],
    participants: ['jill@acme.com:internal', 'bob@globex.com:external'],
  },
  {
    name: 'the touchpoint address in Cc is not a participant',
    spec: { to: 'bob@globex.com', cc: 'touchpoints@acme.example' },
    scenario: 'bcc',
    customers: ['bob@globex.com'],
    participants: ['jill@acme.com:internal', 'bob@globex.com:external'],
  },
  {
    name: 'customer addresses: external To first, then external Cc',
    spec: { to: 'sam@acme.com, bob@globex.com', cc: 'eva@globex.com, peter@initech.com' },
    scenario: 'bcc',
    customers: ['bob@globex.com', 'eva@globex.com', 'peter@initech.com'],
  },
  {
    name: 'a subdomain of an internal domain is internal',
    spec: { to: 'ops@eu.acme.com, bob@globex.com' },
    scenario: 'bcc',
    customers: ['bob@globex.com'],
    participants: ['jill@acme.com:internal', 'ops@eu.acme.com:internal', 'bob@globex.com:external'],
  },
  {
    name: 'the sender’s own domain is internal even when not listed',
    spec: { from: 'jill@acme-labs.com', to: 'kim@acme-labs.com, bob@globex.com' },
    scenario: 'bcc',
    customers: ['bob@globex.com'],
  },
  {
    name: 'a sender at a public mailbox provider does not make that provider internal',
    spec: { from: 'jill@gmail.com', to: 'jane@gmail.com' },
    scenario: 'bcc',
    customers: ['jane@gmail.com'],
  },
  {
    name: 'only internal recipients and a forwarded message make it S2',
    spec: {
      to: 'touchpoints@acme.example',
      cc: 'sam@acme.com',
      forwarded: [{ from: 'Bob <bob@globex.com>', to: 'jill@acme.com', cc: 'eva@globex.com' }],
    },
    scenario: 'forward',
    customers: ['bob@globex.com', 'eva@globex.com'],
    participants: ['bob@globex.com:external', 'jill@acme.com:internal', 'eva@globex.com:external'],
  },
  {
    name: 'S2 customer addresses: forwarded From, then To, then Cc',
    spec: {
      to: 'touchpoints@acme.example',
      forwarded: [{ from: 'sam@acme.com', to: 'peter@initech.com', cc: 'bob@globex.com' }],
    },
    scenario: 'forward',
    customers: ['peter@initech.com', 'bob@globex.com'],
  },
  {
    name: 'S2 takes nested forwards too, outermost first',
    spec: {
      to: 'touchpoints@acme.example',
      forwarded: [
        { from: 'sam@acme.com', to: 'jill@acme.com' },
        { from: 'peter@initech.com', to: 'sam@acme.com' },
      ],
    },
    scenario: 'forward',
    customers: ['peter@initech.com'],
  },
  {
    name: 'the forwarder is an internal participant of S2',
    spec: {
      from: 'jill@acme.com',
      to: 'touchpoints@acme.example',
      forwarded: [{ from: 'bob@globex.com', to: 'team@globex.com' }],
    },
    scenario: 'forward',
    customers: ['bob@globex.com', 'team@globex.com'],
    participants: ['bob@globex.com:external', 'team@globex.com:external', 'jill@acme.com:internal'],
  },
  {
    name: 'another workspace’s touchpoint address in To is no customer: a forward to both is S2',
    spec: {
      to: 'touchpoints@acme.example, log@support.example',
      forwarded: [{ from: 'bob@globex.com', to: 'jill@acme.com' }],
    },
    scenario: 'forward',
    customers: ['bob@globex.com'],
    participants: ['bob@globex.com:external', 'jill@acme.com:internal'],
  },
  {
    name: 'an external To wins over a forwarded message (S3 before S2)',
    spec: { to: 'bob@globex.com', forwarded: [{ from: 'peter@initech.com' }] },
    scenario: 'bcc',
    customers: ['bob@globex.com'],
  },
  {
    name: 'no external recipient and no forward make it S1 with subject addresses',
    spec: { to: 'touchpoints@acme.example', subject: 'Notes: Bob@Globex.com and sam@acme.com' },
    scenario: 'note',
    customers: ['bob@globex.com'],
    participants: [],
  },
  {
    name: 'S1 without an external address in the subject has no customer',
    spec: { to: 'touchpoints@acme.example', subject: 'Notes' },
    scenario: 'note',
    customers: [],
  },
  {
    name: 'S2 forward of internal mail only has no customer',
    spec: { to: 'touchpoints@acme.example', forwarded: [{ from: 'sam@acme.com', to: 'jill@acme.com' }] },
    scenario: 'forward',
    customers: [],
  },
];

describe('classifyMessage (SPEC §4)', () => {
  it.each(cases)('$name', ({ spec, scenario, customers, participants }) => {
    const mail = message(spec);
    if (mail.from === null) throw new Error('test message without From');
    const result = classifyMessage(
      { message: mail, sender: mail.from, workspace: WORKSPACE },
      new TraceBuilder(),
    );
    expect(result.scenario).toBe(scenario);
    expect(result.customerAddresses).toEqual(customers);
    if (participants !== undefined)
      expect(result.participants.map((p) => `${p.email}:${p.side}`)).toEqual(participants);
  });
});
