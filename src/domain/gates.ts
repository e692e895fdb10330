// The gates of SPEC §3, checked first and in order: automated mail (G1), sender a login user (G2),
// sender authentication (G3), something to log (G4).
import { findAddressesInText, localPartOf, type Email } from './address.js';
import { headerValue, type Envelope, type ParsedMessage } from './message.js';
import { normalizeSubject } from './touchpoint.js';
import type { TraceBuilder } from './trace.js';
import type { Login, SenderAuthPolicy } from './workspace.js';

export type GateStop =
  | { readonly status: 'ignored'; readonly reason: 'auto-reply' }
  | {
      readonly status: 'failed';
      readonly reason: 'sender-not-a-user' | 'sender-not-authenticated' | 'empty-message';
    };

/**
 * The sender-authentication verdict for G3 (SPEC §3): `pass`/`fail` for the DMARC-aligned result,
 * `none` when the From domain publishes no policy, `not-checked` where no verification ran.
 */
export interface SenderAuthentication {
  readonly verdict: 'pass' | 'fail' | 'none' | 'not-checked';
  readonly detail: string;
}

export interface GateInput {
  readonly message: ParsedMessage;
  readonly envelope: Envelope;
  /** The active login the From address belongs to (directly or as an alias), or null. */
  readonly sender: Login | null;
  readonly authentication: SenderAuthentication;
  readonly policy: SenderAuthPolicy;
  /** Every touchpoint address: an address of the touchpoint in the subject is not content (G4). */
  readonly touchpointAddresses: ReadonlySet<Email>;
}

/** Precedence values that mark list or bulk mail (RFC 3834 §2, de-facto practice). */
const BULK_PRECEDENCE = new Set(['bulk', 'junk', 'list']);
/** Senders that are mail systems, never people (RFC 3834 §2). */
const MAILER_DAEMON = /^(mailer-daemon|mailer_daemon)$/;

/** Why a message is automated mail (G1), or null when a person sent it. Never answered: no loops. */
export function automatedMailReason(
  message: Pick<ParsedMessage, 'headers' | 'contentType' | 'from'>,
  envelope: Envelope,
): string | null {
  const autoSubmitted = headerValue(message, 'auto-submitted')?.split(';')[0]?.trim().toLowerCase();
  if (autoSubmitted !== undefined && autoSubmitted !== 'no')
    return `Auto-Submitted: ${autoSubmitted} (RFC 3834)`;
  if (envelope.mailFrom === '') return 'empty envelope sender <> (a bounce or notification)';
  if (headerValue(message, 'return-path')?.replace(/\s/g, '') === '<>') return 'empty Return-Path <>';
  const precedence = headerValue(message, 'precedence')?.trim().toLowerCase();
  if (precedence !== undefined && BULK_PRECEDENCE.has(precedence)) return `Precedence: ${precedence}`;
  if (message.headers.has('list-id')) return 'List-Id header (mailing-list mail)';
  if (message.headers.has('x-autoreply') || message.headers.has('x-autorespond')) return 'X-Autoreply header';
  if (message.contentType === 'multipart/report') return 'multipart/report (a delivery or read report)';
  if (message.from !== null && MAILER_DAEMON.test(localPartOf(message.from.email)))
    return `sender ${message.from.email}`;
  const envelopeSender = envelope.mailFrom?.toLowerCase() ?? '';
  if (MAILER_DAEMON.test(envelopeSender.slice(0, envelopeSender.lastIndexOf('@'))))
    return `envelope sender ${envelopeSender}`;
  return null;
}

/** Runs G1–G4 in order, tracing each; returns where the message stops, or null to go on. */
export function checkGates(input: GateInput, trace: TraceBuilder): GateStop | null {
  const { message, envelope, sender } = input;

  const automated = automatedMailReason(message, envelope);
  if (automated !== null) {
    trace.add('gate.automated', `Ignored as automated mail: ${automated}. No reply is ever sent to it.`);
    return { status: 'ignored', reason: 'auto-reply' };
  }
  trace.add('gate.automated', 'Not an auto-reply, bounce or list mail.');

  if (message.from === null) {
    trace.add('gate.sender', 'The message has no readable From address.');
    return { status: 'failed', reason: 'sender-not-a-user' };
  }
  if (sender === null) {
    trace.add(
      'gate.sender',
      `${message.from.email} is not an active login user of the workspace nor one of their aliases.`,
    );
    return { status: 'failed', reason: 'sender-not-a-user' };
  }
  const via = sender.email === message.from.email ? '' : ` (through the alias ${message.from.email})`;
  trace.add('gate.sender', `Sent by login user ${sender.email}${via}.`);

  const { authentication, policy } = input;
  if (policy !== 'off' && authentication.verdict === 'fail') {
    trace.add(
      'gate.authentication',
      `Sender authentication failed under policy "${policy}": ${authentication.detail}`,
    );
    return { status: 'failed', reason: 'sender-not-authenticated' };
  }
  trace.add(
    'gate.authentication',
    `Policy "${policy}": ${authentication.verdict} (${authentication.detail}).`,
  );

  const hasText = message.text.trim() !== '';
  const hasFiles = message.attachments.some((a) => a.mimeType !== 'message/rfc822');
  const hasSubject = subjectText(message.subject, input.touchpointAddresses) !== '';
  if (!hasText && message.forwarded.length === 0 && !hasFiles && !hasSubject) {
    trace.add(
      'gate.content',
      'Nothing to log: no subject, no body text, no forwarded message, no attachment.',
    );
    return { status: 'failed', reason: 'empty-message' };
  }
  trace.add(
    'gate.content',
    [
      hasSubject && 'a subject',
      hasText && 'body text',
      message.forwarded.length > 0 && 'a forwarded message',
      hasFiles && 'attachments',
    ]
      .filter(Boolean)
      .join(', ')
      .replace(/^/, 'Has ') + '.',
  );
  return null;
}

/**
 * The subject as content (SPEC §3 G4): without reply and forward prefixes and without the touchpoint
 * addresses (a subject that only names the touchpoint address says nothing). A subject alone is content.
 */
function subjectText(subject: string, touchpointAddresses: ReadonlySet<Email>): string {
  let text = normalizeSubject(subject);
  for (const address of findAddressesInText(subject))
    if (touchpointAddresses.has(address)) text = text.split(address).join(' ');
  return text.replace(/[\s<>()[\]"',;:]+/g, '');
}
