// End to end through the `touchmail` command: import, ingest and resolve on real .eml fixtures.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/domain/outcome.js';
import { cli } from '../support/cli.js';
import { FIXTURES, TOUCHPOINT_ADDRESS } from '../support/workspace.js';

const mail = (name: string) => fileURLToPath(new URL(`mail/${name}.eml`, FIXTURES));
const json = (stdout: string): Outcome => JSON.parse(stdout) as Outcome;

describe('touchmail ingest and resolve', () => {
  const run = cli();
  beforeAll(() => {
    const imported = run(['import', fileURLToPath(new URL('workspace.json', FIXTURES))]);
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
  });

  it('records a Bcc’d message and prints one outcome object', () => {
    const result = run(['ingest', mail('bcc-plain'), '--rcpt', TOUCHPOINT_ADDRESS, '--json']);
    expect(result.status).toBe(0);
    const outcome = json(result.stdout);
    expect(outcome).toMatchObject({
      status: 'recorded',
      scenario: 'bcc',
      accountId: 'globex',
      subject: 'Renewal next steps',
    });
    expect(outcome.touchpointId).toEqual(expect.any(String));
  });

  it('recognises a redelivery of the same message as a duplicate of the same touchpoint', () => {
    const first = json(run(['ingest', mail('plus-tag'), '--rcpt', TOUCHPOINT_ADDRESS, '--json']).stdout);
    const again = json(run(['ingest', mail('plus-tag'), '--rcpt', TOUCHPOINT_ADDRESS, '--json']).stdout);
    expect(first.status).toBe('recorded');
    expect(again).toMatchObject({ status: 'ignored', reason: 'duplicate', touchpointId: first.touchpointId });
  });

  it('routes without --rcpt by the touchpoint address in To', () => {
    const outcome = json(run(['ingest', mail('note-subject'), '--json']).stdout);
    expect(outcome).toMatchObject({
      status: 'recorded',
      scenario: 'note',
      accountId: 'initech',
      workspaceId: 'acme',
    });
  });

  it('exits 0 with a failed outcome, and 1 when no workspace takes the message', () => {
    const failed = run(['ingest', mail('stranger'), '--rcpt', TOUCHPOINT_ADDRESS, '--json']);
    expect(failed.status).toBe(0);
    expect(json(failed.stdout)).toMatchObject({ status: 'failed', reason: 'sender-not-a-user' });
    const nowhere = run(['ingest', mail('bcc-plain'), '--rcpt', 'nobody@nowhere.example', '--json']);
    expect(nowhere.status).toBe(1);
    expect(nowhere.stdout).toBe('');
    expect(nowhere.stderr).toContain('No workspace has the touchpoint address nobody@nowhere.example');
  });

  it('takes the null envelope sender as a bounce', () => {
    const outcome = json(
      run(['ingest', mail('cc-two-customers'), '--rcpt', TOUCHPOINT_ADDRESS, '--mail-from', '<>', '--json'])
        .stdout,
    );
    expect(outcome).toMatchObject({ status: 'ignored', reason: 'auto-reply' });
  });

  it('resolve is a dry run: nothing is stored', () => {
    const once = json(run(['resolve', mail('forward-gmail'), '--rcpt', TOUCHPOINT_ADDRESS, '--json']).stdout);
    const twice = json(
      run(['resolve', mail('forward-gmail'), '--rcpt', TOUCHPOINT_ADDRESS, '--json']).stdout,
    );
    expect(once).toMatchObject({
      status: 'recorded',
      scenario: 'forward',
      accountId: 'globex',
      touchpointId: null,
    });
    expect(twice).toEqual(once);
  });

  it('reads a message from standard input and prints a readable outcome without --json', () => {
    const message = [
      'From: Jill Hart <jill@acme.com>',
      'To: touchpoints@acme.example',
      'Subject: Notes peter@initech.com',
      '',
      'Talked.',
      '',
    ].join('\r\n');
    const result = run(['resolve', '-', '--rcpt', TOUCHPOINT_ADDRESS], message);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('recorded on account initech');
    expect(result.stdout).toContain('why:');
  });

  it('resolves a "Fwd:" mail without a forward block to an outcome, not a crash (issue 16)', () => {
    const message = [
      'From: Jill Hart <jill@acme.com>',
      'To: touchpoints@acme.example',
      'Subject: Fwd: hello',
      'Date: Tue, 3 Nov 2026 14:30:00 +0100',
      '',
      'hi there',
      '',
    ].join('\r\n');
    const result = run(['resolve', '-', '--rcpt', TOUCHPOINT_ADDRESS, '--json'], message);
    expect(result.status).toBe(0);
    expect(json(result.stdout)).toMatchObject({
      status: 'failed',
      reason: 'no-customer-address',
      scenario: 'note',
    });
  });

  it('refuses a bad --rcpt and an empty input with a message', () => {
    expect(run(['ingest', mail('bcc-plain'), '--rcpt', 'not an address']).stderr).toContain('--rcpt');
    const empty = run(['ingest', '-', '--rcpt', TOUCHPOINT_ADDRESS], '');
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain('empty');
  });

  it('stops on a bad configuration, naming the variable', () => {
    const result = cli({ TOUCHMAIL_HTTP_PORT: 'eighty' })([
      'import',
      fileURLToPath(new URL('workspace.json', FIXTURES)),
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('TOUCHMAIL_HTTP_PORT');
  });
});
