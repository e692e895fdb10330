// API tokens: created once (the secret is shown once and stored as a digest), looked up (bound to their
// login), listed, revoked.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Executor } from './schema.js';

export type TokenRole = 'admin' | 'member' | 'intake';

export interface TokenPrincipal {
  readonly tokenId: string;
  readonly workspaceId: string;
  readonly role: TokenRole;
  readonly loginEmail: string | null;
}

/** Tokens look like `tm_` + 43 base64url characters (256 random bits). */
const TOKEN_PREFIX = 'tm_';

export function digestOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createToken(
  db: Executor,
  input: { workspaceId: string; name: string; role: TokenRole; loginEmail: string | null },
  now: Date,
): Promise<{ id: string; token: string }> {
  const id = randomUUID();
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  await db
    .insertInto('api_tokens')
    .values({
      id,
      workspace_id: input.workspaceId,
      digest: digestOf(token),
      name: input.name,
      role: input.role,
      login_email: input.loginEmail,
      created_at: now.toISOString(),
      revoked_at: null,
    })
    .execute();
  return { id, token };
}

/**
 * The principal a presented token stands for, or null (unknown or revoked, or its login is gone or
 * inactive: a token of a login is bound to it). An admin token of a login that is no longer an admin
 * acts as a member: a demoted login loses rights at once.
 */
export async function findToken(db: Executor, token: string): Promise<TokenPrincipal | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const row = await db
    .selectFrom('api_tokens')
    .leftJoin('logins', (join) =>
      join
        .onRef('logins.workspace_id', '=', 'api_tokens.workspace_id')
        .onRef('logins.email', '=', 'api_tokens.login_email'),
    )
    .select([
      'api_tokens.id',
      'api_tokens.workspace_id',
      'api_tokens.role',
      'api_tokens.login_email',
      'logins.role as login_role',
      'logins.active as login_active',
    ])
    .where('api_tokens.digest', '=', digestOf(token))
    .where('api_tokens.revoked_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined) return null;
  if (row.login_email !== null && row.login_active !== 1) return null;
  let role: TokenRole = toRole(row.role);
  if (role === 'admin' && row.login_email !== null && row.login_role !== 'admin') role = 'member';
  return { tokenId: row.id, workspaceId: row.workspace_id, role, loginEmail: row.login_email };
}

function toRole(value: string): TokenRole {
  return value === 'admin' || value === 'intake' ? value : 'member';
}

export interface TokenInfo {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly role: TokenRole;
  readonly loginEmail: string | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

function toInfo(row: {
  id: string;
  workspace_id: string;
  name: string;
  role: string;
  login_email: string | null;
  created_at: string;
  revoked_at: string | null;
}): TokenInfo {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    role: toRole(row.role),
    loginEmail: row.login_email,
    createdAt: new Date(row.created_at),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
  };
}

/** Tokens of a workspace (of one login when given), oldest first, after the id `after` when given. */
export async function listTokens(
  db: Executor,
  workspaceId: string,
  options: { limit: number; loginEmail?: string; includeRevoked?: boolean; after?: string },
): Promise<TokenInfo[]> {
  let query = db.selectFrom('api_tokens').selectAll().where('workspace_id', '=', workspaceId);
  if (options.loginEmail !== undefined) query = query.where('login_email', '=', options.loginEmail);
  if (options.includeRevoked !== true) query = query.where('revoked_at', 'is', null);
  if (options.after !== undefined) query = query.where('id', '>', options.after);
  const rows = await query.orderBy('id').limit(options.limit).execute();
  return rows.map(toInfo);
}

export async function getToken(db: Executor, workspaceId: string, id: string): Promise<TokenInfo | null> {
  const row = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? null : toInfo(row);
}

/** Revokes every token of a login (it was deactivated or deleted). */
export async function revokeTokensOfLogin(
  db: Executor,
  login: { workspaceId: string; email: string },
  now: Date,
): Promise<number> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now.toISOString() })
    .where('workspace_id', '=', login.workspaceId)
    .where('login_email', '=', login.email)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function revokeToken(db: Executor, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The workspace a token (revoked or not) belongs to, or null when there is no such token. */
export async function workspaceOfToken(db: Executor, id: string): Promise<string | null> {
  const row = await db
    .selectFrom('api_tokens')
    .select('workspace_id')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.workspace_id ?? null;
}
