// What gets recorded for a matched message (SPEC §6), and what makes two messages "the same mail".
import { createHash } from 'node:crypto';
import type { Email } from './address.js';
import type { AttachmentInfo, ForwardedMessage, ParsedMessage } from './message.js';
import type { Classification, Participant, Scenario } from './scenario.js';
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
  const forward =
    classification.scenario === 'forward'
      ? primaryForward(message.forwarded, classification.customerAddresses)
      : null;
  const keys = identityKeys(message, forward, input.rawSha256);
  return {
    accountId: input.accountId,
    type: 'Email',
    flow: input.workspace.defaultFlow,
    reason: input.workspace.defaultReason,
    subject:
      forward !== null && forward.subject.trim() !== '' ? forward.subject.trim() : message.subject.trim(),
    contentText: contentOf(message, classification.scenario),
    // A forward is the quoted mail itself: nothing of it is folded away.
    contentVisible: classification.scenario === 'forward' ? null : message.visibleText,
    contentHtml: message.html,
    occurredAt: forward?.date ?? message.date ?? input.receivedAt.toISOString(),
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
 * "The same mail" (SPEC §6): the Message-ID — of the forwarded message when one is attached —, else for an
 * inline forward its original sender, minute and normalized subject, else the bytes themselves. The
 * content key (sender, minute, subject) is kept for every message so a Bcc'd mail and an inline forward
 * of it meet.
 */
export function identityKeys(
  message: ParsedMessage,
  forward: ForwardedMessage | null,
  rawSha256: string,
): { messageKey: string; contentKey: string | null } {
  if (forward !== null) {
    const contentKey = contentIdentity(
      forward.from[0]?.email ?? null,
      forward.date ?? forward.dateText,
      forward.subject,
    );
    if (forward.messageId !== null) return { messageKey: `mid:${forward.messageId}`, contentKey };
    if (contentKey !== null) return { messageKey: contentKey, contentKey };
  }
  const contentKey = contentIdentity(message.from?.email ?? null, message.date, message.subject);
  if (message.messageId !== null) return { messageKey: `mid:${message.messageId}`, contentKey };
  return { messageKey: `raw:${rawSha256}`, contentKey };
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
