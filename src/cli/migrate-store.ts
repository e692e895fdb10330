// `touchmail migrate-store --to DATABASE`: copies the configured store (TOUCHMAIL_DATABASE) into a new,
// empty one, e.g. from the embedded SQLite file to PostgreSQL. Stop the service first.
import { parseConfig, type DatabaseConfig } from '../config.js';
import { copyStore } from '../store/copy-store.js';
import { openStore } from '../store/store.js';
import type { CommandContext } from './context.js';

export async function migrateStoreCommand({ store, logger }: CommandContext, to: string): Promise<number> {
  const target = targetDatabase(to);
  if (target === null) {
    process.stderr.write(`touchmail migrate-store: --to ${to} is not sqlite:PATH or a postgres:// URL\n`);
    return 1;
  }
  const destination = await openStore(target);
  try {
    // Statements carry varying numbers of rows (bounded by bytes too): log at each 10,000 passed.
    const logged = new Map<string, number>();
    const counts = await copyStore(store.db, destination.db, (table, copied) => {
      if (copied - (logged.get(table) ?? 0) < 10_000) return;
      logged.set(table, copied);
      logger.info({ table, copied }, 'copying');
    });
    for (const [table, n] of Object.entries(counts)) process.stdout.write(`${table}: ${n}\n`);
    process.stdout.write(
      `Copied. Point TOUCHMAIL_DATABASE at ${target.kind === 'sqlite' ? `sqlite:${target.path}` : 'the new database'} and start again.\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(
      `touchmail migrate-store: ${error instanceof Error ? error.message : String(error)} (nothing was copied)\n`,
    );
    return 1;
  } finally {
    await destination.close();
  }
}

/** The target database, parsed by the same rules as TOUCHMAIL_DATABASE; null when it is not one. */
function targetDatabase(text: string): DatabaseConfig | null {
  try {
    return parseConfig({ TOUCHMAIL_DATABASE: text }).database;
  } catch {
    return null;
  }
}
