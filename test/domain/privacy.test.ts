// SPEC §11's never-log list as a table: what it holds, what it matches.
import { describe, expect, it } from 'vitest';
import type { Email } from '../../src/domain/address.js';
import { isNeverLogged, normalizeNeverLogEntry, rawAfterOutcome } from '../../src/domain/privacy.js';
import type { Classification, Participant } from '../../src/domain/scenario.js';

const external = (email: string): Participant => ({ email: email as Email, name: '', side: 'external' });
const internal = (email: string): Participant => ({ email: email as Email, name: '', side: 'internal' });
const bcc = (...participants: Participant[]): Classification => ({
  scenario: 'bcc',
  participants,
  customerAddresses: participants.filter((p) => p.side === 'external').map((p) => p.email),
});

describe('never-log entries', () => {
  it.each([
    ['CEO@Globex.com', 'ceo@globex.com'],
    ['@Legal.Globex.com', 'legal.globex.com'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['globex', null],
    ['not an address@', null],
    ['', null],
  ])('%j is normalized to %j', (raw, expected) => {
    expect(normalizeNeverLogEntry(raw)).toBe(expected);
  });
});

describe('what the list matches', () => {
  const list = ['ceo@globex.com', 'legal.globex.com'];
  it.each<[string, Classification, boolean]>([
    ['a listed address', bcc(internal('jill@acme.com'), external('ceo@globex.com')), true],
    ['another address of its domain', bcc(external('bob@globex.com')), false],
    ['an address of a listed domain', bcc(external('ann@legal.globex.com')), true],
    ['a subdomain of a listed domain', bcc(external('ann@eu.legal.globex.com')), true],
    ['a lookalike domain', bcc(external('ann@xlegal.globex.com')), false],
    ['an internal participant only', bcc(internal('ceo@globex.com')), false],
    [
      'an address of a meeting note’s subject',
      { scenario: 'note', participants: [], customerAddresses: ['ceo@globex.com' as Email] },
      true,
    ],
  ])('%s: %s', (_name, classification, expected) => {
    expect(isNeverLogged(classification, list)).toBe(expected);
  });

  it('matches nothing when the list is empty', () => {
    expect(isNeverLogged(bcc(external('ceo@globex.com')), [])).toBe(false);
  });
});

describe('the raw message after an outcome', () => {
  it.each<[string, Parameters<typeof rawAfterOutcome>[0], boolean, string]>([
    ['never-log forgets it', { status: 'ignored', reason: 'never-log' }, false, 'forget'],
    ['no-body deletes a recorded one', { status: 'recorded', reason: null }, true, 'delete'],
    ['no-body deletes an ignored one', { status: 'ignored', reason: 'auto-reply' }, true, 'delete'],
    [
      'no-body deletes a failed one too (SPEC §11)',
      { status: 'failed', reason: 'no-account' },
      true,
      'delete',
    ],
    [
      'no-body keeps an unprocessable one for retry (SPEC §10)',
      { status: 'failed', reason: 'unprocessable' },
      true,
      'keep',
    ],
    ['full keeps it', { status: 'recorded', reason: null }, false, 'keep'],
  ])('%s', (_name, outcome, noBody, expected) => {
    expect(rawAfterOutcome(outcome, noBody)).toBe(expected);
  });
});
