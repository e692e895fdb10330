// The directory as the account rules read it (DirectoryPort of src/domain/resolve-account.ts), over the
// indexes of migration 0001: users by email, memberships by user, users by domain, touchpoints by author.
import type { Email } from '../domain/address.js';
import type { DirectoryPort, DirectoryUser, UserAccount } from '../domain/resolve-account.js';
import type { Executor } from './schema.js';

/** Ids per `IN (…)` list: within every engine's bind-parameter limit. */
const IN_CHUNK = 500;

export function sqlDirectory(db: Executor, workspaceId: string): DirectoryPort {
  return {
    async usersByEmail(email) {
      const rows = await db
        .selectFrom('users')
        .select(['id', 'email', 'name'])
        .where('workspace_id', '=', workspaceId)
        .where('email', '=', email)
        .orderBy('id')
        .execute();
      return rows.map((r): DirectoryUser => ({ id: r.id, email: (r.email ?? email) as Email, name: r.name }));
    },

    async accountsOfUser(userId) {
      const rows = await db
        .selectFrom('memberships as m')
        .innerJoin('accounts as a', (join) =>
          join.onRef('a.workspace_id', '=', 'm.workspace_id').onRef('a.id', '=', 'm.account_id'),
        )
        .select(['m.account_id', 'm.associated_at', 'a.default_bcc'])
        .where('m.workspace_id', '=', workspaceId)
        .where('m.user_id', '=', userId)
        .orderBy('m.account_id')
        .execute();
      return rows.map((r): UserAccount => ({
        accountId: r.account_id,
        associatedAt: r.associated_at,
        defaultBcc: r.default_bcc === 1,
      }));
    },

    async accountsWithUsersAtDomains(domains) {
      if (domains.length === 0) return [];
      const rows = await db
        .selectFrom('users as u')
        .innerJoin('memberships as m', (join) =>
          join.onRef('m.workspace_id', '=', 'u.workspace_id').onRef('m.user_id', '=', 'u.id'),
        )
        .select('m.account_id')
        .distinct()
        .where('u.workspace_id', '=', workspaceId)
        .where('u.email_domain', 'in', domains)
        .orderBy('m.account_id')
        .execute();
      return rows.map((r) => r.account_id);
    },

    async accountsAuthoredBy(authors, accountIds) {
      if (authors.length === 0) return [];
      return inChunks(accountIds, async (chunk) => {
        const rows = await db
          .selectFrom('touchpoints')
          .select('account_id')
          .distinct()
          .where('workspace_id', '=', workspaceId)
          .where('author_email', 'in', authors)
          .where('account_id', 'in', chunk)
          .execute();
        return rows.map((r) => r.account_id);
      });
    },

    async accountsWithTouchpointsFromDomainSince(domain, since, accountIds) {
      return inChunks(accountIds, async (chunk) => {
        const rows = await db
          .selectFrom('touchpoints')
          .select('account_id')
          .distinct()
          .where('workspace_id', '=', workspaceId)
          .where('author_domain', '=', domain)
          .where('occurred_at', '>=', since.toISOString())
          .where('account_id', 'in', chunk)
          .execute();
        return rows.map((r) => r.account_id);
      });
    },
  };
}

/** Runs a lookup over `ids` in chunks and returns the matches in the order of `ids`. */
async function inChunks(
  ids: readonly string[],
  lookup: (chunk: string[]) => Promise<string[]>,
): Promise<string[]> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += IN_CHUNK)
    for (const id of await lookup(ids.slice(i, i + IN_CHUNK))) found.add(id);
  return ids.filter((id) => found.has(id));
}
