// The header block of a stored message, read alone: what a notice needs (From, Subject, Message-ID, the
// automated-mail headers of gate G1) when the full parse did not get that far (a message refused as
// too large) or when the caller has only the stored row. Bounded: only the head of the message is read.
import PostalMime from 'postal-mime';
import { normalizeEmail, type NamedAddress } from '../domain/address.js';
import type { ParsedMessage } from '../domain/message.js';

/** The header block sits at the head of a message; more than this is not read to find its end. */
export const MAX_HEAD_BYTES = 256 * 1024;

export type HeaderFacts = Pick<ParsedMessage, 'from' | 'subject' | 'messageId' | 'headers' | 'contentType'>;

/** The header fields of `raw`, or null when they cannot be read at all. */
export async function parseHeaders(raw: Uint8Array): Promise<HeaderFacts | null> {
  const head = raw.subarray(0, Math.min(raw.byteLength, headEnd(raw)));
  let email: Awaited<ReturnType<typeof PostalMime.parse>>;
  try {
    email = await PostalMime.parse(head, { maxHeadersSize: MAX_HEAD_BYTES });
  } catch {
    return null;
  }
  const headers = new Map<string, string[]>();
  for (const header of email.headers) {
    const values = headers.get(header.key) ?? [];
    values.push(header.value);
    headers.set(header.key, values);
  }
  const fromAddress = email.from?.address === undefined ? null : normalizeEmail(email.from.address);
  const from: NamedAddress | null =
    fromAddress === null ? null : { email: fromAddress, name: (email.from?.name ?? '').trim() };
  const messageId = email.messageId?.trim().replace(/^<|>$/g, '').trim() ?? '';
  return {
    from,
    subject: email.subject ?? '',
    messageId: messageId === '' ? null : messageId,
    headers,
    contentType: (headers.get('content-type')?.[0] ?? 'text/plain').split(';')[0]?.trim().toLowerCase() ?? '',
  };
}

/** Offset just past the blank line that ends the header block (bounded by MAX_HEAD_BYTES). */
function headEnd(raw: Uint8Array): number {
  const limit = Math.min(raw.byteLength, MAX_HEAD_BYTES);
  for (let i = 0; i < limit - 1; i++) {
    if (raw[i] !== 0x0a) continue;
    if (raw[i + 1] === 0x0a) return i + 2;
    if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a) return i + 3;
  }
  return limit;
}
