// Forwards as mainstream clients write them, per client and language, plain and HTML (issue 17): our own
// messages in test/fixtures/forwards, each with what a person reads in it — the forwarded message's
// sender (with the name as written), recipients, subject and date, and the participants (SPEC §4 S2:
// every address of the forwarded From/To/Cc, the forwarder internal).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeEmail, type Email } from '../../src/domain/address.js';
import { classifyMessage } from '../../src/domain/scenario.js';
import { TraceBuilder } from '../../src/domain/trace.js';
import { parseMessage } from '../../src/mime/parse-message.js';

const DIR = new URL('../fixtures/forwards/', import.meta.url);
const OPTIONS = { maxMessageBytes: 25 * 1024 * 1024, now: new Date('2026-11-26T00:00:00Z') };
const touchpoint = normalizeEmail('touchpoints@acme.example');
const WORKSPACE = {
  internalDomains: ['acme.com'],
  everyTouchpointAddress: new Set<Email>(touchpoint === null ? [] : [touchpoint]),
};

interface Fixture {
  readonly file: string;
  /** The forwarded sender as "Name <address>". */
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly subject: string;
  /** The forwarded message's date, ISO-8601 (zone-less dates read in the forwarder's zone). */
  readonly date: string;
  /** Every participant, "address side" (in any order). */
  readonly participants: readonly string[];
}

const JILL = 'jill@acme.com internal';

