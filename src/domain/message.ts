// An inbound message as the rules see it: decoded, addresses normalized, forwarded messages extracted.
// Built by src/mime from raw bytes; the domain never touches MIME itself.
import type { Email, NamedAddress } from './address.js';

/** The SMTP envelope, or what stands for it (CLI flags, webhook fields). */
export interface Envelope {
  /** MAIL FROM; '' for the null reverse-path `<>`; null when unknown (no envelope at all). */
  readonly mailFrom: string | null;
  /** RCPT TO addresses, normalized. */
  readonly rcptTo: readonly Email[];
  /** The connecting client, when the message came by SMTP (SPF is checked against it). */
  readonly client?: { readonly ip: string; readonly helo: string | null } | null;
}

export interface AttachmentInfo {
  readonly filename: string | null;
  readonly mimeType: string;
  readonly size: number;
}

/** A forwarded message carried inside the one received: attached (message/rfc822) or inline. */
export interface ForwardedMessage {
  readonly source: 'attached' | 'inline';
  readonly from: readonly NamedAddress[];
  readonly to: readonly NamedAddress[];
  readonly cc: readonly NamedAddress[];
  readonly subject: string;
  /** ISO-8601 when the date could be read; null otherwise (see dateText). */
  readonly date: string | null;
  /** The date as written (inline forwards carry it in the client's language). */
  readonly dateText: string | null;
  /**
   * When the date's text names no zone (inline forwards: "On Tue, 3 Nov 2026 at 14:05, Bob wrote"): the
   * UTC offset it was read in ("+01:00"), the forwarder's — the zone of the forwarding message's Date —
   * or UTC when that names none. Null when the date names its zone or was not read.
   */
  readonly assumedZone: { readonly offset: string; readonly from: 'forwarder' | 'utc' } | null;
  /** Message-ID without angle brackets; attached forwards only. */
  readonly messageId: string | null;
  readonly text: string;
  /**
   * The forwarder's own words above an inline forward ("FYI, see below"), null when none; for an
   * attached forward, null (the forwarding message's text is the note).
   */
  readonly note: string | null;
}

export interface ParsedMessage {
  readonly from: NamedAddress | null;
  readonly to: readonly NamedAddress[];
  readonly cc: readonly NamedAddress[];
  readonly deliveredTo: readonly Email[];
  readonly subject: string;
  /** Message-ID without angle brackets. */
  readonly messageId: string | null;
  /** ISO-8601, or null when missing or unreadable. */
  readonly date: string | null;
  /** Lower-cased header name → values, for the gates (Auto-Submitted, Precedence, List-Id, …). */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  /** Top-level Content-Type, lower-cased, without parameters. */
  readonly contentType: string;
  /** Plain-text body (derived from the HTML when the message has no text part). */
  readonly text: string;
  /** The reply part of `text` without quoted history and signature; null when nothing is folded. */
  readonly visibleText: string | null;
  /** Sanitized HTML body (no scripts, styles or event handlers); null when the message has none. */
  readonly html: string | null;
  readonly attachments: readonly AttachmentInfo[];
  /** Forwarded messages, outermost first (a forward of a forward comes after the forward). */
  readonly forwarded: readonly ForwardedMessage[];
}

/** First value of a header, or undefined. */
export function headerValue(message: Pick<ParsedMessage, 'headers'>, name: string): string | undefined {
  return message.headers.get(name)?.[0];
}
