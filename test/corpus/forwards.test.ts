// The forwarded-mail corpus of crisp-oss/email-forward-parser (206 cases, 20+ languages, a dozen
// clients): each body is wrapped in a real message and run through our MIME parsing and forward
// extraction; the forwarded From/To/Cc must be the ones upstream asserts. Each case runs twice: with
// upstream's subject, and forwarded once more by a teammate with "Fwd: " + that subject (issue 16: a
// "Fwd:" subject over a body the parser cannot read crashed the parse).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../src/domain/address.js';
import { normalizeSubject } from '../../src/domain/touchpoint.js';
import { parseMessage } from '../../src/mime/parse-message.js';
import { CORPORA, HAVE_CORPORA } from '../support/corpora.js';

interface Mailbox {
  address: string | null;
  name: string | null;
}
interface Case {
  body_file: string;
  subject_file: string | null;
  expected: Record<string, unknown> & { forwarded: boolean };
}

const base = join(CORPORA, 'forward_crisp-email-forward-parser');
const corpus: { cases: Case[]; constants: { SUBJECT: string } } = HAVE_CORPORA
  ? (JSON.parse(readFileSync(join(base, 'expected.json'), 'utf8')) as typeof corpus)
  : { cases: [], constants: { SUBJECT: '' } };

function wrap(body: string, subject: string): Buffer {
  const head = [
    'From: Jill Hart <jill@acme.com>',
    'To: touchpoints@acme.example',
    `Subject: ${subject}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head), Buffer.from(body)]);
}

const addressesOf = (value: unknown): string[] => {
  const list = (Array.isArray(value) ? value : [value]) as Mailbox[];
  return list.flatMap((m) =>
    m.address === null ? [] : [normalizeEmail(m.address) ?? `invalid:${m.address}`],
  );
};

/**
 * How a case is sent: as upstream reads it (its subject file, else a subject that says nothing), or
 * under "Fwd: " + the subject the forwarded mail had (its subject file, else upstream's SUBJECT: what
 * Gmail or Thunderbird would write when forwarding it).
 */
type Way = 'as upstream' | 'under Fwd:';

function subjectOf(c: Case, way: Way): string {
  const own = c.subject_file === null ? null : readFileSync(join(base, c.subject_file), 'utf8').trim();
  return way === 'as upstream' ? (own ?? 'Notes') : `Fwd: ${own ?? corpus.constants.SUBJECT}`;
}

const runs = corpus.cases.flatMap((c) =>
  (['as upstream', 'under Fwd:'] as const).map((way) => ({
    ...c,
    way,
    name: `${c.body_file.replace('fixtures/', '')} ${way}`,
  })),
);

describe.skipIf(!HAVE_CORPORA)('forwarded-mail corpus (crisp-oss/email-forward-parser)', () => {
  it.each(runs)('$name', async (c) => {
    const body = readFileSync(join(base, c.body_file), 'utf8');
    const parsed = await parseMessage(wrap(body, subjectOf(c, c.way)), {
      maxMessageBytes: 25 * 1024 * 1024,
      now: new Date('2026-11-26T00:00:00Z'),
    });
    if (!parsed.ok) throw new Error(parsed.detail);
    const forward = parsed.message.forwarded[0];
    if (!c.expected.forwarded && c.way === 'under Fwd:') {
      // Upstream's negatives are replies (variant 4: "That's true!" over a quote): with their own
      // subject they hold no forward. Forwarded under "Fwd:", the mail does claim to be a forward, and
      // those whose quote opens with a full header block or Outlook 2019's attribution line are
      // indistinguishable from upstream's Outlook forwards: read either as no forward or as the
      // forward of the quoted mail, from its real sender — never a crash, never an invented address.
      if (forward !== undefined) expect(forward.from.map((a) => a.email)).toEqual(['john.doe@acme.com']);
      return;
    }
    expect(forward !== undefined).toBe(c.expected.forwarded);
    if (forward === undefined) return;
    const e = c.expected;
    if (e['email.from'] !== undefined)
      expect(forward.from.map((a) => a.email)).toEqual(addressesOf(e['email.from']));
    // Under "Fwd: FW: …" the forwarded subject is read as "FW: …": the forwarded mail's own prefix
    // stays, and "the same mail" compares subjects without prefixes (SPEC §6), as this does.
    if (e['email.subject'] !== undefined && c.way === 'as upstream')
      expect(forward.subject).toBe(e['email.subject']);
    if (typeof e['email.subject'] === 'string' && c.way === 'under Fwd:')
      expect(normalizeSubject(forward.subject)).toBe(normalizeSubject(e['email.subject']));
    for (const key of ['email.to[0]', 'email.to[0..1]', 'email.to[0..1].address']) {
      if (e[key] === undefined) continue;
      const expected = key.endsWith('.address')
        ? (e[key] as string[]).map((a) => normalizeEmail(a))
        : addressesOf(e[key]);
      expect(forward.to.map((a) => a.email).slice(0, expected.length)).toEqual(expected);
    }
    if (e['email.cc[0..1]'] !== undefined)
      expect(forward.cc.map((a) => a.email).slice(0, 2)).toEqual(addressesOf(e['email.cc[0..1]']));
    if (e['email.cc.length'] !== undefined) expect(forward.cc.length).toBe(e['email.cc.length']);
  });
});
