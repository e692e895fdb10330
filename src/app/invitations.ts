// Invitations (issue 18): an admin invites a login by a one-time link instead of choosing its password;
// whoever opens the link sets the password and is signed in. Each step runs in one transaction with its
// audit entry; refusals are values, not exceptions.
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../store/audit-repository.js';
import { createInvitation, useInvitation } from '../store/invitation-repository.js';
import { getLogin } from '../store/login-repository.js';
import type { Store } from '../store/store.js';
import { storePasswordHash, type Acting, type Done, type Refusal } from './login-users.js';
import { hashPassword, passwordProblem } from './password-hash.js';

/** One answer for a link used, expired or unknown: which of them is not told to whoever holds it. */
export const INVITATION_REFUSED =
  'This invitation link was already used, has expired or does not exist; ask an admin for a new one.';

/** The link the invited login opens: the web UI's invitation page. */
export function invitationLink(publicUrl: URL, token: string): string {
  return `${publicUrl.origin}${publicUrl.pathname.replace(/\/$/, '')}/#/invitation/${token}`;
}

export async function inviteLogin(
  store: Store,
  workspaceId: string,
  email: string,
  acting: Acting,
): Promise<Done<{ token: string; expiresAt: Date }>> {
  return store.db.transaction().execute(async (trx): Promise<Done<{ token: string; expiresAt: Date }>> => {
    const login = await getLogin(trx, workspaceId, email);
    if (login === null) return { ok: false, code: 'not-found', message: `No login ${email}.` };
    if (!login.active)
      return { ok: false, code: 'conflict', message: `Login ${email} is inactive; activate it first.` };
    const invitation = await createInvitation(trx, { workspaceId, loginEmail: email }, acting.now);
    await appendAudit(trx, {
      id: randomUUID(),
      workspaceId,
      at: acting.now,
      actor: acting.actor,
      action: 'login.invite',
      subject: email,
      // Never the token: only until when the link works.
      changes: { invitation: { before: null, after: `expires ${invitation.expiresAt.toISOString()}` } },
    });
    return { ok: true, value: invitation };
  });
}

/**
 * Sets the password of the invited login and uses the invitation up, in one transaction: a refused
 * password leaves the link usable; a used, expired or unknown one, or an inactive login, is refused.
 */
export async function acceptInvitation(
  store: Store,
  token: string,
  password: string,
  now: Date,
): Promise<Done<{ workspaceId: string; email: string }>> {
  const problem = passwordProblem(password);
  if (problem !== null) return { ok: false, code: 'validation-failed', message: problem };
  const hash = await hashPassword(password);
  const refused: Refusal = { ok: false, code: 'bad-request', message: INVITATION_REFUSED };
  try {
    return await store.db.transaction().execute(async (trx) => {
      const invited = await useInvitation(trx, token, now);
      if (invited === null) return refused;
      const key = { workspaceId: invited.workspaceId, email: invited.loginEmail };
      const login = await getLogin(trx, key.workspaceId, key.email);
      // A login deactivated since it was invited cannot sign in; one deleted and made again under the
      // same email is another person, whom the old link must not sign in. The rollback keeps nothing.
      if (login === null || !login.active || login.createdAt > invited.createdAt)
        throw new InvitationRefused();
      const set = await storePasswordHash(trx, key, hash, { actor: key.email, now });
      if (!set.ok) throw new InvitationRefused();
      return { ok: true, value: key };
    });
  } catch (error) {
    if (error instanceof InvitationRefused) return refused;
    throw error;
  }
}

/** Rolls the acceptance's transaction back. */
class InvitationRefused extends Error {}
