// Mailbox lists as mail clients write them in a forwarded header block, where they are text for people,
// not RFC 5322: `Name <addr>`, Outlook's `Name (addr)` and `Name [mailto:addr]`, `addr<mailto:addr>`
// (Outlook's HTML flattened), bare addresses, names with commas or quotes, `;` or `,` between them.
import { dedupeAddresses, normalizeEmail, parseAddressList, type NamedAddress } from '../domain/address.js';

/**
 * One mailbox as written is a name and an address: far under this. A longer piece is no mailbox and is
 * not read (the patterns below are then bounded: each runs on at most this many characters).
 */
export const MAX_MAILBOX_CHARS = 512;
/** A header value of a forward block: 500 recipients (MIME_LIMITS.maxRecipients) of ~60 characters. */
export const MAX_MAILBOX_LIST_CHARS = 32 * 1024;

/** The address in angle brackets, with or without "mailto:" (`<bob@x>`, `< bob@x>`, `<mailto:bob@x>`). */
const ANGLED = /<\s*(?:mailto:)?\s*([^<>\s]+@[^<>\s]+)\s*>/i;
/** Outlook's `[mailto:bob@x]` and `[bob@x]`. */
const BRACKETED = /\[\s*(?:mailto:)?\s*([^[\]\s]+@[^[\]\s]+)\s*\]/i;
/** Outlook's `(bob@x)`: an address alone in parentheses. */
const PARENTHESIZED = /\(\s*(?:mailto:)?\s*([^()\s]+@[^()\s]+)\s*\)/i;
/** A bare address. */
const BARE = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/;
/** Outlook's HTML, flattened, repeats the address as a link: `bob@x<mailto:bob@x>`. */
const LINK_AFTER_ADDRESS = /(@[^\s<>]+)<mailto:[^<>]*>/gi;

/** The mailboxes of one header value, in order, each address once; entries without one are skipped. */
export function readMailboxList(value: string): NamedAddress[] {
  const text = value.slice(0, MAX_MAILBOX_LIST_CHARS).replace(/\s+/g, ' ');
  return dedupeAddresses(splitMailboxes(text).flatMap(readMailbox));
}

/**
 * The list cut into mailboxes. `;` (Outlook, Yahoo, QQ Mail) always separates; `,` does unless the list
 * uses `;`, where a comma belongs to a name ("Stone, Bob <bob@x>; Hart, Jill <jill@x>"). Separators in
 * quotes or brackets never do. A comma piece without an address is the first half of a name written
 * last-name first, and is joined to the next piece ("Stone, Bob <bob@x>, jill@x").
 */
function splitMailboxes(text: string): string[] {
  const bySemicolon = splitOutside(text, ';');
  // QQ Mail ends even a list of one with a semicolon ("\"Bob\"<bob@x>;").
  if (bySemicolon.length > 1 || bySemicolon.join('') !== text.trim()) return bySemicolon;
  const pieces = splitOutside(text, ',');
  const out: string[] = [];
  let pending = '';
  for (const piece of pieces) {
    const joined = pending === '' ? piece : `${pending}, ${piece}`;
    // What is pending holds no '@': only the new piece can bring one (linear on a hostile list).
    if (piece.includes('@')) {
      out.push(joined);
      pending = '';
    } else pending = joined;
  }
  return out;
}

/** `text` cut at each `separator` outside double quotes, `<>`, `()` and `[]`. Linear. */
function splitOutside(text: string, separator: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '<' || c === '(' || c === '[') depth++;
    else if (c === '>' || c === ')' || c === ']') depth = Math.max(0, depth - 1);
    else if (c === separator && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

function readMailbox(written: string): NamedAddress[] {
  if (written.length > MAX_MAILBOX_CHARS || !written.includes('@')) return [];
  const piece = written.replace(LINK_AFTER_ADDRESS, '$1');
  for (const pattern of [ANGLED, BRACKETED, PARENTHESIZED]) {
    const match = pattern.exec(piece);
    const address = match?.[1];
    if (match === null || address === undefined) continue;
    const email = normalizeEmail(address);
    if (email === null) continue;
    const name = nameOf(piece.slice(0, match.index) + piece.slice(match.index + match[0].length));
    return [{ email, name: name.toLowerCase() === email ? '' : name }];
  }
  // A bare address, maybe with its name as an RFC 5322 comment ("bob@x (Bob Stone)"): postal-mime's
  // parser reads that form.
  const bare = BARE.exec(piece);
  if (bare === null) return [];
  const parsed = parseAddressList(piece);
  return parsed.length > 0 ? parsed.slice(0, 1) : [];
}

/** A display name as written around the address: quotes, Gmail's `*bold*` marks and spaces taken off. */
function nameOf(rest: string): string {
  return rest
    .trim()
    .replace(/^["'*\s]+|["'*\s]+$/g, '')
    .replace(/\\"/g, '"')
    .trim();
}
