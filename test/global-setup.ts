// Before the run: builds the CLI and the web UI once (suites run `touchmail` as a process or load the UI
// in a browser, so they never test stale code) and names the run, so the PostgreSQL schemas its tests
// make can be dropped after it — schemas left behind pile up and slow every later migration (Kysely's
// migrator introspects every table of the database).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export default function setup(): () => Promise<void> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  for (const project of ['tsconfig.build.json', 'web/tsconfig.json'])
    execFileSync(
      process.execPath,
      [fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url)), '-p', project],
      { cwd: root, stdio: 'inherit' },
    );
  const run = randomBytes(4).toString('hex');
  // Inherited by the test processes, which start after this: test/support/stores.ts prefixes schemas.
  process.env.TOUCHMAIL_TEST_RUN = run;
  return async () => {
    const url = process.env.TOUCHMAIL_TEST_PG_URL;
    if (url === undefined) return;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ nspname: string }>(
        'select nspname from pg_namespace where nspname like $1',
        [`t\\_${run}\\_%`],
      );
      for (const { nspname } of rows) await client.query(`drop schema "${nspname}" cascade`);
    } finally {
      await client.end();
    }
  };
}
