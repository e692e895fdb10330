// Inbound content is hostile (SPEC §10): what a notice quotes from it (a subject, a display name, a
// trace detail) is folded to one bounded line for headers and escaped for HTML.

/** Longest quoted subject in a notice's Subject header: long enough to recognise, short enough to read. */
export const MAX_QUOTED_SUBJECT = 120;

/**
 * One line of plain text: CR, LF and every other control or invisible formatting character (bidi
 * overrides, zero-width joiners, line and paragraph separators) becomes a space, runs of space collapse,
 * and the result is cut at `max` characters (whole code points) with an ellipsis. No header injection
 * can survive it: a header needs a line break.
 */
export function oneLine(text: string, max: number): string {
  const folded = text
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  const chars = [...folded];
  return chars.length <= max
    ? folded
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/** The original subject as a notice quotes it: one line, bounded, and never empty. */
export function quotedSubject(subject: string | null): string {
  const line = oneLine(subject ?? '', MAX_QUOTED_SUBJECT);
  return line === '' ? '(no subject)' : line;
}

/** Text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Multi-line text cut at `max` characters, saying so when it was cut. */
export function bounded(text: string, max: number): string {
  const chars = [...text.replace(/\r\n?/g, '\n')];
  if (chars.length <= max) return chars.join('');
  return `${chars.slice(0, max).join('').trimEnd()}\n[… cut: ${chars.length - max} more characters]`;
}
