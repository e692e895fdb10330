// Readable logs on a terminal: pino's JSON lines as a person reads them.
import { describe, expect, it } from 'vitest';
import { formatLogLine } from '../src/log-format.js';

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({
    level: 30,
    time: Date.parse('2026-12-08T09:15:02.345Z'),
    service: 'touchmail',
    ...fields,
  });

describe('readable log lines', () => {
  it('puts time, level, message and short fields on one line', () => {
    expect(formatLogLine(line({ msg: 'HTTP listening', port: 8080, host: '127.0.0.1' }))).toBe(
      '09:15:02.345 INFO  HTTP listening port=8080 host=127.0.0.1\n',
    );
  });

  it('shows a notice written to the log as the mail it would have been, with real line breaks', () => {
    const text =
      'Hi Jill,\n\nYour mail "Renewal" matched no account.\n\nOpen it: http://127.0.0.1:8080/inbound/1';
    const formatted = formatLogLine(
      line({
        msg: 'notice not sent (TOUCHMAIL_OUTBOUND_SMTP is not set); here it is',
        outboxId: 'o-1',
        to: ['jill@acme.com'],
        subject: 'Touchmail: no account for "Renewal"',
        text,
      }),
    );
    expect(formatted).toBe(
      [
        '09:15:02.345 INFO  notice not sent (TOUCHMAIL_OUTBOUND_SMTP is not set); here it is outboxId=o-1',
        '    To: jill@acme.com',
        '    Subject: Touchmail: no account for "Renewal"',
        '',
        '    Hi Jill,',
        '',
        '    Your mail "Renewal" matched no account.',
        '',
        '    Open it: http://127.0.0.1:8080/inbound/1',
        '',
      ].join('\n'),
    );
    expect(formatted).not.toContain('\\n');
  });

  it('indents an error’s stack below its line, and quotes values with spaces', () => {
    const formatted = formatLogLine(
      JSON.stringify({
        level: 50,
        time: 0,
        msg: 'request failed',
        url: '/a b',
        err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at f (x.js:1:1)' },
      }),
    );
    expect(formatted).toBe(
      '00:00:00.000 ERROR request failed url="/a b"\n    Error: boom\n        at f (x.js:1:1)\n',
    );
  });

  it('keeps a line that is not JSON as it is', () => {
    expect(formatLogLine('plain text')).toBe('plain text\n');
  });
});
