// Text and dates as both stores can hold them (SPEC §10: "Text a store cannot hold … is made storable,
// never a reason to stop"). PostgreSQL refuses NUL in text ("invalid byte sequence for encoding UTF8:
// 0x00") and a lone UTF-16 surrogate has no UTF-8 form at all; SQLite takes both, so both stores get
// the same cleaned text and read back the same thing.
import { createHash } from 'node:crypto';

/** NUL, and UTF-16 surrogates that are not part of a pair. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` without NUL (removed) and lone surrogates (each replaced by U+FFFD, as a decoder would). */
export function storableText(text: string): string {
  // The common case costs one scan and no copy.
  // eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
  if (!/[\u0000\uD800-\uDFFF]/.test(text)) return text;
  return text.replace(UNSTORABLE, (c) => (c === '\u0000' ? '' : '\uFFFD'));
}

/**
 * The range of dates kept as dates: ISO-8601 strings of four-digit years sort as text, and what mail
 * claims outside it (year 0, year 275760, the 1800s) is noise, never when a customer was in touch.
 */
const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** `iso` when it is a date within the storable range, else null (the caller says what stands for it). */
export function storableDate(iso: string | null): string | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) || ms < EARLIEST || ms > LATEST ? null : new Date(ms).toISOString();
}

/**
 * A key that fits every index: PostgreSQL's B-tree refuses entries over about 2,700 bytes and a
 * Message-ID may be as long as a header line allows. Long keys are stored as their SHA-256, which keeps
 * lookups exact (the same long key always gives the same digest).
 */
export const MAX_KEY_CHARS = 256;

/** `prefix` + `value`, or + `sha256:` and its digest when the value is longer than MAX_KEY_CHARS. */
export function storableKey(prefix: string, value: string): string {
  if (value.length <= MAX_KEY_CHARS) return `${prefix}${value}`;
  return `${prefix}sha256:${createHash('sha256').update(value).digest('hex')}`;
}
