// What every command runs with: the configuration, a logger and the opened store, closed afterwards.
import { config, ConfigError, type Config } from '../config.js';
import { createLogger, logFormatFor, type Logger } from '../logger.js';
import { openStore, type Store } from '../store/store.js';
import { openOrExplain, StartupError } from '../startup-error.js';

export interface CommandContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: Store;
}

/**
 * Exit status for a configuration error or a start-up that the configuration prevents (a port in use, a
 * host that does not resolve, a database that cannot be opened), apart from 1 (the command failed).
 */
const EXIT_CONFIG = 2;

/**
 * Runs a command body with a context; prints problems as one readable message (never a stack trace
 * unless TOUCHMAIL_LOG_LEVEL is debug or trace) and sets the exit code.
 */
export async function withContext(
  body: (context: CommandContext) => Promise<number | 'keep-open'>,
): Promise<void> {
  let cfg: Config;
  try {
    cfg = config();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`touchmail: ${error.message}\n`);
      process.exitCode = EXIT_CONFIG;
      return;
    }
    throw error;
  }
  const logger = createLogger(cfg.logLevel, logFormatFor(cfg.logFormat, process.stderr.isTTY));
  let store: Store | undefined;
  try {
    const database = cfg.database;
    store = await openOrExplain(() => openStore(database, cfg.postgresPool.main), database);
    const result = await body({ config: cfg, logger, store });
    if (result === 'keep-open') return;
    process.exitCode = result;
  } catch (error) {
    if (error instanceof StartupError) {
      // One line naming the variable: the operator's to fix, not a failure of the command itself.
      process.stderr.write(`touchmail: ${error.message}\n`);
      process.exitCode = EXIT_CONFIG;
      if (store !== undefined) await store.close();
      return;
    }
    const detail = cfg.logLevel === 'debug' || cfg.logLevel === 'trace';
    const message =
      error instanceof Error ? (detail ? (error.stack ?? error.message) : error.message) : String(error);
    process.stderr.write(`touchmail: ${message}\n`);
    process.exitCode = 1;
  }
  if (store !== undefined) await store.close();
}
