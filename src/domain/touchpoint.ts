// What gets recorded for a matched message (SPEC §6), and what makes two messages "the same mail".
import { createHash } from 'node:crypto';
import type { Email } from './address.js';
import type { AttachmentInfo, ForwardedMessage, ParsedMessage } from './message.js';
import type { Classification, Participant, Scenario } from './scenario.js';
import { storableDate, storableKey } from './storable.js';
import type { Trace } from './trace.js';
import type { Login, WorkspaceContext } from './workspace.js';

export interface TouchpointDraft {
  readonly accountId: string;
  readonly type: 'Email';
  readonly flow: string;
  readonly reason: string | null;
  readonly subject: string;
  readonly contentText: string;
  /** The text shown before "show quoted history": without quotes and signature; null = all of it. */
  readonly contentVisible: string | null;
  readonly contentHtml: string | null;
  readonly occurredAt: string;
  /** The login user who sent it (their login address, also when they wrote from an alias). */
  readonly author: Email;
  readonly scenario: Scenario;
  readonly participants: readonly Participant[];
  readonly messageKey: string;
  readonly contentKey: string | null;
  readonly inboundId: string | null;
  readonly attachments: readonly AttachmentInfo[];
  readonly trace: Trace;
}

export interface DraftInput {
  readonly message: ParsedMessage;
  readonly rawSha256: string;
  readonly classification: Classification;
  readonly accountId: string;
  readonly workspace: Pick<WorkspaceContext, 'defaultFlow' | 'defaultReason'>;
  readonly author: Login;
  readonly receivedAt: Date;
  readonly inboundId: string | null;
  readonly trace: Trace;
}

export function draftTouchpoint(input: DraftInput): TouchpointDraft {
  const { message, classification } = input;
  const forward = forwardOf(message, classification);
  const keys = identityKeys(message, forward, input.rawSha256);
  const occurredAt = occurredAtOf(message, classification);
  return {
    accountId: input.accountId,
    type: 'Email',
    flow: input.workspace.defaultFlow,
    reason: input.workspace.defaultReason,
    subject:
      forward !== null && forward.subject.trim() !== '' ? forward.subject.trim() : message.subject.trim(),
    contentText: contentOf(message, classification.scenario),
    contentVisible:
      forward === null
        ? message.visibleText
        : forwardView(message, forward, classification.participants, input.author),
    contentHtml: message.html,
    occurredAt: occurredAt ?? input.receivedAt.toISOString(),
    author: input.author.email,
    scenario: classification.scenario,
    participants: classification.participants,
    messageKey: keys.messageKey,
    contentKey: keys.contentKey,
    inboundId: input.inboundId,
    attachments: message.attachments,
    trace: input.trace,
  };
}

/** The forwarded message a forward (S2) is about; null for the other scenarios. */
function forwardOf(
  message: ParsedMessage,
  classification: Pick<Classification, 'scenario' | 'customerAddresses'>,
): ForwardedMessage | null {
  return classification.scenario === 'forward'
    ? primaryForward(message.forwarded, classification.customerAddresses)
    : null;
}

/**
 * When the mail happened (SPEC §6): the forwarded message's date for a forward, else the message's; null
 * when neither can be kept. The touchpoint and a failed forward's inbound entry both show this one.
 */
export function occurredAtOf(
  message: ParsedMessage,
  classification: Pick<Classification, 'scenario' | 'customerAddresses'>,
): string | null {
  return storableDate(forwardOf(message, classification)?.date ?? null) ?? storableDate(message.date);
}

/**
 * The forwarded message the touchpoint is about: the outermost one a customer wrote (in a chain of
 * teammates forwarding a customer's mail, the customer's), else the innermost.
 */
function primaryForward(
  forwards: readonly ForwardedMessage[],
  customers: readonly Email[],
): ForwardedMessage | null {
  return forwards.find((f) => f.from.some((a) => customers.includes(a.email))) ?? forwards.at(-1) ?? null;
}

/**
 * What the timeline shows first of a forward (issue 17): who wrote it and who forwarded it ("Bob Stone
 * wrote — forwarded by Jill Hart", names as the directory gives them), the customer's words, then the
 * forwarder's note apart. The text as received stays whole in contentText (SPEC §6: nothing dropped).
 * Null, all of the text shown, when the forwarded message has no words of its own to put first.
 */
function forwardView(
  message: ParsedMessage,
  forward: ForwardedMessage,
  participants: readonly Participant[],
  author: Pick<Login, 'email' | 'name'>,
): string | null {
  const words = forward.text.trim();
  if (words === '') return null;
  const writer = forward.from[0];
  const forwarder = author.name === '' ? author.email : author.name;
  const heading =
    writer === undefined
      ? `Forwarded by ${forwarder}`
      : `${participants.find((p) => p.email === writer.email)?.name || writer.name || writer.email} wrote — forwarded by ${forwarder}`;
  // An attached forward's note is the forwarding message's own text; an inline one's, the words above it.
  const note = (forward.source === 'attached' ? message.text : (forward.note ?? '')).trim();
  return [heading, words, note === '' ? null : `Note from ${forwarder}:\n${note}`]
    .filter((part) => part !== null)
    .join('\n\n');
}

/**
 * The text kept on the touchpoint. An attached forward's text is appended under a header so nothing of
 * what was forwarded is lost; inline forwards are already part of the body.
 */
