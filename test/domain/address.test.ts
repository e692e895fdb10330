import { describe, expect, it } from 'vitest';
import {
  findAddressesInText,
  isSameOrSubdomain,
  MAX_TEXT_SCAN_CHARS,
  normalizeEmail,
  parseAddressList,
  splitPlusTag,
  type Email,
} from '../../src/domain/address.js';
import { isPublicMailboxDomain } from '../../src/domain/public-mailbox.js';

describe('normalizeEmail', () => {
  it.each([
    ['lower-cases the whole address', 'Bob.Stone@Globex.COM', 'bob.stone@globex.com'],
    ['strips angle brackets and spaces', '  <bob@globex.com> ', 'bob@globex.com'],
    ['strips mailto:', 'mailto:bob@globex.com', 'bob@globex.com'],
    ['turns an IDN domain into punycode', 'anna@bücher.de', 'anna@xn--bcher-kva.de'],
    ['keeps a punycode domain as it is', 'anna@xn--bcher-kva.de', 'anna@xn--bcher-kva.de'],
    ['applies NFC to the local part', 'jose\u0301@acme.es', 'jos\u00e9@acme.es'],
    ['applies NFC before IDN', 'x@cafe\u0301.fr', 'x@xn--caf-dma.fr'],
    ['drops a trailing dot of the domain', 'bob@globex.com.', 'bob@globex.com'],
    ['keeps a +tag', 'Bob+Renewal@globex.com', 'bob+renewal@globex.com'],
    ['keeps a quoted local part', '"bob stone"@globex.com', '"bob stone"@globex.com'],
  ])('%s', (_name, input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  it.each([
    ['no at sign', 'bob.globex.com'],
    ['empty local part', '@globex.com'],
    ['empty domain', 'bob@'],
    ['a domain without a dot', 'bob@localhost'],
    ['an empty label', 'bob@globex..com'],
    ['a local part over 64 octets', `${'a'.repeat(65)}@globex.com`],
    ['a domain over 255 octets', `bob@${'abcdefghij.'.repeat(24)}com`],
    ['a label over 63 octets', `bob@${'a'.repeat(64)}.com`],
    ['spaces inside', 'bob stone@globex.com'],
  ])('refuses %s', (_name, input) => {
    expect(normalizeEmail(input)).toBeNull();
  });
});

describe('splitPlusTag', () => {
  it('splits the tag off the local part', () => {
    expect(splitPlusTag('bob+renewal@globex.com' as Email)).toEqual({
      base: 'bob@globex.com',
      tag: 'renewal',
    });
  });
  it('finds nothing without a tag, or with a leading plus', () => {
    expect(splitPlusTag('bob@globex.com' as Email)).toBeNull();
    expect(splitPlusTag('+bob@globex.com' as Email)).toBeNull();
  });
});

describe('isSameOrSubdomain', () => {
  it.each([
    ['acme.com', 'acme.com', true],
    ['eu.acme.com', 'acme.com', true],
    ['mail.eu.acme.com', 'acme.com', true],
    ['notacme.com', 'acme.com', false],
    ['acme.com.evil.net', 'acme.com', false],
  ])('%s under %s is %s', (domain, parent, expected) => {
    expect(isSameOrSubdomain(domain, parent)).toBe(expected);
  });
});

describe('parseAddressList', () => {
  it('parses names, quotes, comments and groups', () => {
    expect(
      parseAddressList(
        '"Stone, Bob" <Bob@Globex.com>, eva@globex.com (Eva), Team: a@x.org, b@x.org;, =?UTF-8?Q?J=C3=BCrgen?= <j@x.de>',
      ),
    ).toEqual([
      { email: 'bob@globex.com', name: 'Stone, Bob' },
      { email: 'eva@globex.com', name: 'Eva' },
      { email: 'a@x.org', name: '' },
      { email: 'b@x.org', name: '' },
      { email: 'j@x.de', name: 'Jürgen' },
    ]);
  });
  it('drops what is not an address and keeps each address once', () => {
    expect(parseAddressList('undisclosed-recipients:;, bob@globex.com, BOB@globex.com, nonsense')).toEqual([
      { email: 'bob@globex.com', name: '' },
    ]);
  });
});

describe('findAddressesInText', () => {
  it.each([
    [
      'a subject line',
      'Call notes: Bob@Globex.com, eva@globex.com; (and peter@initech.example).',
      ['bob@globex.com', 'eva@globex.com', 'peter@initech.example'],
    ],
    ['IDN', 'Notes anna@bücher.de', ['anna@xn--bcher-kva.de']],
    ['a non-Latin local part', 'Встреча иван@почта.рф', ['иван@xn--80a1acny.xn--p1ai']],
    ['plain words', 'Quarterly review @ Globex', []],
    ['a plus tag', 'Notes bob+renewal@globex.com', ['bob+renewal@globex.com']],
    ['a trailing dot', 'Met bob@globex.com.', ['bob@globex.com']],
    ['trailing dots and a dash', 'Met bob@globex.com...- later', ['bob@globex.com']],
    ['angle brackets', 'Notes <bob@globex.com>', ['bob@globex.com']],
    ['a mailto link', 'Notes (mailto:bob@globex.com)', ['bob@globex.com']],
    [
      'punctuation around',
      '"bob@globex.com", [eva@globex.com]; {li@dragon.example.cn}!',
      ['bob@globex.com', 'eva@globex.com', 'li@dragon.example.cn'],
    ],
    ['leading dots, quote and dash dropped', "Notes ..'-bob@globex.com", ['bob@globex.com']],
    ['an apostrophe inside', "Notes o'brien@globex.com", ["o'brien@globex.com"]],
    ['each address once', 'bob@globex.com BOB@GLOBEX.COM bob@globex.com', ['bob@globex.com']],
    ['no dot in the domain', 'bob@localhost and eva@globex', []],
    ['two @ in a row', 'bob@@globex.com', []],
    ['an address right after another', 'a@b.c@d.e x@y.z', ['a@b.c', 'x@y.z']],
    ['an address glued after a domain', 'a@b.c_d@e.f', ['a@b.c', '_d@e.f']],
    ['a domain label too long', `bob@${'x'.repeat(64)}.com`, []],
    ['a local part too long', `${'x'.repeat(65)}@globex.com`, []],
    ['letters of another plane', 'Notes 𝒷ob@globex.com', ['𝒷ob@globex.com']],
  ])('%s', (_, text, expected) => {
    expect(findAddressesInText(text)).toEqual(expected);
  });

  // The pattern the scan replaced, as the oracle of its behaviour on short text (it was quadratic).
  const PATTERN = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
  const byPattern = (text: string) => [
    ...new Set([...text.matchAll(PATTERN)].flatMap((m) => normalizeEmail(m[0].replace(/^[.'-]+/, '')) ?? [])),
  ];

  it('finds what the pattern it replaced found, on 20,000 random short texts', () => {
    const alphabet = [
      'a',
      'b',
      'x',
      '1',
      '.',
      '.',
      '@',
      '@',
      '-',
      '+',
      "'",
      '_',
      '%',
      ' ',
      ',',
      '<',
      '>',
      'ü',
      'é',
      '𝒷',
      '😀',
      '\ud800',
    ];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 20_000; n++) {
      const text = Array.from(
        { length: 1 + Math.floor(next() * 24) },
        () => alphabet[Math.floor(next() * alphabet.length)],
      ).join('');
      expect(findAddressesInText(text), JSON.stringify(text)).toEqual(byPattern(text));
    }
  });

  it('reads a subject up to its limit, and never cuts an address there into a shorter one', () => {
    const pad = (n: number) => 'x'.repeat(n);
    expect(findAddressesInText(`${pad(MAX_TEXT_SCAN_CHARS - 20)} bob@globex.com`)).toEqual([
      'bob@globex.com',
    ]);
    expect(findAddressesInText(`${pad(MAX_TEXT_SCAN_CHARS - 10)} bob@globex.com`)).toEqual([]);
    expect(findAddressesInText(`${pad(MAX_TEXT_SCAN_CHARS - 15)} bob@globex.com.au`)).toEqual([]);
    expect(findAddressesInText(`bob@globex.com ${pad(1024 * 1024)} eva@globex.com`)).toEqual([
      'bob@globex.com',
    ]);
  });
});

describe('isPublicMailboxDomain', () => {
  it.each(['gmail.com', 'outlook.com', 'yahoo.co.uk', 'gmx.de', 'proton.me'])(
    '%s is a public mailbox provider',
    (d) => {
      expect(isPublicMailboxDomain(d)).toBe(true);
    },
  );
  it.each(['acme.com', 'globex.example', 'mail.acme.co.uk'])('%s is not', (d) => {
    expect(isPublicMailboxDomain(d)).toBe(false);
  });
});
