// What making every string storable costs (src/store/storable-text-plugin.ts): the statements one
// recording batch runs, compiled by Kysely with the plugin and without it, in the same run.
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database as Schema } from '../src/store/schema.js';
import { StorableTextPlugin } from '../src/store/storable-text-plugin.js';
import { fmt, percentile, timeEach } from './stats.js';

/** A batch as the worker records it: 64 touchpoints of 2 KB of text, 4 participants each. */
const BATCH = 64;

function compileBatch(db: Kysely<Schema>, n: number): void {
  const text = `Hello Bob,\n\n${'Thanks for the call; the quote follows. '.repeat(50)}\n\nJill`;
  db.insertInto('touchpoints')
    .values(
      Array.from({ length: BATCH }, (_, i) => ({
        workspace_id: 'acme',
        id: `tp-${n}-${i}`,
        account_id: 'globex',
        type: 'Email',
        flow: 'Default',
        reason: 'Check-in',
        subject: `Renewal step ${i}`,
        content_text: text,
        content_visible: text.slice(0, 200),
        content_html: `<p>${text}</p>`,
        occurred_at: '2026-11-19T15:04:05.000Z',
        author_email: 'jill@acme.com',
        author_domain: 'acme.com',
        scenario: 'bcc',
        message_key: `mid:m-${n}-${i}@mail.acme.com`,
        content_key: null,
        inbound_id: `in-${n}-${i}`,
        trace: JSON.stringify([{ step: 'parse', detail: 'From jill@acme.com' }]),
        attachments: '[]',
        created_at: '2026-11-19T15:04:05.000Z',
        updated_at: '2026-11-19T15:04:05.000Z',
      })),
    )
    .compile();
  db.insertInto('touchpoint_participants')
    .values(
      Array.from({ length: BATCH * 4 }, (_, i) => ({
        workspace_id: 'acme',
        touchpoint_id: `tp-${n}-${i >> 2}`,
        email: `p${i}@globex.com`,
        name: `Person ${i}`,
        side: 'external',
        position: i & 3,
      })),
    )
    .compile();
}

export async function storableTextCost(): Promise<void> {
  const sqlite = new Database(':memory:');
  const plain = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
  const storable = new Kysely<Schema>({
    dialect: new SqliteDialect({ database: sqlite }),
    plugins: [new StorableTextPlugin()],
  });
  const rounds = 300;
  const baseline = await timeEach(rounds, (n) => Promise.resolve(compileBatch(plain, n)));
  const ours = await timeEach(rounds, (n) => Promise.resolve(compileBatch(storable, n)));
  const median = (d: number[]) => percentile(d, 50);
  console.log(`\n## Storable text (the statements of one recording batch of ${BATCH} messages, compiled)\n`);
  console.log('| compiled | median ms a batch | µs a message | ratio to baseline |\n|---|---|---|---|');
  console.log(
    `| without the plugin (baseline) | ${fmt(median(baseline), 3)} | ${fmt((median(baseline) * 1000) / BATCH, 1)} | 1.00 |`,
  );
  console.log(
    `| with StorableTextPlugin | ${fmt(median(ours), 3)} | ${fmt((median(ours) * 1000) / BATCH, 1)} | ${fmt(median(ours) / median(baseline))} |`,
  );
  sqlite.close();
}