function contentOf(message: ParsedMessage, scenario: Scenario): string {
  const body = message.text.trim();
  if (scenario !== 'forward') return body;
  const attached = message.forwarded.filter((f) => f.source === 'attached');
  const parts = [body, ...attached.map((f) => forwardBlock(f))].filter((p) => p !== '');
  return parts.join('\n\n');
}

function forwardBlock(f: ForwardedMessage): string {
  const names = (list: ForwardedMessage['to']) =>
    list.map((a) => (a.name === '' ? a.email : `${a.name} <${a.email}>`)).join(', ');
  const header = [
    '---------- Forwarded message ----------',
    `From: ${names(f.from)}`,
    f.dateText !== null ? `Date: ${f.dateText}` : null,
    `Subject: ${f.subject}`,
    `To: ${names(f.to)}`,
    f.cc.length > 0 ? `Cc: ${names(f.cc)}` : null,
  ].filter((line) => line !== null);
  return `${header.join('\n')}\n\n${f.text.trim()}`;
}

/**
 * What identifies a mail (SPEC §6): `messageKey` is its Message-ID (`mid:…`; of the forwarded message
 * when one is attached), or — for an inline forward, which shows none — its original sender, minute and
 * normalized subject, or else the bytes themselves (`raw:…`). `contentKey` (sender, minute, subject) is
 * kept for every mail, so that a Bcc'd mail and an inline forward of it can meet.
 */
export interface MailIdentity {
  readonly messageKey: string;
  readonly contentKey: string | null;
}

/** The identity of the mail a classified message is about: the forwarded one for S2 (SPEC §6). */
export function mailIdentity(
  message: ParsedMessage,
  classification: Pick<Classification, 'scenario' | 'customerAddresses'>,
  rawSha256: string,
): MailIdentity {
  const forward =
    classification.scenario === 'forward'
      ? primaryForward(message.forwarded, classification.customerAddresses)
      : null;
  return identityKeys(message, forward, rawSha256);
}

export function identityKeys(
  message: ParsedMessage,
  forward: ForwardedMessage | null,
  rawSha256: string,
): MailIdentity {
  if (forward !== null) {
    const contentKey = contentIdentity(
      forward.from[0]?.email ?? null,
      forward.date ?? forward.dateText,
      forward.subject,
    );
    if (forward.messageId !== null) return { messageKey: messageIdKey(forward.messageId), contentKey };
    if (contentKey !== null) return { messageKey: contentKey, contentKey };
  }
  const contentKey = contentIdentity(message.from?.email ?? null, message.date, message.subject);
  if (message.messageId !== null) return { messageKey: messageIdKey(message.messageId), contentKey };
  return { messageKey: `raw:${rawSha256}`, contentKey };
}

/** A Message-ID as a key that fits an index, however long the header was (SPEC §10). */
function messageIdKey(messageId: string): string {
  return storableKey(MESSAGE_ID_PREFIX, messageId);
}

const MESSAGE_ID_PREFIX = 'mid:';

/**
 * Whether two mails are the same (SPEC §6): the same Message-ID (or the same bytes); sender, minute and
 * subject only join them when one of the two shows no Message-ID of the original (an inline forward).
 * Two mails with different Message-IDs are never the same, whatever their sender, subject and minute.
 */
export function isSameMail(a: MailIdentity, b: MailIdentity): boolean {
  if (a.messageKey === b.messageKey) return true;
  const bothIdentified =
    a.messageKey.startsWith(MESSAGE_ID_PREFIX) && b.messageKey.startsWith(MESSAGE_ID_PREFIX);
  return !bothIdentified && a.contentKey !== null && a.contentKey === b.contentKey;
}

/** The keys under which a mail's touchpoint may be found (a superset: isSameMail decides). */
export function keysOf(identity: MailIdentity): string[] {
  return identity.contentKey === null ? [identity.messageKey] : [identity.messageKey, identity.contentKey];
}

function contentIdentity(from: string | null, date: string | null, subject: string): string | null {
  if (from === null || date === null) return null;
  // Minutes only: an inline forward's header shows no seconds.
  const minute = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(date) ? date.slice(0, 16) : date.trim();
  const digest = createHash('sha256')
    .update(JSON.stringify([from, minute, normalizeSubject(subject)]))
    .digest('hex');
  return `content:${digest.slice(0, 40)}`;
}

/**
 * Reply and forward prefixes of the common clients and languages, repeated or bracketed; the forward
 * prefixes include every one email-forward-parser knows (Outlook fi "VL:", no "Videresend:", ro
 * "Redir.:", tr "İLT:" — "İ" is not "i" under /i, so it is listed as written). Linear on hostile
 * subjects: no two `\s*` meet (`\s*(?:\[\d+\])?\s*` did: "Re" and 40,000 spaces took 1.6 s).
 */
const SUBJECT_PREFIX =
  /^\s*(?:\[?(?:re|fw|fwd|aw|wg|tr|rv|sv|vs|vb|vl|fs|doorst|antw|odp|pd|ynt|ilt|İlt|rif|i|enc|res|redir\.|videresend|ответ|пересл|回复|转发|返信|転送)\s*(?:\[\d+\]\s*)?[:：]\]?\s*)+/iu;

export function normalizeSubject(subject: string): string {
  return subject.replace(SUBJECT_PREFIX, '').replace(/\s+/g, ' ').trim().toLowerCase();
}
