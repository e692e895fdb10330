// A node's PostgreSQL connections stay within TOUCHMAIL_PG_POOL_SIZE, evaluation threads included
// (counted in pg_stat_activity by the node's application_name), under a load that keeps them all busy.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { sendEach, startNode } from '../support/node-process.js';
import { eventually } from '../support/service.js';
import { freePort } from '../support/smtp-client.js';
import { freshPostgresUrl } from '../support/stores.js';
import { FIXTURES, TOUCHPOINT_ADDRESS } from '../support/workspace.js';

const PG = process.env.TOUCHMAIL_TEST_PG_URL;
const MESSAGES = 300;
const BUDGET = 6;
const THREADS = 3;

const message = (n: number) =>
  [
    'From: Jill Hart <jill@acme.com>',
    'To: Bob Stone <bob@globex.com>',
    `Subject: Budget load ${n}`,
    `Message-ID: <budget-${n}@acme.com>`,
    'Date: Thu, 19 Nov 2026 15:04:05 +0000',
    '',
    `Message ${n}.`,
    '',
  ].join('\r\n');

describe.skipIf(PG === undefined)('PostgreSQL connections of a node', () => {
  let node: ChildProcess | undefined;
  afterEach(() => {
    node?.kill('SIGKILL');
  });

  it('stay within TOUCHMAIL_PG_POOL_SIZE, the evaluation threads’ included', async () => {
    const name = `touchmail-budget-${randomBytes(4).toString('hex')}`;
    const url = new URL(await freshPostgresUrl(PG ?? ''));
    url.searchParams.set('application_name', name);
    const env = {
      TOUCHMAIL_DATABASE: url.toString(),
      TOUCHMAIL_LOG_LEVEL: 'error',
      TOUCHMAIL_PG_POOL_SIZE: String(BUDGET),
      TOUCHMAIL_EVALUATION_THREADS: String(THREADS),
    };
    expect(cli(env)(['import', fileURLToPath(new URL('workspace.json', FIXTURES))]).status).toBe(0);
    const port = await freePort();
    node = await startNode(env, port);

    const watcherUrl = new URL(url);
    watcherUrl.searchParams.set('application_name', `${name}-watcher`);
    const watcher = new pg.Client({ connectionString: watcherUrl.toString() });
    await watcher.connect();
    try {
      const connections = async () =>
        Number(
          (
            await watcher.query<{ n: string }>(
              'select count(*) as n from pg_stat_activity where application_name = $1',
              [name],
            )
          ).rows[0]?.n,
        );
      const recorded = async () =>
        Number(
          (
            await watcher.query<{ n: string }>(
              "select count(*) as n from inbound_messages where status = 'recorded'",
            )
          ).rows[0]?.n,
        );
      let most = 0;
      let sending = true;
      const watching = (async () => {
        while (sending) {
          most = Math.max(most, await connections());
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      let n = 0;
      const next = () => (n < MESSAGES ? n++ : null);
      const acknowledged = new Set<number>();
      await Promise.all(
        Array.from({ length: 6 }, () => sendEach(port, next, message, TOUCHPOINT_ADDRESS, acknowledged)),
      );
      await eventually(async () => ((await recorded()) === MESSAGES ? true : undefined), 60_000);
      sending = false;
      await watching;
      // The threads did open theirs (one each) beside the service's pool: the budget was used, not avoided.
      expect(most).toBeGreaterThan(THREADS);
      expect(most).toBeLessThanOrEqual(BUDGET);
    } finally {
      await watcher.end();
    }
  }, 120_000);
});
