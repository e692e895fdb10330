// Invitations: a one-time link that lets a login set its password (issue 18). The token is shown once
// (in the link) and stored only as its SHA-256 digest, like API tokens and session cookies.
import { randomBytes } from 'node:crypto';
import { digestOf } from './token-repository.js';
import type { Executor } from './schema.js';

/** An invitation link works this long (72 hours), then the admin invites again. */
export const INVITATION_LIFETIME_MS = 72 * 60 * 60 * 1000;

export async function createInvitation(
  db: Executor,
  input: { workspaceId: string; loginEmail: string },
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + INVITATION_LIFETIME_MS);
  await db
    .insertInto('invitations')
    .values({
      id: digestOf(token),
      workspace_id: input.workspaceId,
      login_email: input.loginEmail,
      created_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
      used_at: null,
    })
    .execute();
  return { token, expiresAt };
}

/**
 * Marks the invitation of a token used, once: the login it names when it was unused and unexpired,
 * else null. The update's own condition makes two acceptances at once use it only once.
 */
export async function useInvitation(
  db: Executor,
  token: string,
  now: Date,
): Promise<{ workspaceId: string; loginEmail: string; createdAt: Date } | null> {
  if (token === '' || token.length > 200) return null;
  const row = await db
    .updateTable('invitations')
    .set({ used_at: now.toISOString() })
    .where('id', '=', digestOf(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .returning(['workspace_id', 'login_email', 'created_at'])
    .executeTakeFirst();
  return row === undefined
    ? null
    : { workspaceId: row.workspace_id, loginEmail: row.login_email, createdAt: new Date(row.created_at) };
}
