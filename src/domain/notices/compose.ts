// Notices as people read them (SPEC §7): a Subject that says what happened, a plain-text body and a
// simple HTML alternative. Pure: everything a notice shows comes in; hostile text is folded and escaped.
import type { Trace } from '../trace.js';
import { failureWording, type NoticeReason } from './failure-wording.js';
import { bounded, escapeHtml, oneLine, quotedSubject } from './safe-text.js';
import { summarizeTrace } from './trace-summary.js';

export interface ComposedNotice {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Candidate accounts listed at most (an ambiguous address rarely has more than a handful). */
export const MAX_LISTED_CANDIDATES = 20;
/** Characters of a touchpoint's content quoted in an edit notification. */
export const MAX_QUOTED_CONTENT = 10_000;

export interface AccountRef {
  readonly id: string;
  /** null when the account no longer exists. */
  readonly name: string | null;
}

export interface FailureNoticeInput {
  readonly reason: NoticeReason;
  /** The original message's subject (hostile). */
  readonly subject: string | null;
  /** The From address of the original message. */
  readonly senderAddress: string | null;
  /** Candidates of `ambiguous-account`. */
  readonly candidates: readonly AccountRef[];
  readonly trace: Trace;
  /** The inbound log entry, where the message can be assigned. */
  readonly link: string;
}

export function composeFailureNotice(input: FailureNoticeInput): ComposedNotice {
  const wording = failureWording(input.reason, input.senderAddress);
  const subject = quotedSubject(input.subject);
  const candidates = input.candidates.slice(0, MAX_LISTED_CANDIDATES);
  const more = input.candidates.length - candidates.length;
  const steps = summarizeTrace(input.trace);
  const sentence = `Your message "${subject}" was not logged as a touchpoint: ${wording.headline}.`;

  const text = [
    sentence,
    '',
    `Why: ${wording.why}`,
    ...(candidates.length === 0
      ? []
      : [
          '',
          'Candidate accounts:',
          ...candidates.map((c) => `  - ${accountLabel(c)}`),
          ...(more > 0 ? [`  - and ${more} more`] : []),
        ]),
    '',
    'What Touchmail tried:',
    ...steps.map((s) => `  - ${s.what}: ${s.detail}`),
    '',
    'How to fix it:',
    ...wording.fix.map((f) => `  - ${f}`),
    '',
    `The message in the inbound log: ${input.link}`,
    '',
    FOOTER,
  ].join('\n');

  const html = page([
    `<p>${escapeHtml(sentence)}</p>`,
    `<p><strong>Why:</strong> ${escapeHtml(wording.why)}</p>`,
    ...(candidates.length === 0
      ? []
      : [
          '<p><strong>Candidate accounts:</strong></p>',
          list([...candidates.map(accountLabel), ...(more > 0 ? [`and ${more} more`] : [])]),
        ]),
    '<p><strong>What Touchmail tried:</strong></p>',
    `<ul>${steps.map((s) => `<li>${escapeHtml(s.what)}: ${escapeHtml(s.detail)}</li>`).join('')}</ul>`,
    '<p><strong>How to fix it:</strong></p>',
    list(wording.fix),
    `<p><a href="${escapeHtml(input.link)}">Open the message in the inbound log</a> to assign it to an account.</p>`,
  ]);
  return { subject: `Not logged: ${wording.headline} — "${subject}"`, text, html };
}

export interface ReceiptInput {
  readonly subject: string | null;
  readonly account: AccountRef;
  /** Who assigned it, when a person did; null when the rules chose the account. */
  readonly assignedBy: string | null;
  /** The inbound log entry, where it can be reassigned. */
  readonly link: string;
}

/** The optional success receipt: "logged to ACCOUNT — wrong? reassign here". */
export function composeReceipt(input: ReceiptInput): ComposedNotice {
  const subject = quotedSubject(input.subject);
  const account = accountLabel(input.account);
  const by = input.assignedBy === null ? '' : ` (assigned by ${oneLine(input.assignedBy, 200)})`;
  const sentence = `Your message "${subject}" was logged to ${account}${by}.`;
  const text = [sentence, '', `Wrong account? Reassign it here: ${input.link}`, '', FOOTER].join('\n');
  const html = page([
    `<p>${escapeHtml(sentence)}</p>`,
    `<p>Wrong account? <a href="${escapeHtml(input.link)}">Reassign it here</a>.</p>`,
  ]);
  return { subject: `Logged to ${oneLine(account, 100)} — "${subject}"`, text, html };
}

export interface EditNoticeInput {
  /** The touchpoint's subject and content after the edit. */
  readonly subject: string;
  readonly content: string;
  readonly account: AccountRef;
  /** Who edited it (a login's address, or a token's name). */
  readonly editor: string;
  /** The touchpoint in the UI. */
  readonly link: string;
}

/** A participant told of an edit, with the touchpoint's new content and who edited it (SPEC §7). */
export function composeEditNotice(input: EditNoticeInput): ComposedNotice {
  const subject = quotedSubject(input.subject);
  const editor = oneLine(input.editor, 200);
  const account = accountLabel(input.account);
  const content = bounded(input.content.trim(), MAX_QUOTED_CONTENT);
  const sentence = `${editor} edited the touchpoint "${subject}" on ${account}. This is how it reads now:`;
  const text = [
    sentence,
    '',
    `Subject: ${subject}`,
    '',
    content === '' ? '(no content)' : content,
    '',
    `The touchpoint: ${input.link}`,
    '',
    FOOTER,
  ].join('\n');
  const html = page([
    `<p>${escapeHtml(sentence)}</p>`,
    `<p><strong>Subject:</strong> ${escapeHtml(subject)}</p>`,
    `<pre style="white-space:pre-wrap;font-family:inherit">${escapeHtml(content === '' ? '(no content)' : content)}</pre>`,
    `<p><a href="${escapeHtml(input.link)}">Open the touchpoint</a></p>`,
  ]);
  return { subject: `Touchpoint updated by ${oneLine(editor, 80)} — "${subject}"`, text, html };
}

const FOOTER = '— Touchmail (an automatic message)';

function accountLabel(account: AccountRef): string {
  const name = account.name === null ? null : oneLine(account.name, 200);
  const id = oneLine(account.id, 200);
  return name === null || name === '' || name === id ? id : `${name} (${id})`;
}

function list(items: readonly string[]): string {
  return `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
}

function page(body: readonly string[]): string {
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"></head>',
    '<body style="font-family:sans-serif;line-height:1.4">',
    ...body,
    `<p style="color:#666">${escapeHtml(FOOTER)}</p>`,
    '</body></html>',
  ].join('\n');
}
