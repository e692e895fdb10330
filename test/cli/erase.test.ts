// End to end through the `touchmail` command: `erase` prints what it removed as JSON; the person's user
// is gone and the next erasure of the same address finds nothing.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { FIXTURES } from '../support/workspace.js';

describe('touchmail erase', () => {
  const run = cli();

  it('erases a person and prints the counts; refuses a bad address and an unknown workspace', () => {
    expect(run(['import', fileURLToPath(new URL('workspace.json', FIXTURES))]).status).toBe(0);
    const mail = fileURLToPath(new URL('mail/bcc-plain.eml', FIXTURES));
    expect(run(['ingest', mail, '--rcpt', 'touchpoints@acme.example']).status).toBe(0);

    const erased = run(['erase', '--workspace', 'acme', '--email', 'Bob@Globex.com']);
    expect(erased.stderr).toBe('');
    expect(erased.status).toBe(0);
    expect(JSON.parse(erased.stdout)).toMatchObject({ users: 1, touchpoints: 1, inboundMessages: 1 });
    const again = run(['erase', '--workspace', 'acme', '--email', 'bob@globex.com']);
    expect(JSON.parse(again.stdout)).toMatchObject({ users: 0, touchpoints: 0, inboundMessages: 0 });

    const bad = run(['erase', '--workspace', 'acme', '--email', 'nope']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('not an email address');
    expect(run(['erase', '--workspace', 'nowhere', '--email', 'bob@globex.com']).status).toBe(1);
  });
});
