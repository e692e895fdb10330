// Use-cases on API tokens: create and revoke, each in one transaction with its audit entry, whatever
// the channel (the API, the command line). The secret is returned once and never written to the audit.
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../store/audit-repository.js';
import { getLogin } from '../store/login-repository.js';
import type { Store } from '../store/store.js';
import { createToken, revokeToken, workspaceOfToken, type TokenRole } from '../store/token-repository.js';
import type { Acting, Done } from './login-users.js';

export interface NewToken {
  readonly workspaceId: string;
  readonly name: string;
  readonly role: TokenRole;
  /** The login it acts for, which must be active; null = the workspace's. */
  readonly loginEmail: string | null;
}

/** Creates a token; refuses one for a login that does not exist or is deactivated. */
export async function createApiToken(
  store: Store,
  input: NewToken,
  acting: Acting,
): Promise<Done<{ readonly id: string; readonly token: string }>> {
  return store.db.transaction().execute(async (trx) => {
    if (input.loginEmail !== null) {
      const login = await getLogin(trx, input.workspaceId, input.loginEmail);
      if (login === null || !login.active)
        return {
          ok: false,
          code: 'validation-failed',
          message: `loginEmail: no active login ${input.loginEmail}.`,
        } as const;
    }
    const created = await createToken(trx, input, acting.now);
    await appendAudit(trx, {
      id: randomUUID(),
      workspaceId: input.workspaceId,
      at: acting.now,
      actor: acting.actor,
      action: 'token.create',
      subject: created.id,
      changes: {
        token: { before: null, after: { name: input.name, role: input.role, loginEmail: input.loginEmail } },
      },
    });
    return { ok: true, value: created } as const;
  });
}

/** Revokes an active token by its id; not-found when there is none (or it is revoked already). */
export async function revokeApiToken(store: Store, id: string, acting: Acting): Promise<Done<null>> {
  return store.db.transaction().execute(async (trx) => {
    const workspaceId = await workspaceOfToken(trx, id);
    if (workspaceId === null || !(await revokeToken(trx, id, acting.now)))
      return { ok: false, code: 'not-found', message: `No active token ${id}.` } as const;
    await appendAudit(trx, {
      id: randomUUID(),
      workspaceId,
      at: acting.now,
      actor: acting.actor,
      action: 'token.revoke',
      subject: id,
      changes: { revokedAt: { before: null, after: acting.now.toISOString() } },
    });
    return { ok: true, value: null } as const;
  });
}
