// Reads the date line of an inline forward, written in the forwarding client's language
// ("Mo., 27. Feb. 2023 um 09:20 Uhr"), with chrono-node's locale parsers.
import * as chrono from 'chrono-node';

/** `Thu, 19 Nov 2026 15:04:05 +0000` (RFC 5322 §3.3), with or without the day name. */
const RFC5322_DATE =
  /^\s*(?:[A-Z][a-z]{2},\s*)?\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[+-]\d{4}|GMT|UT|UTC)\b/;
const FULL_DATE_AND_TIME = 2000;

const LOCALES = [
  chrono.en,
  chrono.de,
  chrono.fr,
  chrono.es,
  chrono.it,
  chrono.pt,
  chrono.nl,
  chrono.sv,
  chrono.fi,
  chrono.ru,
  chrono.uk,
  chrono.ja,
  chrono.zh,
];

/**
 * The most complete reading any locale gives (a full date required; one with a time preferred), as
 * ISO-8601, or null. Without a zone in the text the time is taken as UTC.
 */
export function parseLocalizedDate(text: string, reference: Date): string | null {
  // Fast path: an RFC 5322 date with its zone (Thunderbird, attached headers) needs no locale.
  if (RFC5322_DATE.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  let best: { score: number; date: Date } | null = null;
  for (const locale of LOCALES) {
    // A full date and time read by one locale is as good as it gets: skip the other twelve.
    if (best !== null && best.score >= FULL_DATE_AND_TIME) break;
    for (const result of locale.parse(text, { instant: reference, timezone: 0 })) {
      const start = result.start;
      if (!start.isCertain('year') || !start.isCertain('month') || !start.isCertain('day')) continue;
      const score =
        (start.isCertain('hour') ? 1000 : 0) + (start.isCertain('minute') ? 1000 : 0) + result.text.length;
      if (best === null || score > best.score) best = { score, date: result.date() };
    }
  }
  return best === null || Number.isNaN(best.date.getTime()) ? null : best.date.toISOString();
}
