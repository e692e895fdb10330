// Forward date lines as clients write them, read in the forwarder's zone when they name none.
import { describe, expect, it } from 'vitest';
import {
  formatZone,
  MAX_DATE_TEXT_CHARS,
  parseLocalizedDate,
  zoneOfDateHeader,
} from '../../src/mime/localized-date.js';

const NOW = new Date('2026-11-26T00:00:00Z');

describe('parseLocalizedDate', () => {
  it.each([
    // A zone-less date is the forwarder's local time: at +01:00, 14:05 is 13:05 UTC.
    [
      'Gmail, no zone, forwarder at +01:00',
      'Tue, Nov 3, 2026 at 2:05 PM',
      60,
      '2026-11-03T13:05:00.000Z',
      '+01:00',
    ],
    [
      'Apple Mail "On … wrote", +01:00',
      'On Tue, 3 Nov 2026 at 14:05, Bob wrote',
      60,
      '2026-11-03T13:05:00.000Z',
      '+01:00',
    ],
    [
      'Outlook "Sent:", -05:00',
      'Tuesday, November 3, 2026 2:05 PM',
      -300,
      '2026-11-03T19:05:00.000Z',
      '-05:00',
    ],
    ['German, +05:30', 'Di., 3. Nov. 2026 um 14:05', 330, '2026-11-03T08:35:00.000Z', '+05:30'],
    ['French, UTC', 'mardi 3 novembre 2026 14:05', 0, '2026-11-03T14:05:00.000Z', '+00:00'],
    // A date that names its zone keeps it, whatever the forwarder's.
    ['RFC 5322 with its offset', 'Tue, 3 Nov 2026 14:05:00 +0500', 60, '2026-11-03T09:05:00.000Z', null],
    ['Yahoo "GMT+1"', 'Tuesday, November 3, 2026, 02:05:36 PM GMT+1', -300, '2026-11-03T13:05:36.000Z', null],
    // Chinese and Korean clients (issue 17): a weekday between date and time, "下午"/"오후" for PM.
    [
      'QQ Mail, weekday and 下午',
      '2026年11月3日(星期二) 下午2:05',
      480,
      '2026-11-03T06:05:00.000Z',
      '+08:00',
    ],
    // Day first with dots (Yandex): never 11 March, as chrono-node's English reads it.
    ['Yandex, dotted day first', '03.11.2026, 14:05', 180, '2026-11-03T11:05:00.000Z', '+03:00'],
    ['Korean Gmail, 오후', '2026년 11월 3일 (화) 오후 2:05', 540, '2026-11-03T05:05:00.000Z', '+09:00'],
    [
      'Korean Outlook, 화요일 오전 12시',
      '2026년 11월 3일 화요일 오전 12:30',
      540,
      '2026-11-02T15:30:00.000Z',
      '+09:00',
    ],
    ['German "MEZ"', '3. November 2026 um 14:05:05 MEZ', -300, '2026-11-03T13:05:05.000Z', null],
  ])('%s', (_, text, zone, iso, assumed) => {
    expect(parseLocalizedDate(text, NOW, zone)).toEqual({ iso, assumedZone: assumed });
  });

  it('reads nothing in text without a full date', () => {
    expect(parseLocalizedDate('last Tuesday', NOW, 60)).toBeNull();
  });

  it('does not read a "date" line longer than any date (hostile text: chrono-node is quadratic)', () => {
    const date = 'Tue, Nov 3, 2026 at 2:05 PM';
    expect(
      parseLocalizedDate(`${date} ${'x'.repeat(MAX_DATE_TEXT_CHARS - date.length - 1)}`, NOW, 0),
    ).not.toBeNull();
    expect(parseLocalizedDate(`${date} ${'x '.repeat(MAX_DATE_TEXT_CHARS)}`, NOW, 0)).toBeNull();
    expect(parseLocalizedDate(`Tue,${' '.repeat(32 * 1024)}x`, NOW, 0)).toBeNull();
  });
});

describe('zoneOfDateHeader', () => {
  it.each([
    ['Tue, 3 Nov 2026 14:30:00 +0100', 60],
    ['Tue, 3 Nov 2026 14:30:00 -0530 (whatever)', -330],
    ['3 Nov 2026 14:30 +0000', 0],
    ['Tue, 3 Nov 2026 14:30:00 GMT', 0],
    ['Tue, 3 Nov 2026 14:30:00 EST', -300],
    ['Tue, 3 Nov 2026 14:30:00 pdt', -420],
    // RFC 5322 §3.3: -0000 says the local zone is unknown; §4.3: military letters are as -0000.
    ['Tue, 3 Nov 2026 14:30:00 -0000', null],
    ['Tue, 3 Nov 2026 14:30:00 Z', null],
    ['Tue, 3 Nov 2026 14:30:00', null],
    ['Tue, 3 Nov 2026 14:30:00 +0175', null],
    [`Tue, 3 Nov 2026 14:30:00 ${' '.repeat(300)}+0100`, null],
  ])('%j → %j', (header, minutes) => {
    expect(zoneOfDateHeader(header)).toBe(minutes);
  });

  it.each([
    [60, '+01:00'],
    [-330, '-05:30'],
    [0, '+00:00'],
    [345, '+05:45'],
  ])('formatZone(%j) is %j', (minutes, text) => {
    expect(formatZone(minutes)).toBe(text);
  });
});
