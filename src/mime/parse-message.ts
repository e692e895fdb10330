// Raw bytes → ParsedMessage: MIME by postal-mime (charsets, transfer encodings, encoded words, RFC 2231),
// forwarded messages attached as message/rfc822 parsed recursively, inline forwards by
// email-forward-parser. Every input is hostile: each limit below bounds the work one message can cause.
import EmailForwardParser from 'email-forward-parser';
import {
  compile as compileHtmlToText,
  type DomNode,
  type HtmlToTextOptions,
  type RecursiveCallback,
} from 'html-to-text';
import type { BlockTextBuilder } from 'html-to-text/lib/block-text-builder.js';
import EmailReplyParser from 'email-reply-parser';
import { Parser as HtmlParser } from 'htmlparser2';
import PostalMime, { type Address, type Email as PostalEmail } from 'postal-mime';
import sanitizeHtml from 'sanitize-html';
import { dedupeAddresses, normalizeEmail, parseAddressList, type NamedAddress } from '../domain/address.js';
import type { AttachmentInfo, ForwardedMessage, ParsedMessage } from '../domain/message.js';
import { readForwardBlock, type ForwardBlock } from './forward-block.js';
import { parseLocalizedDate, zoneOfDateHeader } from './localized-date.js';

/** Hostile-input limits. Each is far above what real mail needs and low enough to bound the work. */
export const MIME_LIMITS = Object.freeze({
  /** MIME nesting: real mail stays under 10 levels; deeper trees only exist to exhaust parsers. */
  maxNestingDepth: 32,
  /** Header bytes across all parts: 1 MiB is hundreds of times a long Received chain. */
  maxHeaderBytes: 1024 * 1024,
  /** MIME parts (attachments included): a mail with 500 files is an archive, not a touchpoint. */
  maxParts: 500,
  /** To + Cc addresses: each one costs a directory lookup; 500 is already a mailing blast. */
  maxRecipients: 500,
  /** Forwards within forwards, attached or inline: a chain of 8 is already hard for people to read. */
  maxForwardDepth: 8,
  /**
   * Text scanned for an inline forward. email-forward-parser's patterns are quadratic on adversarial
   * text (measured: 32 KiB → 0.2 s, 64 KiB → 0.8 s, 128 KiB → 3.2 s); a forward's header block sits
   * near the top of what was typed, so 32 KiB finds real forwards and bounds the worst case.
   */
  maxInlineScanChars: 32 * 1024,
  /**
   * Time budget of one message's parse, checked between stages (each stage is bounded by the limits
   * above): past it, nested forwards are no longer looked for and the message is refused as too-large.
   */
  maxParseMs: 3_000,
  /**
   * Text given to the reply parser to fold quoted history and signatures. email-reply-parser is
   * super-linear on long quotes (measured: 64 KiB → 25 ms, 128 KiB → 1.6 s, 256 KiB → 12.7 s); the
   * reply itself sits at the top, so the first 64 KiB decide the fold.
   */
  maxReplyScanChars: 64 * 1024,
  /** HTML turned into text when a message has no text part: 2 MiB of markup is a long newsletter. */
  maxHtmlToTextChars: 2 * 1024 * 1024,
});

export type ParseFailure = {
  readonly ok: false;
  readonly reason: 'too-large' | 'unparseable';
  readonly detail: string;
};
export type ParseResult = { readonly ok: true; readonly message: ParsedMessage } | ParseFailure;

export interface ParseOptions {
  /** Largest raw message accepted (TOUCHMAIL_MAX_MESSAGE_BYTES). */
  readonly maxMessageBytes: number;
  /** Reference for reading dates written without a year or zone. */
  readonly now: Date;
}

const forwardParser = new EmailForwardParser();
const replyParser = new EmailReplyParser();

/**
 * Reply prefixes of the common clients and languages (en, de, nl, sv/da/no, fi, pl, tr, it, pt, ru, zh,
 * ja). Linear on a hostile subject: no two `\s*` meet (see SUBJECT_PREFIX in domain/touchpoint.ts).
 */
