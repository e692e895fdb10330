// Why the service could not start, said in one line that names the variable to change (a port in
// use, a host that does not resolve, a database that cannot be opened) rather than a stack trace.
import type { DatabaseConfig } from './config.js';

export class StartupError extends Error {
  constructor(
    /** The TOUCHMAIL_* variable whose value is the cause. */
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'StartupError';
  }
}

/** Codes of a listen() that fail because of the host (getaddrinfo, or an address not on this machine). */
const HOST_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EADDRNOTAVAIL']);

/** Listens with `listen`, turning a failure into a StartupError naming the port's or the host's variable. */
export async function listenOrExplain<T>(
  listen: () => Promise<T>,
  where: { readonly portVariable: string; readonly host: string; readonly port: number },
): Promise<T> {
  try {
    return await listen();
  } catch (error) {
    const code = errorCode(error);
    const detail = error instanceof Error ? error.message : String(error);
    if (code !== undefined && HOST_CODES.has(code))
      throw new StartupError(
        'TOUCHMAIL_HOST',
        `"${where.host}" ${code === 'EADDRNOTAVAIL' ? 'is not an address of this machine' : 'does not resolve'} (${code})`,
      );
    if (code === 'EADDRINUSE')
      throw new StartupError(
        where.portVariable,
        `port ${where.port} on ${where.host} is already in use (EADDRINUSE)`,
      );
    if (code === 'EACCES')
      throw new StartupError(
        where.portVariable,
        `port ${where.port} needs privileges this process lacks (EACCES)`,
      );
    throw new StartupError(where.portVariable, `cannot listen on ${where.host}:${where.port}: ${detail}`);
  }
}

/** The store's address as it may be printed: a PostgreSQL URL without its password. */
export function databaseLabel(database: DatabaseConfig): string {
  if (database.kind === 'sqlite') return `sqlite:${database.path}`;
  try {
    const url = new URL(database.url);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://…';
  }
}

/** Opens the store with `open`, turning a failure into a StartupError naming TOUCHMAIL_DATABASE. */
export async function openOrExplain<T>(open: () => Promise<T>, database: DatabaseConfig): Promise<T> {
  try {
    return await open();
  } catch (error) {
    const detail =
      error instanceof Error && error.message !== '' ? error.message : (errorCode(error) ?? String(error));
    throw new StartupError('TOUCHMAIL_DATABASE', `${databaseLabel(database)} cannot be opened: ${detail}`);
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}
