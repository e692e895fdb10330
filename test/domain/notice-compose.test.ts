// Notices as people read them: what happened, why, what was tried (in words, not step ids), how to fix
// it, candidates and the link; hostile subjects and names folded and escaped.
import { describe, expect, it } from 'vitest';
import { composeEditNotice, composeFailureNotice, composeReceipt } from '../../src/domain/notices/compose.js';
import { NOTICE_REASONS } from '../../src/domain/notices/failure-wording.js';
import { oneLine, quotedSubject } from '../../src/domain/notices/safe-text.js';

const TRACE = [
  { step: 'gate.sender', detail: 'Sent by login user sam@acme.com.' },
  { step: 'A.user', detail: 'dual@globex.com: user u-dual.' },
  { step: 'C.result', detail: 'Cannot choose between globex, globex-eu.' },
];
const LINK = 'https://touchmail.acme.com/#/inbound/in-1';

describe('failure notices', () => {
  it.each(NOTICE_REASONS)(
    '%s: says what happened, why, what was tried, how to fix it, and links',
    (reason) => {
      const notice = composeFailureNotice({
        reason,
        subject: 'Pricing',
        senderAddress: 'sam@acme.com',
        candidates: [],
        trace: TRACE,
        link: LINK,
      });
      expect(notice.subject).toMatch(/^Not logged: .+ — "Pricing"$/);
      for (const body of [notice.text, notice.html]) {
        expect(body).toContain('Why:');
        expect(body).toContain('What Touchmail tried:');
        expect(body).toContain('How to fix it:');
        expect(body).toContain(LINK);
      }
      // Steps in words, never their ids.
      expect(notice.text).toContain(
        "Looked up the customer's address in the directory: dual@globex.com: user u-dual.",
      );
      expect(notice.text).not.toMatch(/\bA\.user\b|\bC\.result\b|gate\.sender/);
    },
  );

  it("uses the seed's resolutions", () => {
    const text = (reason: (typeof NOTICE_REASONS)[number]) =>
      composeFailureNotice({
        reason,
        subject: 's',
        senderAddress: null,
        candidates: [],
        trace: [],
        link: LINK,
      }).text;
    expect(text('ambiguous-account')).toContain('email address on only one account');
    expect(text('ambiguous-account')).toContain('log it by hand');
    expect(text('no-account')).toContain('matches the email address in the directory exactly');
    expect(text('no-customer-address')).toContain('To, Cc or Subject line');
    expect(text('sender-not-a-user')).toContain('alias');
  });

  it('lists the candidate accounts of an ambiguous message by name', () => {
    const notice = composeFailureNotice({
      reason: 'ambiguous-account',
      subject: 'Pricing',
      senderAddress: 'sam@acme.com',
      candidates: [
        { id: 'globex', name: 'Globex' },
        { id: 'globex-eu', name: 'Globex Europe' },
        { id: 'gone', name: null },
      ],
      trace: TRACE,
      link: LINK,
    });
    expect(notice.text).toContain(
      'Candidate accounts:\n  - Globex (globex)\n  - Globex Europe (globex-eu)\n  - gone',
    );
    expect(notice.html).toContain('<li>Globex Europe (globex-eu)</li>');
  });

  it('escapes hostile subjects, names and trace details in the HTML', () => {
    const notice = composeFailureNotice({
      reason: 'ambiguous-account',
      subject: '<script>alert(1)</script> & "quotes"',
      senderAddress: null,
      candidates: [{ id: 'x', name: '<img src=x onerror=alert(1)>' }],
      trace: [{ step: 'A.user', detail: '<b>bold</b>' }],
      link: 'https://t.example/#/inbound/a"><script>',
    });
    expect(notice.html).not.toMatch(/<script|<img|<b>/);
    expect(notice.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(notice.html).toContain('href="https://t.example/#/inbound/a&quot;&gt;&lt;script&gt;"');
  });

  it('folds a subject with line breaks into one bounded line: no header injection', () => {
    const hostile = 'Hi\r\nBcc: victim@evil.example\r\nX-Injected: yes\u0000\u202e' + 'x'.repeat(500);
    const notice = composeFailureNotice({
      reason: 'no-account',
      subject: hostile,
      senderAddress: null,
      candidates: [],
      trace: [],
      link: LINK,
    });
    expect(/[\p{Cc}\u202e]/u.test(notice.subject)).toBe(false);
    expect(notice.subject).toContain('Hi Bcc: victim@evil.example X-Injected: yes');
    expect([...quotedSubject(hostile)].length).toBeLessThanOrEqual(120);
    expect(quotedSubject('  ')).toBe('(no subject)');
    expect(oneLine('a\u2028b\tc', 10)).toBe('a b c');
  });

  it('bounds the trace it quotes', () => {
    const trace = Array.from({ length: 40 }, (_, i) => ({
      step: 'A.user',
      detail: `u${i}@x.example: no user.`,
    }));
    const text = composeFailureNotice({
      reason: 'no-account',
      subject: 's',
      senderAddress: null,
      candidates: [],
      trace,
      link: LINK,
    }).text;
    expect(text).toContain('u24@x.example');
    expect(text).not.toContain('u25@x.example');
    expect(text).toContain('15 more steps; the whole trace is in the inbound log.');
  });
});

describe('receipts and edit notifications', () => {
  it('a receipt says where it was logged and where to reassign it', () => {
    const notice = composeReceipt({
      subject: 'Renewal',
      account: { id: 'globex', name: 'Globex' },
      assignedBy: null,
      link: LINK,
    });
    expect(notice.subject).toBe('Logged to Globex (globex) — "Renewal"');
    expect(notice.text).toContain('was logged to Globex (globex).');
    expect(notice.text).toContain(`Wrong account? Reassign it here: ${LINK}`);
  });

  it('an edit notification carries the new content and who edited it', () => {
    const notice = composeEditNotice({
      subject: 'Renewal (updated)',
      content: 'New notes <b>here</b>.',
      account: { id: 'globex', name: 'Globex' },
      editor: 'jill@acme.com',
      link: 'https://t.example/#/touchpoints/tp-1',
    });
    expect(notice.subject).toBe('Touchpoint updated by jill@acme.com — "Renewal (updated)"');
    expect(notice.text).toContain(
      'jill@acme.com edited the touchpoint "Renewal (updated)" on Globex (globex).',
    );
    expect(notice.text).toContain('New notes <b>here</b>.');
    expect(notice.html).toContain('New notes &lt;b&gt;here&lt;/b&gt;.');
  });
});
