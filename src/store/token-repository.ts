// API tokens: created once (the secret is shown once and stored as a digest), looked up, revoked.
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

/** The principal a presented token stands for, or null (unknown or revoked). */
export async function findToken(db: Executor, token: string): Promise<TokenPrincipal | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('digest', '=', digestOf(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined) return null;
  const role: TokenRole = row.role === 'admin' || row.role === 'intake' ? row.role : 'member';
  return { tokenId: row.id, workspaceId: row.workspace_id, role, loginEmail: row.login_email };
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
