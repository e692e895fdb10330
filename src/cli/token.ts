// `touchmail token create|list|revoke`: API tokens of a workspace (shown once, stored as a digest).
import { normalizeEmail } from '../domain/address.js';
import { createApiToken, revokeApiToken } from '../app/api-tokens.js';
import { listTokens, type TokenRole } from '../store/token-repository.js';
import { workspaceExists } from '../store/workspace-repository.js';
import type { CommandContext } from './context.js';

export async function tokenCreateCommand(
  { store }: CommandContext,
  options: { workspace: string; role: string; name?: string; login?: string },
): Promise<number> {
  if (options.role !== 'admin' && options.role !== 'member' && options.role !== 'intake') {
    process.stderr.write(`touchmail token create: --role must be admin, member or intake\n`);
    return 1;
  }
  const role: TokenRole = options.role;
  if (!(await workspaceExists(store.db, options.workspace))) {
    process.stderr.write(`touchmail token create: no workspace ${options.workspace}\n`);
    return 1;
  }
  const login = options.login === undefined ? null : normalizeEmail(options.login);
  if (options.login !== undefined && login === null) {
    process.stderr.write(`touchmail token create: --login ${options.login} is not an email address\n`);
    return 1;
  }
  const result = await createApiToken(
    store,
    { workspaceId: options.workspace, name: options.name ?? `${role} token`, role, loginEmail: login },
    { actor: 'cli', now: new Date() },
  );
  if (!result.ok) {
    process.stderr.write(
      `touchmail token create: --login: no active login ${login ?? ''} in ${options.workspace}\n`,
    );
    return 1;
  }
  const { id, token } = result.value;
  process.stdout.write(`${token}\n`);
  process.stderr.write(
    `Token ${id} (${role}) for workspace ${options.workspace}. It is shown only now; keep it secret.\n`,
  );
  return 0;
}

export async function tokenRevokeCommand({ store }: CommandContext, id: string): Promise<number> {
  if ((await revokeApiToken(store, id, { actor: 'cli', now: new Date() })).ok) {
    process.stdout.write(`Token ${id} revoked.\n`);
    return 0;
  }
  process.stderr.write(`touchmail token revoke: no active token ${id}\n`);
  return 1;
}

/** Tokens listed at most (a workspace has a handful; the API pages beyond). */
const LIST_LIMIT = 1000;

export async function tokenListCommand(
  { store }: CommandContext,
  options: { workspace: string; revoked?: boolean },
): Promise<number> {
  const tokens = await listTokens(store.db, options.workspace, {
    limit: LIST_LIMIT,
    includeRevoked: options.revoked === true,
  });
  for (const t of tokens) {
    const state = t.revokedAt === null ? 'active' : `revoked ${t.revokedAt.toISOString()}`;
    process.stdout.write(
      `${t.id}\t${t.role}\t${t.loginEmail ?? '-'}\t${t.createdAt.toISOString()}\t${state}\t${t.name}\n`,
    );
  }
  if (tokens.length === 0) process.stderr.write(`No tokens in workspace ${options.workspace}.\n`);
  return 0;
}