const REPLY_SUBJECT =
  /^\s*(?:re|aw|antw|sv|vs|odp|ynt|rif|r|res|отв|ответ|回复|答复|返信)\s*(?:\[\d+\]\s*)?[:：]/iu;

export async function parseMessage(raw: Uint8Array, options: ParseOptions): Promise<ParseResult> {
  if (raw.byteLength > options.maxMessageBytes) {
    return tooLarge(`message is ${raw.byteLength} bytes; the limit is ${options.maxMessageBytes}`);
  }
  const top = await parseMime(raw);
  if (!top.ok) return top;
  const email = top.email;

  const to = addressesOf(email.to);
  const cc = addressesOf(email.cc);
  if (to.length + cc.length > MIME_LIMITS.maxRecipients) {
    return tooLarge(
      `${to.length + cc.length} recipients in To and Cc; the limit is ${MIME_LIMITS.maxRecipients}`,
    );
  }
  const forwarded: ForwardedMessage[] = [];
  const deadline = performance.now() + MIME_LIMITS.maxParseMs;
  // The text is made once: for HTML-only mail that is a full HTML-to-text conversion.
  const text = textOf(email);
  const collected = await collectForwards(email, text, options.now, 1, forwarded, deadline);
  if (collected !== null) return collected;

  const headers = new Map<string, string[]>();
  for (const header of email.headers) {
    const values = headers.get(header.key) ?? [];
    values.push(header.value);
    headers.set(header.key, values);
  }
  const contentType =
    (headers.get('content-type')?.[0] ?? 'text/plain').split(';')[0]?.trim().toLowerCase() ?? '';
  return {
    ok: true,
    message: {
      from: addressesOf(email.from === undefined ? [] : [email.from])[0] ?? null,
      to,
      cc,
      deliveredTo: (headers.get('delivered-to') ?? []).flatMap((v) =>
        parseAddressList(v).map((a) => a.email),
      ),
      subject: email.subject ?? '',
      messageId: messageIdOf(email.messageId),
      date: isoDate(email.date),
      headers,
      contentType,
      text,
      visibleText: visiblePart(text),
      html: email.html === undefined ? null : sanitizeHtml(email.html, HTML_POLICY),
      attachments: email.attachments.map(attachmentInfo),
      forwarded,
    },
  };
}

async function parseMime(raw: Uint8Array): Promise<{ ok: true; email: PostalEmail } | ParseFailure> {
  let email: PostalEmail;
  try {
    email = await PostalMime.parse(raw, {
      forceRfc822Attachments: true,
      attachmentEncoding: 'arraybuffer',
      maxNestingDepth: MIME_LIMITS.maxNestingDepth,
      maxHeadersSize: MIME_LIMITS.maxHeaderBytes,
    });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return /nesting|depth|header.*size|too large|exceed/i.test(detail)
      ? tooLarge(detail)
      : { ok: false, reason: 'unparseable', detail };
  }
  if (email.attachments.length > MIME_LIMITS.maxParts) {
    return tooLarge(`${email.attachments.length} MIME parts; the limit is ${MIME_LIMITS.maxParts}`);
  }
  return { ok: true, email };
}

/**
 * Appends the forwards `email` (whose text is `text`) carries to `out`, outermost first: attached
 * message/rfc822 parts (parsed recursively), then an inline forward block in the text (and the forwards
 * nested in it).
 */
