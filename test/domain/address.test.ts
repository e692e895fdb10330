import { describe, expect, it } from 'vitest';
import {
  findAddressesInText,
  isSameOrSubdomain,
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
  it('finds the customer addresses of a subject line', () => {
    expect(
      findAddressesInText('Call notes: Bob@Globex.com, eva@globex.com; (and peter@initech.example).'),
    ).toEqual(['bob@globex.com', 'eva@globex.com', 'peter@initech.example']);
  });
  it('finds IDN addresses', () => {
    expect(findAddressesInText('Notes anna@bücher.de')).toEqual(['anna@xn--bcher-kva.de']);
  });
  it('finds nothing in plain words', () => {
    expect(findAddressesInText('Quarterly review @ Globex')).toEqual([]);
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
