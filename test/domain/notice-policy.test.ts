// Whether a notice goes and to whom (SPEC §7), as a table: never to automated mail, forged senders,
// null or mailer-daemon return paths, our own addresses, or past the rate limit.
import { describe, expect, it } from 'vitest';
import type { Email } from '../../src/domain/address.js';
import {
  applyRateLimit,
  decideNotice,
  editRecipients,
  type NoticePolicyInput,
} from '../../src/domain/notices/policy.js';
import type { AuthenticationFindings } from '../../src/domain/sender-authentication.js';

const checked = (spfAligned: boolean, dkimAligned: boolean): AuthenticationFindings => ({
  source: 'smtp',
  dmarc: spfAligned || dkimAligned ? 'pass' : 'none',
  spfAligned,
  dkimAligned,
  summary: 'test',
});
const NOT_CHECKED: AuthenticationFindings = {
  source: 'not-checked',
  dmarc: 'not-evaluated',
  spfAligned: false,
  dkimAligned: false,
  summary: 'the From is trusted as it is',
};

const base: NoticePolicyInput = {
  kind: 'failure',
  status: 'failed',
  reason: 'ambiguous-account',
  automated: null,
  envelopeSender: 'jill@acme.com',
  from: 'jill@acme.com' as Email,
  login: 'jill@acme.com' as Email,
  receiptsWanted: false,
  authentication: checked(false, false),
  touchpointAddresses: new Set(['touchpoints@acme.example']),
};
const stranger: Partial<NoticePolicyInput> = {
  reason: 'sender-not-a-user',
  from: 'kim@partner.example' as Email,
  envelopeSender: 'kim@partner.example',
  login: null,
};

const cases: { name: string; input: Partial<NoticePolicyInput>; expected: string }[] = [
  { name: "a login's failure goes to the login", input: {}, expected: 'jill@acme.com' },
  {
    name: "a login writing from an alias is answered at the login's registered address",
    input: { from: 'jh@acme.com' as Email, envelopeSender: 'jh@acme.com' },
    expected: 'jill@acme.com',
  },
  {
    name: 'every failure reason that warrants one gets one',
    input: { reason: 'too-large' },
    expected: 'jill@acme.com',
  },
  {
    name: 'ignored mail (G1) never',
    input: { status: 'ignored', reason: 'auto-reply' },
    expected: 'automated-mail',
  },
  {
    name: 'a message refused before the gates but with Auto-Submitted never',
    input: { reason: 'too-large', automated: 'Auto-Submitted: auto-replied (RFC 3834)' },
    expected: 'automated-mail',
  },
  {
    name: 'a message that failed sender authentication (G3) never',
    input: { reason: 'sender-not-authenticated' },
    expected: 'failed-authentication',
  },
  {
    name: 'an unparseable message never',
    input: { reason: 'unparseable' },
    expected: 'no-notice-for-outcome',
  },
  {
    name: 'a duplicate never',
    input: { status: 'ignored', reason: 'duplicate' },
    expected: 'no-notice-for-outcome',
  },
  { name: 'a null return path never', input: { envelopeSender: '' }, expected: 'null-return-path' },
  {
    name: 'a mailer-daemon return path never',
    input: { envelopeSender: 'MAILER-DAEMON@mx.acme.com' },
    expected: 'mailer-daemon',
  },
  {
    name: 'a mailer-daemon From never',
    input: { from: 'mailer-daemon@acme.com' as Email },
    expected: 'mailer-daemon',
  },
  { name: 'no From, nobody to tell', input: { from: null, login: null }, expected: 'no-sender' },
  {
    name: 'a stranger whose domain authenticated with aligned DKIM is told',
    input: { ...stranger, authentication: checked(false, true) },
    expected: 'kim@partner.example',
  },
  {
    name: 'a stranger whose domain authenticated with aligned SPF is told',
    input: { ...stranger, authentication: checked(true, false) },
    expected: 'kim@partner.example',
  },
  {
    name: 'a stranger without aligned SPF or DKIM (maybe forged) is not',
    input: { ...stranger, authentication: checked(false, false) },
    expected: 'unauthenticated-sender',
  },
  {
    name: 'a stranger under policy off (nothing checked) is not',
    input: { ...stranger, authentication: NOT_CHECKED },
    expected: 'unauthenticated-sender',
  },
  {
    name: 'a stranger whose message never reached verification (too large) is not',
    input: { ...stranger, reason: 'too-large', authentication: null },
    expected: 'unauthenticated-sender',
  },
  {
    name: 'a From that is our own touchpoint address is never answered',
    input: {
      ...stranger,
      from: 'touchpoints@acme.example' as Email,
      envelopeSender: 'x@acme.example',
      authentication: checked(true, true),
    },
    expected: 'own-address',
  },
  {
    name: 'a receipt goes to a login who asked for receipts',
    input: { kind: 'receipt', status: 'recorded', reason: null, receiptsWanted: true },
    expected: 'jill@acme.com',
  },
  {
    name: 'no receipt unless asked (off by default)',
    input: { kind: 'receipt', status: 'recorded', reason: null },
    expected: 'receipts-off',
  },
  {
    name: 'no receipt for a failure',
    input: { kind: 'receipt', receiptsWanted: true },
    expected: 'no-notice-for-outcome',
  },
  {
    name: 'no failure notice for a recorded message',
    input: { status: 'recorded', reason: null },
    expected: 'no-notice-for-outcome',
  },
];

describe('notice policy', () => {
  it.each(cases)('$name', ({ input, expected }) => {
    const decision = decideNotice({ ...base, ...input });
    expect(decision.send ? decision.to : decision.reason).toBe(expected);
  });

  it('leaves out recipients that had their share this hour', () => {
    const counts = new Map([
      ['a@x.example', 3],
      ['b@x.example', 2],
    ]);
    expect(applyRateLimit(['a@x.example', 'b@x.example', 'c@x.example'], counts, 3)).toEqual({
      allowed: ['b@x.example', 'c@x.example'],
      limited: ['a@x.example'],
    });
  });
});

describe('edit notification recipients', () => {
  const edit = {
    notify: 'all' as const,
    contentChanged: true,
    participants: ['jill@acme.com', 'bob@globex.com', 'touchpoints@acme.example', 'eva@globex.com'],
    added: ['eva@globex.com'],
    editor: 'jill@acme.com',
    touchpointAddresses: new Set(['touchpoints@acme.example']),
  };
  it.each([
    {
      name: 'all: every participant but the editor and our own address',
      input: {},
      to: ['bob@globex.com', 'eva@globex.com'],
    },
    { name: 'new: only those added', input: { notify: 'new' as const }, to: ['eva@globex.com'] },
    { name: 'none: nobody', input: { notify: 'none' as const }, to: [] },
    {
      name: 'nothing added and the content unchanged: nobody',
      input: { added: [], contentChanged: false },
      to: [],
    },
    { name: 'new with nobody added: nobody', input: { notify: 'new' as const, added: [] }, to: [] },
    {
      name: 'a token editor (no address) leaves everyone in',
      input: { editor: 'token:t1' },
      to: ['jill@acme.com', 'bob@globex.com', 'eva@globex.com'],
    },
  ])('$name', ({ input, to }) => {
    expect(editRecipients({ ...edit, ...input }).to).toEqual(to);
  });

  it('bounds the recipients of one edit and counts those left out', () => {
    const many = Array.from({ length: 60 }, (_, i) => `p${i}@x.example`);
    const result = editRecipients({ ...edit, participants: many, editor: 'jill@acme.com' });
    expect(result.to).toHaveLength(50);
    expect(result.leftOut).toBe(10);
  });
});
