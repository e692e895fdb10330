// The forwarded-mail corpus of crisp-oss/email-forward-parser (206 cases, 20+ languages, a dozen
// clients): each body is wrapped in a real message and run through our MIME parsing and forward
// extraction; the forwarded From/To/Cc must be the ones upstream asserts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../src/domain/address.js';
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
const cases: Case[] = HAVE_CORPORA
  ? (JSON.parse(readFileSync(join(base, 'expected.json'), 'utf8')) as { cases: Case[] }).cases
  : [];

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

describe.skipIf(!HAVE_CORPORA)('forwarded-mail corpus (crisp-oss/email-forward-parser)', () => {
  it.each(cases.map((c) => ({ ...c, name: c.body_file.replace('fixtures/', '') })))('$name', async (c) => {
    const body = readFileSync(join(base, c.body_file), 'utf8');
    const subject =
      c.subject_file === null ? 'Notes' : readFileSync(join(base, c.subject_file), 'utf8').trim();
    const parsed = await parseMessage(wrap(body, subject), {
      maxMessageBytes: 25 * 1024 * 1024,
      now: new Date('2026-11-26T00:00:00Z'),
    });
    if (!parsed.ok) throw new Error(parsed.detail);
    const forward = parsed.message.forwarded[0];
    expect(forward !== undefined).toBe(c.expected.forwarded);
    if (forward === undefined) return;
    const e = c.expected;
    if (e['email.from'] !== undefined)
      expect(forward.from.map((a) => a.email)).toEqual(addressesOf(e['email.from']));
    if (e['email.subject'] !== undefined) expect(forward.subject).toBe(e['email.subject']);
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
