// Login users (team members, SPEC §1) as the API manages them: listed with search and paging, created,
// changed, deleted; their aliases; their password hashes (never returned to callers but sign-in).
import { sql } from 'kysely';
import type { Executor } from './schema.js';

export type LoginRole = 'admin' | 'member';

export interface LoginRecord {
  readonly workspaceId: string;
  readonly email: string;
  readonly name: string;
  readonly role: LoginRole;
  readonly active: boolean;
  readonly aliases: readonly string[];
  readonly hasPassword: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface LoginRow {
  workspace_id: string;
  email: string;
  name: string;
  role: string;
  active: number;
  password_hash: string | null;
  created_at: string;
  updated_at: string;
}

const toRole = (value: string): LoginRole => (value === 'admin' ? 'admin' : 'member');

async function withAliases(db: Executor, rows: readonly LoginRow[]): Promise<LoginRecord[]> {
  const first = rows[0];
  if (first === undefined) return [];
  const aliases = await db
    .selectFrom('login_aliases')
    .select(['login_email', 'address'])
    .where('workspace_id', '=', first.workspace_id)
    .where(
      'login_email',
      'in',
      rows.map((r) => r.email),
    )
    .orderBy('address')
    .execute();
  return rows.map((row) => ({
    workspaceId: row.workspace_id,
    email: row.email,
    name: row.name,
    role: toRole(row.role),
    active: row.active === 1,
    aliases: aliases.filter((a) => a.login_email === row.email).map((a) => a.address),
    hasPassword: row.password_hash !== null,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  }));
}

/** `%`, `_` and the escape character itself match literally in a LIKE pattern. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Logins of a workspace by email, after the email `after`; `q` searches email and name (any case). */
export async function listLogins(
  db: Executor,
  workspaceId: string,
  options: { limit: number; after?: string; q?: string; role?: LoginRole; active?: boolean },
): Promise<LoginRecord[]> {
  let query = db
    .selectFrom('logins')
    .select(['workspace_id', 'email', 'name', 'role', 'active', 'password_hash', 'created_at', 'updated_at'])
    .where('workspace_id', '=', workspaceId);
  if (options.after !== undefined) query = query.where('email', '>', options.after);
  if (options.role !== undefined) query = query.where('role', '=', options.role);
  if (options.active !== undefined) query = query.where('active', '=', options.active ? 1 : 0);
  const q = options.q;
  if (q !== undefined && q !== '') {
    const pattern = likePattern(q);
    query = query.where((eb) =>
      eb.or([
        eb(sql<string>`lower(email)`, 'like', sql<string>`${pattern} escape '\\'`),
        eb(sql<string>`lower(name)`, 'like', sql<string>`${pattern} escape '\\'`),
      ]),
    );
  }
  const rows = await query.orderBy('email').limit(options.limit).execute();
  return withAliases(db, rows);
}

export async function getLogin(
  db: Executor,
  workspaceId: string,
  email: string,
): Promise<LoginRecord | null> {
  const row = await db
    .selectFrom('logins')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('email', '=', email)
    .executeTakeFirst();
  if (row === undefined) return null;
  const [login] = await withAliases(db, [row]);
  return login ?? null;
}

/** The login that owns `address` (as its email or an alias) in the workspace, other than `except`. */
export async function ownerOfAddress(
  db: Executor,
  workspaceId: string,
  address: string,
  except: string | null,
): Promise<string | null> {
  const asLogin = await db
    .selectFrom('logins')
    .select('email')
    .where('workspace_id', '=', workspaceId)
    .where('email', '=', address)
    .executeTakeFirst();
  if (asLogin !== undefined && asLogin.email !== except) return asLogin.email;
  const asAlias = await db
    .selectFrom('login_aliases')
    .select('login_email')
    .where('workspace_id', '=', workspaceId)
    .where('address', '=', address)
    .executeTakeFirst();
  if (asAlias !== undefined && asAlias.login_email !== except) return asAlias.login_email;
  return null;
}

export async function insertLogin(
  db: Executor,
  login: { workspaceId: string; email: string; name: string; role: LoginRole; active: boolean },
  now: Date,
): Promise<void> {
  await db
    .insertInto('logins')
    .values({
      workspace_id: login.workspaceId,
      email: login.email,
      name: login.name,
      role: login.role,
      active: login.active ? 1 : 0,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .execute();
}

export async function updateLogin(
  db: Executor,
  key: { workspaceId: string; email: string },
  change: { name?: string; role?: LoginRole; active?: boolean },
  now: Date,
): Promise<void> {
  await db
    .updateTable('logins')
    .set({
      ...(change.name === undefined ? {} : { name: change.name }),
      ...(change.role === undefined ? {} : { role: change.role }),
      ...(change.active === undefined ? {} : { active: change.active ? 1 : 0 }),
      updated_at: now.toISOString(),
    })
    .where('workspace_id', '=', key.workspaceId)
    .where('email', '=', key.email)
    .execute();
}

/** Replaces a login's aliases. */
export async function replaceAliases(
  db: Executor,
  key: { workspaceId: string; email: string },
  aliases: readonly string[],
): Promise<void> {
  await db
    .deleteFrom('login_aliases')
    .where('workspace_id', '=', key.workspaceId)
    .where('login_email', '=', key.email)
    .execute();
  const unique = [...new Set(aliases)];
  if (unique.length > 0)
    await db
      .insertInto('login_aliases')
      .values(unique.map((address) => ({ workspace_id: key.workspaceId, address, login_email: key.email })))
      .execute();
}

export async function deleteLogin(db: Executor, key: { workspaceId: string; email: string }): Promise<void> {
  await replaceAliases(db, key, []);
  await db
    .deleteFrom('logins')
    .where('workspace_id', '=', key.workspaceId)
    .where('email', '=', key.email)
    .execute();
}

/** True when the login authored touchpoints (the tie-break rules read them: SPEC §5 C1). */
export async function hasAuthoredTouchpoints(
  db: Executor,
  key: { workspaceId: string; email: string },
): Promise<boolean> {
  const row = await db
    .selectFrom('touchpoints')
    .select('id')
    .where('workspace_id', '=', key.workspaceId)
    .where('author_email', '=', key.email)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Active admins of a workspace other than `except`: the last one may not be removed or demoted. */
export async function countOtherActiveAdmins(
  db: Executor,
  workspaceId: string,
  /** A login not to count (the one being changed), or null to count every active admin. */
  except: string | null,
): Promise<number> {
  let query = db
    .selectFrom('logins')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'admin')
    .where('active', '=', 1);
  if (except !== null) query = query.where('email', '!=', except);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setPasswordHash(
  db: Executor,
  key: { workspaceId: string; email: string },
  hash: string | null,
  now: Date,
): Promise<void> {
  await db
    .updateTable('logins')
    .set({ password_hash: hash, updated_at: now.toISOString() })
    .where('workspace_id', '=', key.workspaceId)
    .where('email', '=', key.email)
    .execute();
}

export async function getPasswordHash(
  db: Executor,
  key: { workspaceId: string; email: string },
): Promise<string | null> {
  const row = await db
    .selectFrom('logins')
    .select('password_hash')
    .where('workspace_id', '=', key.workspaceId)
    .where('email', '=', key.email)
    .executeTakeFirst();
  return row?.password_hash ?? null;
}

/** The active logins with a password that this email signs in as, across workspaces (sign-in). */
export async function signInCandidates(
  db: Executor,
  email: string,
): Promise<{ workspaceId: string; email: string; name: string; role: LoginRole; passwordHash: string }[]> {
  const rows = await db
    .selectFrom('logins')
    .select(['workspace_id', 'email', 'name', 'role', 'password_hash'])
    .where('email', '=', email)
    .where('active', '=', 1)
    .where('password_hash', 'is not', null)
    .orderBy('workspace_id')
    .limit(100)
    .execute();
  return rows.flatMap((r) =>
    r.password_hash === null
      ? []
      : [
          {
            workspaceId: r.workspace_id,
            email: r.email,
            name: r.name,
            role: toRole(r.role),
            passwordHash: r.password_hash,
          },
        ],
  );
}
