// The command line's input errors in words: a file that cannot be read, a bad document on standard input.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/stores.js';

describe('touchmail input errors', () => {
  const run = cli();
  const missing = join(tempDir(), 'absent.json');

  it('says a missing file is missing, for a document and for a message', () => {
    const imported = run(['import', missing]);
    expect(imported.status).toBe(1);
    expect(imported.stderr).toBe(`touchmail: cannot read ${missing}: no such file\n`);
    const ingested = run(['ingest', missing, '--rcpt', 'touchpoints@acme.com']);
    expect(ingested.status).toBe(1);
    expect(ingested.stderr).toBe(`touchmail: cannot read ${missing}: no such file\n`);
  });

  it('says a directory is a directory', () => {
    const dir = tempDir();
    expect(run(['import', dir]).stderr).toBe(`touchmail: cannot read ${dir}: it is a directory\n`);
  });

  it('calls a bad document on standard input "standard input", not "-"', () => {
    const result = run(['import', '-'], '{"workspace": 1');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^touchmail import: standard input is not a valid workspace document/);
  });
});
