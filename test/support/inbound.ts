// Putting real fixture mail into an API fixture's store at a chosen time, as the CLI would.
import { ingestMessage } from '../../src/app/ingest-message.js';
import type { Email } from '../../src/domain/address.js';
import type { Outcome } from '../../src/domain/outcome.js';
import type { ApiFixture } from './api.js';
import { readFixture, TOUCHPOINT_ADDRESS } from './workspace.js';

/** Ingests test/fixtures/mail/`name` received at `at` (the API's clock otherwise). */
export async function ingestFixture(
  api: ApiFixture,
  name: string,
  options: { at?: Date; rcpt?: string; channel?: 'smtp' | 'http' | 'imap' | 'cli'; mailFrom?: string } = {},
): Promise<{ inboundId: string; outcome: Outcome }> {
  const base = api.context.messages;
  const deps = options.at === undefined ? base : { ...base, now: () => options.at ?? base.now() };
  return ingestMessage(
    deps,
    {
      raw: readFixture(name),
      envelope: {
        mailFrom: options.mailFrom ?? null,
        rcptTo: [(options.rcpt ?? TOUCHPOINT_ADDRESS) as Email],
      },
    },
    options.channel ?? 'cli',
  );
}
