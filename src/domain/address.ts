// Email addresses as the rules compare them: normalized (SPEC §1), split, parsed from headers and text.
import { domainToASCII } from 'node:url';
import { addressParser } from 'postal-mime';

/** A normalized address: local part NFC + lower-case, domain NFC + lower-case + punycode (SPEC §1). */
export type Email = string & { readonly __brand: 'Email' };

/** An address with the display name it was written with. */
export interface NamedAddress {
  readonly email: Email;
  readonly name: string;
}

/**
 * RFC 5321 §4.5.3.1: 64 octets of local part, 255 of domain. Longer strings are not addresses, and
 * refusing them bounds the work spent on hostile headers.
 */
const MAX_LOCAL_PART = 64;
const MAX_DOMAIN = 255;
/** RFC 1035 §2.3.4: 63 octets per label. */
const MAX_LABEL = 63;

/**
 * Normalizes an address for comparison, or returns null when it is not an address. Matching is
 * case-insensitive on the whole address [beyond the seed], after Unicode NFC and IDN→punycode.
 */
export function normalizeEmail(raw: string): Email | null {
  let text = raw.trim();
  if (text.startsWith('<') && text.endsWith('>')) text = text.slice(1, -1).trim();
  if (text.toLowerCase().startsWith('mailto:')) text = text.slice('mailto:'.length);
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return null;
  const local = text.slice(0, at).normalize('NFC').toLowerCase();
  const domain = normalizeDomain(text.slice(at + 1));
  if (domain === null || local.length > MAX_LOCAL_PART) return null;
  const quoted = local.length > 1 && local.startsWith('"') && local.endsWith('"');
  if (!quoted && /[\s<>,;"]/.test(local)) return null;
  return `${local}@${domain}` as Email;
}

/** Normalizes a domain name (NFC, lower-case, no trailing dot, punycode), or null when it is not one. */
export function normalizeDomain(raw: string): string | null {
  const text = raw.trim().normalize('NFC').toLowerCase().replace(/\.$/, '');
  if (text === '' || text.length > MAX_DOMAIN) return null;
  // An address literal ([192.0.2.1]) is kept as written: it has no IDN form.
  if (/^\[[\d.:a-f]+\]$/.test(text)) return text;
  const ascii = domainToASCII(text);
  if (ascii === '' || ascii.length > MAX_DOMAIN || !ascii.includes('.')) return null;
  if (ascii.split('.').some((label) => label === '' || label.length > MAX_LABEL)) return null;
  return ascii;
}

/** The domain part of a normalized address. */
export function domainOf(email: Email): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

/** The local part of a normalized address. */
export function localPartOf(email: Email): string {
  return email.slice(0, email.lastIndexOf('@'));
}

/** `bob+renewal@globex.com` → `{ base: bob@globex.com, tag: renewal }`; null when there is no tag. */
export function splitPlusTag(email: Email): { base: Email; tag: string } | null {
  const local = localPartOf(email);
  const plus = local.indexOf('+');
  if (plus <= 0 || local.startsWith('"')) return null;
  return { base: `${local.slice(0, plus)}@${domainOf(email)}` as Email, tag: local.slice(plus + 1) };
}

/** True when `domain` equals `parent` or is one of its subdomains (`eu.acme.com` under `acme.com`). */
export function isSameOrSubdomain(domain: string, parent: string): boolean {
  return domain === parent || domain.endsWith(`.${parent}`);
}

/**
 * Parses an address-list header value (To, Cc, From) with postal-mime's RFC 5322 parser. Groups are
 * flattened, invalid entries dropped, duplicates kept once (first display name wins).
 */
export function parseAddressList(value: string): NamedAddress[] {
  return dedupeAddresses(
    addressParser(value, { flatten: true }).flatMap((mailbox) => {
      const email = mailbox.address === undefined ? null : normalizeEmail(mailbox.address);
      return email === null ? [] : [{ email, name: mailbox.name.trim() }];
    }),
  );
}

/** Keeps the first occurrence of each address, filling a missing display name from later ones. */
export function dedupeAddresses(addresses: Iterable<NamedAddress>): NamedAddress[] {
  const seen = new Map<Email, NamedAddress>();
  for (const address of addresses) {
    const known = seen.get(address.email);
    if (known === undefined) seen.set(address.email, address);
    else if (known.name === '' && address.name !== '') seen.set(address.email, address);
  }
  return [...seen.values()];
}

/**
 * Addresses written in free text (a subject line: SPEC §4 S1). The pattern only finds candidates;
 * each is then normalized like any other address. Letters and digits of any script are allowed.
 */
const ADDRESS_IN_TEXT = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

export function findAddressesInText(text: string): Email[] {
  const found: Email[] = [];
  for (const match of text.matchAll(ADDRESS_IN_TEXT)) {
    const email = normalizeEmail(match[0].replace(/^[.'-]+/, ''));
    if (email !== null && !found.includes(email)) found.push(email);
  }
  return found;
}
