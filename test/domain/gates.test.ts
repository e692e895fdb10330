// SPEC §3: the gates, in order, as a table.
import { describe, expect, it } from 'vitest';
import { checkGates, type SenderAuthentication } from '../../src/domain/gates.js';
import type { Envelope } from '../../src/domain/message.js';
import { TraceBuilder } from '../../src/domain/trace.js';
import type { Login, SenderAuthPolicy } from '../../src/domain/workspace.js';
import { message, type MessageSpec } from '../support/message.js';
import { must } from '../support/memory-directory.js';

const JILL: Login = {
  email: must('jill@acme.com'),
  name: 'Jill Hart',
  role: 'admin',
  active: true,
  aliases: [],
};
const ENVELOPE: Envelope = { mailFrom: 'jill@acme.com', rcptTo: [must('touchpoints@acme.example')] };
const NOT_CHECKED: SenderAuthentication = { verdict: 'not-checked', detail: '' };

interface Case {
  name: string;
  spec: MessageSpec;
  envelope?: Partial<Envelope>;
  sender?: Login | null;
  authentication?: SenderAuthentication;
  policy?: SenderAuthPolicy;
  expected: ReturnType<typeof checkGates>;
}

const cases: Case[] = [
  { name: 'a person’s mail from a login user passes', spec: {}, expected: null },
  {
    name: 'Auto-Submitted: auto-replied is ignored (RFC 3834)',
    spec: { headers: { 'Auto-Submitted': 'auto-replied' } },
    expected: { status: 'ignored', reason: 'auto-reply' },
  },
  {
    name: 'Auto-Submitted: auto-generated is ignored',
    spec: { headers: { 'Auto-Submitted': 'auto-generated; owner-email="x@y.z"' } },
    expected: { status: 'ignored', reason: 'auto-reply' },
  },
  {
    name: 'Auto-Submitted: no is a person’s mail',
    spec: { headers: { 'Auto-Submitted': 'No' } },
    expected: null,
  },
  {
    name: 'the null envelope sender <> is a bounce',
    spec: {},
    envelope: { mailFrom: '' },
    expected: { status: 'ignored', reason: 'auto-reply' },
  },
  {
    name: 'an empty Return-Path is a bounce',
    spec: { headers: { 'Return-Path': '<>' } },
    expected: { status: 'ignored', reason: 'auto-reply' },
  },
  {
    name: 'Precedence: bulk is ignored',
    spec: { headers: { Precedence: 'bulk' } },
    expected: { status: 'ignored', reason: 'auto-reply' },
  },
  {
    name: 'Precedence: junk is ignored',
    spec: { headers: { Precedence: 'junk' } },
    expected: { status: 'ignored', reason: 'auto-reply' },
  },
  {
    name: 'Precedence: list is ignored',
    spec: { headers: { Precedence: 'list' } },
    expected: { status: 'ignored', reason: 'auto-reply' },
  },
  {
    name: 'a List-Id is list mail',
    spec: { headers: { 'List-Id': '<team.lists.acme.com>' } },
    expected: { status: 'ignored', reason: 'auto-reply' },
  },
  {
    name: 'a delivery report is a bounce',
    spec: { contentType: 'multipart/report' },
    expected: { status: 'ignored', reason: 'auto-reply' },
  },
  {
    name: 'MAILER-DAEMON is never a person',
    spec: { from: 'MAILER-DAEMON@acme.com' },
    expected: { status: 'ignored', reason: 'auto-reply' },
  },
  {
    name: 'automated mail is ignored even from a stranger (G1 before G2)',
    spec: { from: 'x@else.example', headers: { 'Auto-Submitted': 'auto-replied' } },
    sender: null,
    expected: { status: 'ignored', reason: 'auto-reply' },
  },
  {
    name: 'a sender who is not a login user fails',
    spec: { from: 'x@else.example' },
    sender: null,
    expected: { status: 'failed', reason: 'sender-not-a-user' },
  },
  {
    name: 'a message without From fails as sender-not-a-user',
    spec: { from: '' },
    expected: { status: 'failed', reason: 'sender-not-a-user' },
  },
  {
    name: 'a failed authentication stops the message under dmarc',
    spec: {},
    authentication: { verdict: 'fail', detail: 'dkim=fail' },
    policy: 'dmarc',
    expected: { status: 'failed', reason: 'sender-not-authenticated' },
  },
  {
    name: 'a failed authentication passes under off',
    spec: {},
    authentication: { verdict: 'fail', detail: 'dkim=fail' },
    policy: 'off',
    expected: null,
  },
  {
    name: 'a stranger fails G2 before G3',
    spec: { from: 'x@else.example' },
    sender: null,
    authentication: { verdict: 'fail', detail: '' },
    expected: { status: 'failed', reason: 'sender-not-a-user' },
  },
  {
    name: 'an empty body with nothing else is empty-message',
    spec: { text: '  \n ', subject: '' },
    expected: { status: 'failed', reason: 'empty-message' },
  },
  {
    name: 'a subject alone is content (G4): "Contract signed" with an empty body passes',
    spec: { text: '', subject: 'Contract signed' },
    expected: null,
  },
  {
    name: 'a subject of reply and forward prefixes only is empty',
    spec: { text: '', subject: 'Re: Fwd: ' },
    expected: { status: 'failed', reason: 'empty-message' },
  },
  {
    name: 'a subject that only names the touchpoint address is empty',
    spec: { text: '', subject: 'Fwd: <Touchpoints@acme.example>' },
    expected: { status: 'failed', reason: 'empty-message' },
  },
  {
    name: 'an empty body with an address in the subject passes',
    spec: { text: '', subject: 'Notes bob@globex.com' },
    expected: null,
  },
  {
    name: 'an empty body with a forwarded message passes',
    spec: { text: '', forwarded: [{ from: 'bob@globex.com' }] },
    expected: null,
  },
  {
    name: 'an empty body with an attachment passes',
    spec: { text: '', attachments: [{ filename: 'quote.pdf', mimeType: 'application/pdf' }] },
    expected: null,
  },
  {
    name: 'an empty-message check comes after the sender check',
    spec: { from: 'x@else.example', text: '' },
    sender: null,
    expected: { status: 'failed', reason: 'sender-not-a-user' },
  },
];

describe('gates (SPEC §3)', () => {
  it.each(cases)('$name', ({ spec, envelope, sender, authentication, policy, expected }) => {
    const trace = new TraceBuilder();
    const result = checkGates(
      {
        message: message(spec),
        envelope: { ...ENVELOPE, ...envelope },
        sender: sender === undefined ? JILL : sender,
        authentication: authentication ?? NOT_CHECKED,
        policy: policy ?? 'dmarc',
        touchpointAddresses: new Set([must('touchpoints@acme.example')]),
      },
      trace,
    );
    expect(result).toEqual(expected);
    expect(trace.entries.length).toBeGreaterThan(0);
  });
});
