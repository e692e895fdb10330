// "The same mail" (SPEC §6) compares subjects without the reply and forward prefixes clients add; what a
// forward's touchpoint shows first.
import { describe, expect, it } from 'vitest';
import type { Login } from '../../src/domain/workspace.js';
import { draftTouchpoint, normalizeSubject } from '../../src/domain/touchpoint.js';
import { message } from '../support/message.js';
import { must } from '../support/memory-directory.js';

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

describe('what the timeline shows first of a forward (issue 17)', () => {
  const bob = must('bob@globex.com');
  const jill: Login = {
    email: must('jill@acme.com'),
    name: 'Jill Hart',
    role: 'member',
    active: true,
    aliases: [],
  };
  const draftOf = (source: 'inline' | 'attached', note: string | null, text = 'FYI, see below.') => {
    const base = message({ text, forwarded: [{ from: 'Bob <bob@globex.com>', source }] });
    const forwarded = base.forwarded.map((f) => ({ ...f, text: 'Can we talk about the renewal?', note }));
    return draftTouchpoint({
      message: { ...base, forwarded },
      rawSha256: 'sha',
      classification: {
        scenario: 'forward',
        participants: [
          { email: bob, name: 'Bob Stone', side: 'external' },
          { email: jill.email, name: 'Jill Hart', side: 'internal' },
        ],
        customerAddresses: [bob],
      },
      accountId: 'globex',
      workspace: { defaultFlow: 'Default', defaultReason: null },
      author: jill,
      receivedAt: new Date('2026-11-26T00:00:00Z'),
      inboundId: null,
      trace: [],
    });
  };

  it('puts the customer’s words first, under who wrote and who forwarded them, the note apart', () => {
    const draft = draftOf('inline', 'FYI, see below.');
    expect(draft.contentVisible).toBe(
      'Bob Stone wrote — forwarded by Jill Hart\n\nCan we talk about the renewal?\n\nNote from Jill Hart:\nFYI, see below.',
    );
    expect(draft.contentText).toBe('FYI, see below.');
  });

  it('takes an attached forward’s note from the forwarding message’s text', () => {
    const draft = draftOf('attached', null, 'Please look at this one.');
    expect(draft.contentVisible).toBe(
      'Bob Stone wrote — forwarded by Jill Hart\n\nCan we talk about the renewal?\n\nNote from Jill Hart:\nPlease look at this one.',
    );
  });

  it('shows no note when the forwarder wrote none', () => {
    expect(draftOf('inline', null).contentVisible).toBe(
      'Bob Stone wrote — forwarded by Jill Hart\n\nCan we talk about the renewal?',
    );
  });
});
