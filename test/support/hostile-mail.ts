// Generates odd and malformed messages for robustness tests: truncations, deep nesting, huge headers,
// many parts, bad charsets and encodings, binary noise. Deterministic (seeded), so a failure repeats.
import { seededRandom as random } from './random.js';

const CRLF = '\r\n';
const HEAD = [
  'From: Jill Hart <jill@acme.com>',
  'To: Bob Stone <bob@globex.com>',
  'Subject: Hostile',
  'Message-ID: <h@acme.com>',
  'Date: Thu, 19 Nov 2026 15:04:05 +0000',
];

/** `head` without the header fields named. */
const without = (head: readonly string[], ...names: string[]) =>
  head.filter((h) => !names.some((n) => h.toLowerCase().startsWith(`${n.toLowerCase()}:`)));

const msg = (headers: string[], body: string) => Buffer.from([...HEAD, ...headers, '', body].join(CRLF));

function nestedMultipart(depth: number): Buffer {
  let body = 'innermost';
  for (let i = depth; i > 0; i--)
    body = `--b${i}${CRLF}Content-Type: multipart/mixed; boundary="b${i + 1}"${CRLF}${CRLF}${body}${CRLF}--b${i}--`;
  return msg(['MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"'], body);
}

function nestedRfc822(depth: number): Buffer {
  let inner = [...HEAD, 'Content-Type: text/plain', '', 'deepest'].join(CRLF);
  for (let i = 0; i < depth; i++) inner = [...HEAD, 'Content-Type: message/rfc822', '', inner].join(CRLF);
  return Buffer.from(inner);
}

function manyParts(count: number): Buffer {
  const parts = Array.from(
    { length: count },
    (_, i) =>
      `--p${CRLF}Content-Type: text/plain; name="f${i}.txt"${CRLF}Content-Disposition: attachment${CRLF}${CRLF}part ${i}`,
  );
  return msg(
    ['MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="p"'],
    `${parts.join(CRLF)}${CRLF}--p--`,
  );
}