const FIXTURES: readonly Fixture[] = [
  {
    file: 'gmail-en-bold-labels.eml',
    from: 'Bob <bob@globex.com>',
    to: ['jill@acme.com'],
    cc: ['ann@globex.com'],
    subject: 'Renewal',
    date: '2026-11-03T13:05:00.000Z',
    participants: [JILL, 'bob@globex.com external', 'ann@globex.com external'],
  },
  {
    file: 'gmail-en.html.eml',
    from: 'Bob <bob@globex.com>',
    to: ['jill@acme.com'],
    cc: ['ann@globex.com'],
    subject: 'Renewal',
    date: '2026-11-03T13:05:00.000Z',
    participants: [JILL, 'bob@globex.com external', 'ann@globex.com external'],
  },
  {
    file: 'outlook-en-parentheses.eml',
    from: 'Bob Stone <bob@globex.com>',
    to: ['jill@acme.com', 'ann@globex.com'],
    cc: [],
    subject: 'Renewal',
    date: '2026-11-03T13:05:00.000Z',
    participants: [JILL, 'bob@globex.com external', 'ann@globex.com external'],
  },
  {
    file: 'outlook-en-mailto.eml',
    from: 'Stone, Bob <bob@globex.com>',
    to: ['jill@acme.com', 'ann@globex.com'],
    cc: [],
    subject: 'Renewal',
    date: '2026-11-03T13:05:00.000Z',
    participants: [JILL, 'bob@globex.com external', 'ann@globex.com external'],
  },
  {
    file: 'outlook-en.html.eml',
    from: 'Bob Stone <bob@globex.com>',
    to: ['jill@acme.com'],
    cc: ['ann@globex.com'],
    subject: 'Renewal',
    date: '2026-11-03T13:05:00.000Z',
    participants: [JILL, 'bob@globex.com external', 'ann@globex.com external'],
  },
  {
    file: 'thunderbird-en-wrapped.eml',
    from: 'International Thing of Thing Stuff <j.thing@example.com>',
    to: ['jill@acme.com', 'ann@example.com'],
    cc: [],
    subject: 'Renewal',
    date: '2026-11-03T13:05:00.000Z',
    participants: [JILL, 'j.thing@example.com external', 'ann@example.com external'],
  },
  {
    file: 'thunderbird-en.html.eml',
    from: 'Bob Stone <bob@globex.com>',
    to: ['jill@acme.com', 'ann@globex.com'],
    cc: [],
    subject: 'Renewal',
    date: '2026-11-03T13:05:00.000Z',
    participants: [JILL, 'bob@globex.com external', 'ann@globex.com external'],
  },
  {
    file: 'mobile-en-quoted.eml',
    from: 'Bob Stone <bob@globex.com>',
    to: ['jill@acme.com'],
    cc: [],
    subject: 'Renewal',
    date: '2026-11-03T13:05:00.000Z',
    participants: [JILL, 'bob@globex.com external'],
  },
  {
    file: 'mailru-ru.eml',
    from: 'Боб Стоун <bob@globex.ru>',
    to: ['jill@acme.com'],
    cc: ['ann@globex.ru'],
    subject: 'Продление',
    date: '2026-11-03T11:05:00.000Z',
    participants: [JILL, 'bob@globex.ru external', 'ann@globex.ru external'],
  },
  {
    file: 'yandex-ru.eml',
    from: 'Боб Стоун <bob@globex.ru>',
    to: [],
    cc: [],
    subject: '',
    date: '2026-11-03T11:05:00.000Z',
    participants: [JILL, 'bob@globex.ru external'],
  },
  {
    file: 'yandex-ru.html.eml',
    from: 'Боб Стоун <bob@globex.ru>',
    to: [],
    cc: [],
    subject: '',
    date: '2026-11-03T11:05:00.000Z',
    participants: [JILL, 'bob@globex.ru external'],
  },
  {
    file: 'qq-zh.eml',
    from: 'Bob Stone <bob@globex.cn>',
    to: ['jill@acme.com'],
    cc: ['ann@globex.cn'],
    subject: '续约',
    date: '2026-11-03T06:05:00.000Z',
    participants: [JILL, 'bob@globex.cn external', 'ann@globex.cn external'],
  },
  {
    file: 'qq-zh.html.eml',
    from: 'Bob Stone <bob@globex.cn>',
    to: ['jill@acme.com'],
    cc: ['ann@globex.cn'],
    subject: '续约',
    date: '2026-11-03T06:05:00.000Z',
    participants: [JILL, 'bob@globex.cn external', 'ann@globex.cn external'],
  },
  {
    file: 'netease-zh.eml',
    from: 'Bob Stone <bob@globex.cn>',
    to: ['jill@acme.com'],
    cc: ['ann@globex.cn'],
    subject: '续约',
    date: '2026-11-03T06:05:00.000Z',
    participants: [JILL, 'bob@globex.cn external', 'ann@globex.cn external'],
  },
  {
    file: 'foxmail-zh.html.eml',
    from: 'Bob Stone <bob@globex.cn>',
    to: ['jill@acme.com'],
    cc: [],
    subject: '续约',
    date: '2026-11-03T06:05:00.000Z',
    participants: [JILL, 'bob@globex.cn external'],
  },
  {
    file: 'outlook-zh.eml',
    from: 'Bob Stone <bob@globex.cn>',
    to: ['jill@acme.com'],
    cc: ['ann@globex.cn'],
    subject: '续约',
    date: '2026-11-03T06:05:00.000Z',
    participants: [JILL, 'bob@globex.cn external', 'ann@globex.cn external'],
  },
  {
    file: 'outlook-ja.eml',
    from: 'Bob Stone <bob@globex.jp>',
    to: ['jill@acme.com'],
    cc: ['ann@globex.jp'],
    subject: '更新',
    date: '2026-11-03T05:05:00.000Z',
    participants: [JILL, 'bob@globex.jp external', 'ann@globex.jp external'],
  },
  {
    file: 'gmail-ja.eml',
    from: 'Bob Stone <bob@globex.jp>',
    to: ['jill@acme.com'],
    cc: [],
    subject: '更新',
    date: '2026-11-03T05:05:00.000Z',
    participants: [JILL, 'bob@globex.jp external'],
  },
  {
    file: 'gmail-ko.eml',
    from: 'Bob Stone <bob@globex.kr>',
    to: ['jill@acme.com'],
    cc: [],
    subject: '갱신',
    date: '2026-11-03T05:05:00.000Z',
    participants: [JILL, 'bob@globex.kr external'],
  },
  {
    file: 'outlook-ko.eml',
    from: 'Bob Stone <bob@globex.kr>',
    to: ['jill@acme.com'],
    cc: ['ann@globex.kr'],
    subject: '갱신',
    date: '2026-11-03T05:05:00.000Z',
    participants: [JILL, 'bob@globex.kr external', 'ann@globex.kr external'],
  },
];

describe('forwards per client and language (test/fixtures/forwards)', () => {
  it.each(FIXTURES)('$file', async (fixture) => {
    const result = await parseMessage(readFileSync(new URL(fixture.file, DIR)), OPTIONS);
    if (!result.ok) throw new Error(result.detail);
    const message = result.message;
    const forward = message.forwarded[0];
    if (forward === undefined) throw new Error('no forward read');
    expect({
      from: forward.from.map((a) => `${a.name} <${a.email}>`).join(', '),
      to: forward.to.map((a) => a.email),
      cc: forward.cc.map((a) => a.email),
      subject: forward.subject,
      date: forward.date,
    }).toEqual({
      from: fixture.from,
      to: fixture.to,
      cc: fixture.cc,
      subject: fixture.subject,
      date: fixture.date,
    });
    const sender = message.from;
    if (sender === null) throw new Error('no From');
    const classification = classifyMessage({ message, sender, workspace: WORKSPACE }, new TraceBuilder());
    expect(classification.scenario).toBe('forward');
    expect(classification.participants.map((p) => `${p.email} ${p.side}`).sort()).toEqual(
      [...fixture.participants].sort(),
    );
  });
});