async function collectForwards(
  email: PostalEmail,
  text: string,
  now: Date,
  depth: number,
  out: ForwardedMessage[],
  deadline: number,
): Promise<ParseFailure | null> {
  if (depth > MIME_LIMITS.maxForwardDepth) return null;
  if (performance.now() > deadline) return tooLarge(`parsing took over ${MIME_LIMITS.maxParseMs} ms`);
  let attached = 0;
  for (const attachment of email.attachments) {
    if (attachment.mimeType !== 'message/rfc822' || typeof attachment.content === 'string') continue;
    attached++;
    const inner = await parseMime(new Uint8Array(attachment.content));
    if (!inner.ok) return inner;
    const innerText = textOf(inner.email);
    out.push({
      source: 'attached',
      from: addressesOf(inner.email.from === undefined ? [] : [inner.email.from]),
      to: addressesOf(inner.email.to),
      cc: addressesOf(inner.email.cc),
      subject: inner.email.subject ?? '',
      date: isoDate(inner.email.date),
      dateText: inner.email.date ?? null,
      assumedZone: null,
      messageId: messageIdOf(inner.email.messageId),
      text: innerText,
      note: null,
    });
    const nested = await collectForwards(inner.email, innerText, now, depth + 1, out, deadline);
    if (nested !== null) return nested;
  }
  // A message that attaches what it forwards does not also quote it inline.
  if (attached === 0)
    collectInlineForwards(text, email.subject ?? '', { now, zone: zoneOf(email) }, depth, out, deadline);
  return performance.now() > deadline ? tooLarge(`parsing took over ${MIME_LIMITS.maxParseMs} ms`) : null;
}

/**
 * How an inline forward's date is read: `now` for a date without a year, and the forwarder's zone (the
 * offset of the forwarding message's Date, null when it names none) for a date without a zone.
 */
interface DateContext {
  readonly now: Date;
  readonly zone: number | null;
}

/** The zone of a message's own Date header, in minutes east of UTC; null when it names none. */
function zoneOf(email: PostalEmail): number | null {
  const date = email.headers.find((h) => h.key === 'date')?.value;
  return date === undefined || isoDate(email.date) === null ? null : zoneOfDateHeader(date);
}

function collectInlineForwards(
  text: string,
  subject: string,
  dates: DateContext,
  depth: number,
  out: ForwardedMessage[],
  deadline: number,
): void {
  if (depth > MIME_LIMITS.maxForwardDepth || text === '' || performance.now() > deadline) return;
  const forward = readInlineForward(text.slice(0, MIME_LIMITS.maxInlineScanChars), subject);
  if (forward === null) return;
  const dateText = forward.date ?? null;
  const date = dateText === null ? null : parseLocalizedDate(dateText, dates.now, dates.zone ?? 0);
  out.push({
    source: 'inline',
    from: mailboxes(forward.from),
    to: mailboxes(forward.to),
    cc: mailboxes(forward.cc),
    subject: forward.subject ?? '',
    date: date?.iso ?? null,
    dateText,
    assumedZone:
      date === null || date.assumedZone === null
        ? null
        : { offset: date.assumedZone, from: dates.zone === null ? 'utc' : 'forwarder' },
    messageId: null,
    text: forward.body,
    note: (forward.message ?? '').trim() || null,
  });
  // A forward nested in this one was quoted by an earlier forwarder, whose zone the text does not give:
  // the nearest known one, this forwarder's, stands for it.
  collectInlineForwards(forward.body, forward.subject ?? '', dates, depth + 1, out, deadline);
}

/** A mailbox as email-forward-parser really gives it: either field may be missing, not only null. */
interface ReadMailbox {
  readonly address?: string | null | undefined;
  readonly name?: string | null | undefined;
}
type ReadMailboxes = ReadMailbox | readonly ReadMailbox[] | null | undefined;

/**
 * A forward block email-forward-parser read. Its typings promise a `from` mailbox of strings or nulls;
 * when only the subject says "forwarded" ("Fwd: hello" over "hi there") it answers `forwarded: true`
 * with `from: {address: undefined, name: undefined}` and no body, to, cc or date (issue 16). These
 * types say what it returns; `body` is required because a forward without one was not read at all.
 */
interface ReadForward {
  readonly body: string;
  /** The forwarder's words above the block. */
  readonly message?: string | null | undefined;
  readonly from?: ReadMailboxes;
  readonly to?: ReadMailboxes;
  readonly cc?: ReadMailboxes;
  readonly subject?: string | null | undefined;
  readonly date?: string | null | undefined;
}

