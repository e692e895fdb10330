// Reads the date line of an inline forward, written in the forwarding client's language
// ("Mo., 27. Feb. 2023 um 09:20 Uhr"), with chrono-node's locale parsers, in the forwarder's zone.
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
 * A forward's date line is under 60 characters in every client of the forward corpus; past this it is
 * not a date, and is not read: chrono-node is quadratic on hostile lines (measured: 32 KiB of spaces
 * after "Tue," took 10 s, past the whole parse budget MIME_LIMITS.maxParseMs).
 */
export const MAX_DATE_TEXT_CHARS = 256;

/** A forward's date as read: ISO-8601, and the zone it was read in when its text names none. */
export interface ReadDate {
  readonly iso: string;
  /** The UTC offset ("+01:00") a zone-less date was read in; null when the text names its zone. */
  readonly assumedZone: string | null;
}

/**
 * The most complete reading any locale gives (a full date required; one with a time preferred), or
 * null. A date whose text names no zone is read at `zoneMinutes` east of UTC: the forwarding client
 * writes the quoted date in its own local time ("On Tue, 3 Nov 2026 at 14:05, Bob wrote"), which is
 * the zone of the forwarding message's own Date header (see zoneOfDateHeader).
 */
export function parseLocalizedDate(written: string, reference: Date, zoneMinutes: number): ReadDate | null {
  if (written.length > MAX_DATE_TEXT_CHARS) return null;
  const text = withNumericDateAsIso(written);
  // Fast path: an RFC 5322 date with its zone (Thunderbird, attached headers) needs no locale.
  if (RFC5322_DATE.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return { iso: new Date(ms).toISOString(), assumedZone: null };
  }
  let best: { score: number; date: Date; zoned: boolean } | null = null;
  for (const locale of LOCALES) {
    // A full date and time read by one locale is as good as it gets: skip the other twelve.
    if (best !== null && best.score >= FULL_DATE_AND_TIME) break;
    for (const result of locale.parse(text, { instant: reference, timezone: zoneMinutes })) {
      const start = result.start;
      if (!start.isCertain('year') || !start.isCertain('month') || !start.isCertain('day')) continue;
      const score =
        (start.isCertain('hour') ? 1000 : 0) + (start.isCertain('minute') ? 1000 : 0) + result.text.length;
      if (best === null || score > best.score)
        best = { score, date: result.date(), zoned: start.isCertain('timezoneOffset') };
    }
  }
  if (best === null || Number.isNaN(best.date.getTime())) return null;
  return { iso: best.date.toISOString(), assumedZone: best.zoned ? null : formatZone(zoneMinutes) };
}

/**
 * A date as Chinese, Japanese and Korean clients write it: "2026年11月3日(星期二) 下午2:05" (QQ Mail),
 * "2026年11月3日(火) 14:05", "2026년 11월 3일 (화) 오후 2:05" (Gmail ko), "2026년 11월 3일 화요일 오후 2:05"
 * (Outlook ko). chrono-node reads no weekday between date and time, no "下午"/"오후", and no Korean.
 */
const CJK_DATE =
  /(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?\s*(?:[(（][^()（）]{1,8}[)）]|\S{1,2}요일|星期\S|周\S|[月火水木金土日]曜日)?\s*(上午|下午|午前|午後|오전|오후|AM|PM)?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?/iu;
/**
 * A day-first date with dots ("03.11.2026, 14:05": Yandex, Mail.ru and most of Europe). No client writes
 * a month first with dots, but chrono-node's English reads it so (11 March): it is rewritten as ISO.
 */
const DOTTED_DATE = /\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b/;
const AFTERNOON = new Set(['下午', '午後', '오후', 'pm']);
const MORNING = new Set(['上午', '午前', '오전', 'am']);

/**
 * `text` with a CJK date and time (CJK_DATE) rewritten as "2026-11-03 14:05:00", or a dotted day-first
 * date (DOTTED_DATE) as "2026-11-03"; the rest kept.
 */
function withNumericDateAsIso(text: string): string {
  const match = CJK_DATE.exec(text);
  if (match === null) {
    const dotted = DOTTED_DATE.exec(text);
    if (dotted === null) return text;
    const [whole, day, month, year] = dotted;
    const iso = `${year}-${month?.padStart(2, '0')}-${day?.padStart(2, '0')}`;
    return text.slice(0, dotted.index) + iso + text.slice(dotted.index + whole.length);
  }
  const [whole, year, month, day, meridiem, hours, minutes, seconds] = match;
  const marker = (meridiem ?? '').toLowerCase();
  let hour = Number(hours);
  if (AFTERNOON.has(marker) && hour < 12) hour += 12;
  if (MORNING.has(marker) && hour === 12) hour = 0;
  const pad = (value: string | number | undefined) => String(value ?? 0).padStart(2, '0');
  const iso = `${year}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minutes)}:${pad(seconds)}`;
  return text.slice(0, match.index) + iso + text.slice(match.index + whole.length);
}

/** RFC 5322 §4.3 obsolete zone names. Military letters are not here: §4.3 says to read them as -0000. */
const OBSOLETE_ZONES: ReadonlyMap<string, number> = new Map([
  ['UT', 0],
  ['GMT', 0],
  ['EST', -300],
  ['EDT', -240],
  ['CST', -360],
  ['CDT', -300],
  ['MST', -420],
  ['MDT', -360],
  ['PST', -480],
  ['PDT', -420],
]);

/** A Date header is about 31 characters; past this it is not one, and is not read. */
const MAX_DATE_HEADER_CHARS = 256;

/**
 * The zone of a Date header (RFC 5322 §3.3: `Tue, 3 Nov 2026 14:30:00 +0100 (CET)`) in minutes east of
 * UTC, or null when it names none. "-0000" says the local zone is unknown (§3.3), so it is null too.
 */
export function zoneOfDateHeader(value: string): number | null {
  if (value.length > MAX_DATE_HEADER_CHARS) return null;
  // A trailing comment ("(CET)") is not the zone: drop comments, then the zone is the last word.
  const words = value
    .replace(/\([^()]*\)/g, ' ')
    .trim()
    .split(/\s+/);
  const zone = words.at(-1) ?? '';
  const numeric = /^([+-])(\d{2})(\d{2})$/.exec(zone);
  if (numeric === null) return OBSOLETE_ZONES.get(zone.toUpperCase()) ?? null;
  const [, sign, hours, minutes] = numeric;
  if (zone === '-0000' || Number(minutes) >= 60) return null;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}

/** 60 → "+01:00", -330 → "-05:30". */
export function formatZone(minutes: number): string {
  const abs = Math.abs(minutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
