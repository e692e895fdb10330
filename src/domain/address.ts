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
 * Text scanned for addresses: a subject (SPEC §4 S1 and gate G4) is a line a person typed — Outlook caps
 * it at 255 characters — so 4 KiB holds any real one. Each address found costs a directory lookup, and
 * this bounds them (under 600, about maxRecipients) and the scan, whatever the message carries.
 */
export const MAX_TEXT_SCAN_CHARS = 4 * 1024;

/** A character of the local part as the scan reads it: letters and digits of any script, `._%+'-`. */
const LOCAL_CHAR = /^[\p{L}\p{N}._%+'-]$/u;
/** A character of a domain label: letters and digits of any script and `-`. */
const LABEL_CHAR = /^[\p{L}\p{N}-]$/u;

/**
 * Addresses written in free text (a subject line: SPEC §4 S1), in order, each once. The scan only finds
 * candidates — a local part, `@`, then two or more dot-separated labels — and each is then normalized like
 * any other address. It runs in linear time on hostile text (a pattern did the same in quadratic time:
 * 40,000 letters without an `@` took 1.5 s, see docs/PERFORMANCE.md): each `@` is expanded left over the
 * local part and right over the domain, and neither expansion crosses another `@`, so every character is
 * read at most twice. Text past MAX_TEXT_SCAN_CHARS is not read, and a word cut by that limit is dropped,
 * never taken for a shorter address.
 */
export function findAddressesInText(text: string): Email[] {
  const scanned = withinScanLimit(text);
  const found = new Set<Email>();
  let from = 0;
  for (let at = scanned.indexOf('@', from); at !== -1; at = scanned.indexOf('@', Math.max(at + 1, from))) {
    let start = at;
    while (start > from && isCharBefore(scanned, start, LOCAL_CHAR)) start -= charSizeBefore(scanned, start);
    if (start === at) continue;
    const end = domainEnd(scanned, at + 1);
    if (end === null) continue;
    from = end;
    const email = normalizeEmail(scanned.slice(start, end).replace(/^[.'-]+/, ''));
    if (email !== null) found.add(email);
  }
  return [...found];
}

/** The end of `label(.label)+` starting at `i`, or null when there is not one (at least two labels). */
function domainEnd(text: string, i: number): number | null {
  let end = labelEnd(text, i);
  if (end === i) return null;
  let labels = 1;
  while (text[end] === '.') {
    const next = labelEnd(text, end + 1);
    if (next === end + 1) break;
    end = next;
    labels++;
  }
  return labels >= 2 ? end : null;
}

function labelEnd(text: string, i: number): number {
  let end = i;
  for (let c = text.codePointAt(end); c !== undefined; c = text.codePointAt(end)) {
    const char = String.fromCodePoint(c);
    if (!LABEL_CHAR.test(char)) break;
    end += char.length;
  }
  return end;
}

/** True when the character (code point) ending at `i` matches `pattern`. */
function isCharBefore(text: string, i: number, pattern: RegExp): boolean {
  return pattern.test(text.slice(i - charSizeBefore(text, i), i));
}

/** 2 when a surrogate pair ends at `i`, else 1: the scan goes left by code points, as /u patterns do. */
function charSizeBefore(text: string, i: number): number {
  const low = text.charCodeAt(i - 1);
  const high = text.charCodeAt(i - 2);
  return low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff ? 2 : 1;
}

/** `text` up to MAX_TEXT_SCAN_CHARS, without the word the limit cuts in two. */
function withinScanLimit(text: string): string {
  if (text.length <= MAX_TEXT_SCAN_CHARS) return text;
  let end = MAX_TEXT_SCAN_CHARS;
  while (end > 0 && (text[end] === '@' || isCharBefore(text, end + 1, LOCAL_CHAR))) end--;
  return text.slice(0, end);
}