/**
 * The inline forward block of `scanned`, or null. With a subject the parser also finds Outlook forwards
 * that have no separator line (only "TR:", "WG:"… betray them), but then refuses any forward whose
 * subject was edited: both ways are tried. A reply ("Re:", "AW:", …) quoting a header block is a reply,
 * not a forward. A "forward" the parser claims from the subject alone, with no block in the body, is
 * no forward: there is nothing of it to read, and the mail is taken as the forwarder's own.
 *
 * Where email-forward-parser falls short, our own reader of header blocks (forward-block.ts) takes over
 * (issue 17): it reads the block the parser did not find at all (quoted, without a separator line,
 * Russian, Chinese, Japanese, Korean clients), and completes one whose addresses or date it lost
 * (wrapped values, `Name (addr)`, `Name [mailto:addr]`, `*Date:*`).
 */
function readInlineForward(scanned: string, subject: string): ReadForward | null {
  const bySubject = blockOf(forwardParser.read(scanned, subject));
  const isReply = REPLY_SUBJECT.test(subject);
  const byLibrary = bySubject !== null || isReply ? bySubject : blockOf(forwardParser.read(scanned));
  if (byLibrary === null && isReply) return null;
  const ours = readForwardBlock(scanned);
  if (ours === null) return byLibrary;
  return byLibrary === null ? asRead(ours) : completed(byLibrary, ours);
}

/** Our reader's block in email-forward-parser's shape. */
function asRead(block: ForwardBlock): ReadForward {
  const boxes = (list: readonly NamedAddress[]) => list.map((a) => ({ address: a.email, name: a.name }));
  return {
    body: block.body,
    from: boxes(block.from),
    to: boxes(block.to),
    cc: boxes(block.cc),
    subject: block.subject,
    date: block.date,
    message: block.note,
  };
}

/**
 * email-forward-parser's block, with what it lost or left empty taken from ours when both read the same
 * block: the same sender's addresses, or, when it read no sender's address, the same subject or none. It
 * finds Outlook's underscore line in any language but reads labels only in its own (Chinese, Japanese
 * and Korean ones come back empty), and keeps a mailbox without its address when a value was wrapped or
 * written `Name (addr)`.
 */
function completed(read: ReadForward, block: ForwardBlock): ReadForward {
  const readFrom = mailboxes(read.from).map((a) => a.email);
  const same =
    readFrom.length > 0
      ? readFrom.length === block.from.length && block.from.every((a) => readFrom.includes(a.email))
      : (read.subject ?? '').trim() === '' || read.subject?.trim() === block.subject?.trim();
  if (!same) return read;
  const ours = asRead(block);
  const missing = (value: ReadMailboxes) =>
    asList(value).length === 0 || asList(value).some((m) => typeof m.address !== 'string');
  const blank = (value: string | null | undefined) => (value ?? '').trim() === '';
  return {
    ...read,
    from: missing(read.from) && block.from.length > 0 ? ours.from : read.from,
    to: missing(read.to) && block.to.length > 0 ? ours.to : read.to,
    cc: missing(read.cc) && block.cc.length > 0 ? ours.cc : read.cc,
    subject: blank(read.subject) ? block.subject : read.subject,
    date: blank(read.date) ? block.date : read.date,
  };
}

/** email-forward-parser's answer, typed as it really is (see ReadForward). */
interface ReadResult {
  readonly forwarded: boolean;
  readonly email: Omit<ReadForward, 'body' | 'message'> & { readonly body?: string | undefined };
  readonly message?: string | null | undefined;
}

function blockOf(result: ReadResult): ReadForward | null {
  const body = result.email.body;
  return result.forwarded && body !== undefined ? { ...result.email, body, message: result.message } : null;
}

/** Mailboxes of email-forward-parser, which gives one or several; a missing address is skipped. */
function mailboxes(value: ReadMailboxes): NamedAddress[] {
  return dedupeAddresses(
    asList(value).flatMap((m) => {
      const email = typeof m.address === 'string' ? normalizeEmail(m.address) : null;
      // Gmail's text of an HTML forward writes the sender's name in bold: "*Bob Stone* <bob@x>".
      return email === null ? [] : [{ email, name: (m.name ?? '').replace(/^[*\s]+|[*\s]+$/g, '') }];
    }),
  );
}