/** Named hostile messages: the fixed cases, then seeded mutations of a valid message. */
export function hostileMessages(count = 300): { name: string; raw: Buffer }[] {
  const fixed: { name: string; raw: Buffer }[] = [
    { name: 'empty input', raw: Buffer.alloc(0) },
    { name: 'only a newline', raw: Buffer.from(CRLF) },
    { name: 'headers only, no body', raw: Buffer.from(HEAD.join(CRLF)) },
    { name: 'binary noise', raw: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)) },
    { name: 'NUL bytes in headers and body', raw: msg(['X-Nul: a\u0000b'], 'text\u0000with\u0000nul') },
    { name: 'multipart nested 200 deep', raw: nestedMultipart(200) },
    { name: 'multipart nested 20 deep', raw: nestedMultipart(20) },
    { name: 'message/rfc822 nested 40 deep', raw: nestedRfc822(40) },
    { name: '2,000 parts', raw: manyParts(2000) },
    { name: '100 parts', raw: manyParts(100) },
    { name: 'a 2 MiB header', raw: msg([`X-Big: ${'a'.repeat(2 * 1024 * 1024)}`], 'body') },
    {
      name: '50,000 short headers',
      raw: msg(
        Array.from({ length: 50_000 }, (_, i) => `X-H${i}: v`),
        'body',
      ),
    },
    { name: 'a 5 MiB line without a newline', raw: msg([], 'x'.repeat(5 * 1024 * 1024)) },
    {
      name: '1,000 recipients',
      raw: Buffer.from(
        [
          ...HEAD.filter((h) => !h.startsWith('To:')),
          `To: ${Array.from({ length: 1000 }, (_, i) => `u${i}@globex.com`).join(', ')}`,
          '',
          'hi',
        ].join(CRLF),
      ),
    },
    {
      name: 'unknown charset',
      raw: msg(['Content-Type: text/plain; charset=x-no-such-charset'], 'caf\u00e9'),
    },
    {
      name: 'broken base64',
      raw: msg(['Content-Type: text/plain', 'Content-Transfer-Encoding: base64'], '!!!!not base64@@@@'),
    },
    {
      name: 'broken quoted-printable',
      raw: msg(['Content-Type: text/plain', 'Content-Transfer-Encoding: quoted-printable'], '=ZZ=\r\n=4'),
    },
    { name: 'unknown transfer encoding', raw: msg(['Content-Transfer-Encoding: x-uuencode'], 'begin 644 x') },
    {
      name: 'broken encoded-words',
      raw: Buffer.from(
        [
          ...HEAD.filter((h) => !h.startsWith('Subject')),
          'Subject: =?utf-8?B?####?= =?x-bad?Q?a?= =?utf-8?Q?=ZZ?=',
          '',
          'body',
        ].join(CRLF),
      ),
    },
    { name: 'multipart without boundary', raw: msg(['Content-Type: multipart/mixed'], 'no boundary here') },
    {
      name: 'multipart never closed',
      raw: msg(
        ['Content-Type: multipart/mixed; boundary="x"'],
        `--x${CRLF}Content-Type: text/plain${CRLF}${CRLF}open`,
      ),
    },
    {
      name: 'From with a group and no address',
      raw: Buffer.from(['From: Team:;', 'To: bob@globex.com', 'Subject: x', '', 'b'].join(CRLF)),
    },
    {
      name: 'From that is not an address',
      raw: Buffer.from(['From: "just a name"', 'To: bob@globex.com', '', 'b'].join(CRLF)),
    },
    {
      name: '8-bit bytes in headers',
      raw: Buffer.concat([
        Buffer.from('From: J\xe9r\xf4me <jill@acme.com>\r\nTo: bob@globex.com\r\nSubject: caf', 'latin1'),
        Buffer.from([0xe9, 0xff, 0xfe]),
        Buffer.from('\r\n\r\nbody'),
      ]),
    },
    {
      name: 'invalid Date',
      raw: Buffer.from(
        ['From: jill@acme.com', 'To: bob@globex.com', 'Date: the day after tomorrow', '', 'b'].join(CRLF),
      ),
    },
    {
      name: 'bare LF and bare CR mixed',
      raw: Buffer.from('From: jill@acme.com\nTo: bob@globex.com\rSubject: x\r\n\nbody\r'),
    },
    {
      name: 'an inline forward marker 100,000 times',
      raw: msg([], '---------- Forwarded message ---------\nFrom: a@b.com\n'.repeat(100_000)),
    },
    {
      name: 'a Fwd: subject over a body the forward parser claims without addresses',
      raw: Buffer.from(
        [
          'From: Jill Hart <jill@acme.com>',
          'To: touchpoints@acme.example',
          'Subject: Fwd: hello',
          '',
          'hi there',
        ].join(CRLF),
      ),
    },
    {
      name: 'NUL bytes in the Subject, a name and the body of a Bcc',
      raw: Buffer.from(
        [
          'From: Jill Hart <jill@acme.com>',
          'To: "Bob\u0000Stone" <bob@globex.com>',
          'Subject: Re\u0000newal',
          'Message-ID: <nul-subject@acme.com>',
          'Date: Thu, 19 Nov 2026 15:04:05 +0000',
          '',
          'text\u0000with\u0000nul',
        ].join(CRLF),
      ),
    },
    {
      name: 'a 6,000-character Message-ID',
      raw: Buffer.from(
        [...without(HEAD, 'Message-ID'), `Message-ID: <${'m'.repeat(6000)}@acme.com>`, '', 'Long id.'].join(
          CRLF,
        ),
      ),
    },
    {
      name: 'a 300-character local part in From and To',
      raw: Buffer.from(
        [
          `From: ${'j'.repeat(300)}@acme.com`,
          `To: ${'b'.repeat(300)}@globex.com, bob@globex.com`,
          'Subject: Long local parts',
          'Message-ID: <long-local@acme.com>',
          '',
          'Long local parts.',
        ].join(CRLF),
      ),
    },
    {
      name: 'a Date in year 0',
      raw: Buffer.from(
        [
          ...without(HEAD, 'Date', 'Message-ID'),
          'Message-ID: <year-0@acme.com>',
          'Date: Sat, 1 Jan 0000 00:00:00 +0000',
          '',
          'Year 0.',
        ].join(CRLF),
      ),
    },
    {
      name: 'a Date in year 275760',
      raw: Buffer.from(
        [
          ...without(HEAD, 'Date', 'Message-ID'),
          'Message-ID: <year-275760@acme.com>',
          'Date: Sat, 13 Sep 275760 00:00:00 +0000',
          '',
          'Far future.',
        ].join(CRLF),
      ),
    },
    {
      name: 'lone surrogates from HTML character references',
      raw: Buffer.from(
        [
          ...without(HEAD, 'Message-ID'),
          'Message-ID: <lone-surrogates@acme.com>',
          'Content-Type: text/html; charset=utf-8',
          '',
          '<p>half a pair: &#xD800; and &#xDFFF; and &#55357;</p>',
        ].join(CRLF),
      ),
    },
    {
      name: 'a Bcc with a subject and no body',
      raw: Buffer.from(
        [
          ...without(HEAD, 'Subject', 'Message-ID'),
          'Subject: Renewal',
          'Message-ID: <subject-only@acme.com>',
          '',
          '',
        ].join(CRLF),
      ),
    },
    {
      name: 'HTML only, deeply nested tags',
      raw: msg(['Content-Type: text/html'], '<div>'.repeat(50_000) + 'x'),
    },
  ];
  const base = msg(
    ['MIME-Version: 1.0', 'Content-Type: multipart/alternative; boundary="alt"'],
    [
      '--alt',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hello Bob',
      '--alt',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>Hello <b>Bob</b></p>',
      '--alt--',
      '',
    ].join(CRLF),
  );
  const next = random(20261126);
  const mutated: { name: string; raw: Buffer }[] = [];
  for (let i = 0; mutated.length + fixed.length < count; i++) {
    const raw = Buffer.from(base);
    const kind = i % 3;
    if (kind === 0) {
      mutated.push({ name: `truncated #${i}`, raw: raw.subarray(0, Math.floor(next() * raw.length)) });
    } else if (kind === 1) {
      for (let j = 0; j < 1 + Math.floor(next() * 20); j++)
        raw[Math.floor(next() * raw.length)] = Math.floor(next() * 256);
      mutated.push({ name: `bytes flipped #${i}`, raw });
    } else {
      const at = Math.floor(next() * raw.length);
      mutated.push({
        name: `spliced #${i}`,
        raw: Buffer.concat([raw.subarray(0, at), raw.subarray(Math.floor(next() * raw.length))]),
      });
    }
  }
  return [...fixed, ...mutated];
}
