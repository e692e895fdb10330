// What the rules need to know of a workspace and of the team member who sent a message.
import type { Email } from './address.js';
import type { PrivacySettings } from './privacy.js';

export type SenderAuthPolicy = 'off' | 'dmarc' | 'strict';

export interface WorkspaceContext {
  readonly id: string;
  /**
   * Every touchpoint address of the installation, this workspace's and every other's: SPEC §4 takes
   * "every touchpoint address" out of To/Cc, so a mail sent to two workspaces at once is, in each, not
   * a Cc to a "customer" that is the other workspace's address.
   */
  readonly everyTouchpointAddress: ReadonlySet<Email>;
  /** Normalized internal domains; their subdomains are internal too (SPEC §4). */
  readonly internalDomains: readonly string[];
  readonly defaultFlow: string;
  readonly defaultReason: string | null;
  readonly senderAuthPolicy: SenderAuthPolicy;
  /** Authentication-Results issuers (authserv-ids) believed for mail that did not come by SMTP. */
  readonly trustedAuthservIds: readonly string[];
  /** Addresses and domains whose mail is never logged (SPEC §11). */
  readonly neverLog: PrivacySettings['neverLog'];
  /** What a recorded mail keeps (SPEC §11). */
  readonly storage: PrivacySettings['storage'];
}

/** A team member with a login (SPEC §1), as found from a message's From (their address or an alias). */
export interface Login {
  readonly email: Email;
  readonly name: string;
  readonly role: 'admin' | 'member';
  readonly active: boolean;
  readonly aliases: readonly Email[];
}

/**
 * Why a touchpoint address cannot be this workspace's, in the same words wherever it is refused
 * (settings, import). The workspace that holds it is never named: that would tell a stranger it exists.
 */
export function addressOfAnotherWorkspace(address: string): string {
  return `${address} is the touchpoint address of another workspace.`;
}