function asList(value: ReadMailboxes): readonly ReadMailbox[] {
  return value === null || value === undefined ? [] : isMailboxList(value) ? value : [value];
}

function isMailboxList(value: ReadMailbox | readonly ReadMailbox[]): value is readonly ReadMailbox[] {
  return Array.isArray(value);
}

/** postal-mime addresses (groups flattened) → normalized, deduplicated. */
function addressesOf(addresses: readonly Address[] | undefined): NamedAddress[] {
  if (addresses === undefined) return [];
  const out: NamedAddress[] = [];
  for (const address of addresses) {
    for (const mailbox of address.group ?? [address]) {
      const email = mailbox.address === undefined ? null : normalizeEmail(mailbox.address);
      if (email !== null) out.push({ email, name: mailbox.name.trim() });
    }
  }
  return dedupeAddresses(out);
}

/** What is kept of a message's HTML: formatting, links and images; no scripts, styles, forms or handlers. */
const HTML_POLICY: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'font', 'center'],
  allowedAttributes: {
    ...sanitizeHtml.defaults.allowedAttributes,
    img: ['src', 'alt', 'title', 'width', 'height'],
    '*': ['align', 'dir', 'lang', 'colspan', 'rowspan'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'cid'],
  allowedSchemesByTag: { img: ['http', 'https', 'cid', 'data'] },
};

/**
 * The reply without its quoted history and signature, or null when nothing would be folded away. The
 * full text is always kept beside it (SPEC §6: folded, never silently dropped).
 */
function visiblePart(text: string): string | null {
  // One line is one fragment: the parser has nothing to fold it against (exact, and saves its reversed
  // copies and ~60 patterns per line — measurable on long one-line notes).
  if (!text.trim().includes('\n')) return null;
  const scanned = text.slice(0, MIME_LIMITS.maxReplyScanChars);
  const visible = replyParser.read(scanned).getVisibleText().trim();
  if (visible === '' || (scanned.length < text.length && visible === scanned.trim())) return null;
  return visible.length < text.trim().length ? visible : null;
}

/** The plain text of a message: its text part, or the text of its HTML when it has only that. */
function textOf(email: PostalEmail): string {
  if (email.text !== undefined && email.text.trim() !== '') return email.text;
  if (email.html === undefined) return '';
  const html = email.html.slice(0, MIME_LIMITS.maxHtmlToTextChars);
  try {
    return htmlToText(html);
  } catch (error) {
    // html-to-text walks the tree recursively: pathological nesting overflows the stack. Fall back to
    // htmlparser2's streaming tokenizer, which keeps no tree at all.
    if (!(error instanceof RangeError)) throw error;
    return streamedText(html);
  }
}

/**
 * How HTML becomes text. A forward's header table is read by its structure, one row a line: Thunderbird
 * writes its forwarded headers as `<table class="moz-email-headers-table">` with a `<th>Label:</th>` and
 * a `<td>` per row, which html-to-text otherwise runs into one line ("Subject: … Date: … From: … To: …"),
 * losing the block (issue 17). (html-to-text's selectors take no descendant combinator: the rows are
 * walked by the formatter.) A mailto link keeps its address when its text is only a name (Foxmail,
 * Outlook: `<a href="mailto:bob@x">Bob Stone</a>`), or a forwarded sender would be left without one.
 */
const HTML_TO_TEXT: HtmlToTextOptions = {
  wordwrap: false,
  formatters: { headerRows, mailtoLink },
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'a[href^="mailto:" i]', format: 'mailtoLink' },
    { selector: 'table.moz-email-headers-table', format: 'headerRows' },
  ],
};

/** Compiled once: html-to-text's convert() compiles its selectors again on every call. */
const htmlToText = compileHtmlToText(HTML_TO_TEXT);

