// The process logger: pino, JSON lines on stderr so that stdout stays for command output.
import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { service: 'touchmail' } }, pino.destination(2));
}
