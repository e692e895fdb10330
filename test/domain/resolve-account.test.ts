// SPEC §5 as a table: every branch of steps A, B and C, named for the behaviour it shows.
import { describe, expect, it } from 'vitest';
import { resolveAccount } from '../../src/domain/resolve-account.js';
import { memoryDirectory, must } from '../support/memory-directory.js';
import { cases, NOW, SENDER, summary } from './resolve-account.cases.js';

describe('resolveAccount (SPEC §5)', () => {
  it.each(cases)('$name', async ({ directory, customers, sender, alias, expected, step }) => {
    const decision = await resolveAccount(
      {
        customerAddresses: customers.map(must),
        sender: {
          email: must(sender ?? SENDER),
          aliases: [must('jh@acme.com'), ...(alias === undefined ? [] : [must(alias)])],
        },
        now: NOW,
      },
      memoryDirectory(directory),
    );
    expect(summary(decision)).toEqual(expected);
    expect(decision.trace.length).toBeGreaterThan(0);
    if (step !== undefined) expect(decision.trace.map((t) => t.step)).toContain(step);
  });

  it('a sender at a public mailbox provider skips tie-break 2', async () => {
    const decision = await resolveAccount(
      {
        customerAddresses: [must('x@globex.com')],
        sender: { email: must('jill@gmail.com'), aliases: [] },
        now: NOW,
      },
      memoryDirectory({
        users: { u1: 'bob@globex.com', u2: 'eva@globex.com' },
        memberships: [
          ['u1', 'globex', null],
          ['u2', 'globex-eu', null],
        ],
        touchpoints: [['other@gmail.com', 'globex', '2026-11-25T00:00:00Z']],
      }),
    );
    expect(summary(decision)).toEqual({ kind: 'ambiguous', candidates: ['globex', 'globex-eu'] });
  });
});