/** A table written one row a line, its cells run together ("From: Bob <bob@x>"). */
function headerRows(elem: DomNode, walk: RecursiveCallback, builder: BlockTextBuilder): void {
  builder.openBlock({ leadingLineBreaks: 1 });
  for (const row of rowsOf(elem)) {
    builder.openBlock({ leadingLineBreaks: 1 });
    walk(row.children, builder);
    builder.closeBlock({ trailingLineBreaks: 1 });
  }
  builder.closeBlock({ trailingLineBreaks: 1 });
}

/** A mailto link's text, then its address in `<>` unless the text already shows it. */
function mailtoLink(elem: DomNode, walk: RecursiveCallback, builder: BlockTextBuilder): void {
  walk(elem.children, builder);
  // html-to-text types attributes as `any`: read as unknown.
  const attribs: unknown = elem.attribs;
  const href = typeof attribs === 'object' && attribs !== null && 'href' in attribs ? attribs.href : null;
  if (typeof href !== 'string') return;
  const address =
    href
      .replace(/^mailto:/i, '')
      .split('?')[0]
      ?.trim() ?? '';
  if (address.includes('@') && !textIn(elem).includes('@')) builder.addInline(` <${address}>`);
}

/** The text of an element's descendants. */
function textIn(elem: DomNode): string {
  return elem.children.map((child) => (child.type === 'text' ? (child.data ?? '') : textIn(child))).join('');
}

/** The `<tr>` of a table, through its `<thead>`, `<tbody>` and `<tfoot>`. */
function rowsOf(elem: DomNode): DomNode[] {
  return elem.children.flatMap((child) =>
    child.type !== 'tag'
      ? []
      : child.name === 'tr'
        ? [child]
        : child.name === 'tbody' || child.name === 'thead' || child.name === 'tfoot'
          ? rowsOf(child)
          : [],
  );
}

/** The text of HTML without building a tree; script and style contents skipped. */
function streamedText(html: string): string {
  const chunks: string[] = [];
  let skipping = 0;
  const parser = new HtmlParser(
    {
      onopentagname: (name) => void (name === 'script' || name === 'style' ? skipping++ : undefined),
      onclosetag: (name) =>
        void (name === 'script' || name === 'style' ? (skipping = Math.max(0, skipping - 1)) : undefined),
      ontext: (text) => void (skipping === 0 ? chunks.push(text) : undefined),
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return chunks
    .join('')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** An attachment's content, as `parseMessage` listed it: the same parse, so the same order. */
export interface AttachmentContent extends AttachmentInfo {
  readonly content: Uint8Array;
}

/**
 * The content of the message's attachment at `index` of `ParsedMessage.attachments` (a touchpoint keeps
 * that list), or null when the message has none there. The raw message is what is stored: the
 * attachment is read out of it again, never kept twice.
 */
export async function attachmentAt(raw: Uint8Array, index: number): Promise<AttachmentContent | null> {
  const parsed = await parseMime(raw);
  if (!parsed.ok) return null;
  const attachment = parsed.email.attachments[index];
  if (attachment === undefined) return null;
  const content =
    typeof attachment.content === 'string'
      ? new TextEncoder().encode(attachment.content)
      : new Uint8Array(attachment.content);
  return { ...attachmentInfo(attachment), content };
}

function attachmentInfo(attachment: PostalEmail['attachments'][number]): AttachmentInfo {
  const content = attachment.content;
  const size = typeof content === 'string' ? content.length : content.byteLength;
  return { filename: attachment.filename, mimeType: attachment.mimeType, size };
}

function messageIdOf(value: string | undefined): string | null {
  const id = value?.trim().replace(/^<|>$/g, '').trim();
  return id === undefined || id === '' ? null : id;
}

/** postal-mime gives ISO-8601 for a readable Date header and the raw text otherwise. */
function isoDate(value: string | undefined | null): string | null {
  if (value === undefined || value === null) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function tooLarge(detail: string): ParseFailure {
  return { ok: false, reason: 'too-large', detail };
}
