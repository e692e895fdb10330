// The process logger: pino on stderr so that stdout stays for command output; JSON lines for machines,
// or readable lines (src/log-format.ts) for a person at a terminal.
import { pino, type Logger } from 'pino';
import type { LogFormat, LogLevel } from './config.js';
import { formatLogLine } from './log-format.js';

export type { Logger };

export function createLogger(level: LogLevel, format: LogFormat = 'json'): Logger {
  const options = { level, base: { service: 'touchmail' } };
  if (format === 'json') return pino(options, pino.destination(2));
  return pino(options, { write: (line: string) => void process.stderr.write(formatLogLine(line)) });
}

/** TOUCHMAIL_LOG_FORMAT, or when unset: readable on a terminal, JSON when stderr goes to a file or pipe. */
export function logFormatFor(configured: LogFormat | null, stderrIsTerminal: boolean): LogFormat {
  return configured ?? (stderrIsTerminal ? 'pretty' : 'json');
}
