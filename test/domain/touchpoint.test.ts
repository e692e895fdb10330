// "The same mail" (SPEC §6) compares subjects without the reply and forward prefixes clients add.
import { describe, expect, it } from 'vitest';
import { normalizeSubject } from '../../src/domain/touchpoint.js';

describe('normalizeSubject', () => {
  it.each([
    ['Renewal next steps', 'renewal next steps'],
    ['Re: Renewal', 'renewal'],
    ['RE: Fwd: AW: Renewal', 'renewal'],
    ['Re[2]: Renewal', 'renewal'],
    ['WG:  Renewal   next', 'renewal next'],
    ['回复：续约', '续约'],
    ['VL: Renewal', 'renewal'],
    ['Videresend: Renewal', 'renewal'],
    ['Redir.: Renewal', 'renewal'],
    ['İLT: Renewal', 'renewal'],
    ['Fwd: FW: Renewal', 'renewal'],
    ['Relay: Renewal', 'relay: renewal'],
    ['Invoice: March', 'invoice: march'],
  ])('%j → %j', (subject, expected) => {
    expect(normalizeSubject(subject)).toBe(expected);
  });
});
