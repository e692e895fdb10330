// Sign-in sessions of the web UI: created at sign-in, found by the cookie (stored as a digest), slid
// forward on use, revoked on sign-out, password change and deactivation (with the login's tokens).
import { randomBytes } from 'node:crypto';
import { digestOf } from './token-repository.js';
import type { Executor } from './schema.js';

/** A session ends after this long without use … */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** … and at the latest this long after sign-in, however active (then the login signs in again). */
export const SESSION_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so reading pages does not write on every request. */
const TOUCH_EVERY_MS = 60 * 1000;

export interface SessionPrincipal {
  /** The stored id (the digest), never the cookie value. */
  readonly sessionId: string;
  readonly workspaceId: string;
  readonly loginEmail: string;
  /** The login's current role: a demoted login loses rights at once. */
  readonly role: 'admin' | 'member';
  readonly name: string;
  readonly csrfToken: string;
}

export async function createSession(
  db: Executor,
  input: { workspaceId: string; loginEmail: string },
  now: Date,
): Promise<{ cookie: string; csrfToken: string; expiresAt: Date }> {
  const cookie = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  await db
    .insertInto('sessions')
    .values({
      id: digestOf(cookie),
      workspace_id: input.workspaceId,
      login_email: input.loginEmail,
      csrf_secret: csrfToken,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
      revoked_at: null,
    })
    .execute();
  return { cookie, csrfToken, expiresAt };
}

/** The session of a cookie when it is live and its login active; slides its expiry forward. */
export async function findSession(db: Executor, cookie: string, now: Date): Promise<SessionPrincipal | null> {
  if (cookie === '' || cookie.length > 200) return null;
  const row = await db
    .selectFrom('sessions')
    .innerJoin('logins', (join) =>
      join
        .onRef('logins.workspace_id', '=', 'sessions.workspace_id')
        .onRef('logins.email', '=', 'sessions.login_email'),
    )
    .select([
      'sessions.id',
      'sessions.workspace_id',
      'sessions.login_email',
      'sessions.csrf_secret',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'logins.role',
      'logins.name',
    ])
    .where('sessions.id', '=', digestOf(cookie))
    .where('sessions.revoked_at', 'is', null)
    .where('logins.active', '=', 1)
    .executeTakeFirst();
  if (row === undefined || Date.parse(row.expires_at) <= now.getTime()) return null;
  if (now.getTime() - Date.parse(row.last_seen_at) >= TOUCH_EVERY_MS) {
    const until = Math.min(now.getTime() + SESSION_IDLE_MS, Date.parse(row.created_at) + SESSION_LIFETIME_MS);
    await db
      .updateTable('sessions')
      .set({ last_seen_at: now.toISOString(), expires_at: new Date(until).toISOString() })
      .where('id', '=', row.id)
      .execute();
  }
  return {
    sessionId: row.id,
    workspaceId: row.workspace_id,
    loginEmail: row.login_email,
    role: row.role === 'admin' ? 'admin' : 'member',
    name: row.name,
    csrfToken: row.csrf_secret,
  };
}

export async function revokeSession(db: Executor, sessionId: string, now: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Ends every session of a login but `keep` (the one changing its own password stays signed in). */
export async function revokeSessionsOfLogin(
  db: Executor,
  login: { workspaceId: string; email: string },
  now: Date,
  keep: string | null = null,
): Promise<number> {
  let query = db
    .updateTable('sessions')
    .set({ revoked_at: now.toISOString() })
    .where('workspace_id', '=', login.workspaceId)
    .where('login_email', '=', login.email)
    .where('revoked_at', 'is', null);
  if (keep !== null) query = query.where('id', '!=', keep);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
