// Participants as the directory knows them (issue 17): a person is shown under the name the directory
// gives them ("Bob Stone", not the header's "Bob"), and a login under its own address whichever of its
// aliases the mail showed, once.
import type { Email } from './address.js';
import type { Participant } from './scenario.js';

/** Who the directory says an address is: the address it files the person under, and their name. */
export interface KnownPerson {
  readonly email: Email;
  readonly name: string;
  /** A login of the workspace: on our side, whatever the domain of the address it wrote from. */
  readonly login: boolean;
}

/**
 * `participants` with each address the directory knows replaced by the person it names (a login's alias
 * by the login), then each person once, in the order first seen; internal when any of their addresses
 * was. A name the directory leaves empty keeps
 * the one the mail gave. A login is internal.
 */
export function asTheDirectoryNamesThem(
  participants: readonly Participant[],
  known: ReadonlyMap<Email, KnownPerson>,
): Participant[] {
  const byEmail = new Map<Email, Participant>();
  for (const participant of participants) {
    const person = known.get(participant.email);
    const named: Participant =
      person === undefined
        ? participant
        : {
            email: person.email,
            name: person.name || participant.name,
            side: person.login ? 'internal' : participant.side,
          };
    const seen = byEmail.get(named.email);
    byEmail.set(
      named.email,
      seen === undefined
        ? named
        : {
            email: seen.email,
            name: seen.name || named.name,
            side: seen.side === 'internal' || named.side === 'internal' ? 'internal' : 'external',
          },
    );
  }
  return [...byEmail.values()];
}
