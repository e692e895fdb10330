// Workspaces and their team members, mapped to what the rules need (WorkspaceContext, Login).
import type { Email } from '../domain/address.js';
import type { Login, SenderAuthPolicy, WorkspaceContext } from '../domain/workspace.js';
import { parseStringList } from './json-columns.js';
import type { Executor } from './schema.js';

/** The workspace whose touchpoint address this is, or null. */
export async function workspaceIdByTouchpointAddress(db: Executor, address: Email): Promise<string | null> {
  const row = await db
    .selectFrom('touchpoint_addresses')
    .select('workspace_id')
    .where('address', '=', address)
    .executeTakeFirst();
  return row?.workspace_id ?? null;
}

/** Whether a workspace with this id exists. */
export async function workspaceExists(db: Executor, workspaceId: string): Promise<boolean> {
  const row = await db.selectFrom('workspaces').select('id').where('id', '=', workspaceId).executeTakeFirst();
  return row !== undefined;
}

export async function loadWorkspaceContext(
  db: Executor,
  workspaceId: string,
): Promise<WorkspaceContext | null> {
  const ws = await db.selectFrom('workspaces').selectAll().where('id', '=', workspaceId).executeTakeFirst();
  if (ws === undefined) return null;
  const [addresses, domains] = await Promise.all([
    // Every workspace's addresses, not only this one's (SPEC §4: R is To/Cc minus every touchpoint
    // address). One short row per address, read once per batch (Lookups).
    db.selectFrom('touchpoint_addresses').select('address').execute(),
    db
      .selectFrom('internal_domains')
      .select('domain')
      .where('workspace_id', '=', workspaceId)
      .orderBy('domain')
      .execute(),
  ]);
  return {
    id: ws.id,
    everyTouchpointAddress: new Set(addresses.map((a) => a.address as Email)),
    internalDomains: domains.map((d) => d.domain),
    defaultFlow: ws.default_flow,
    defaultReason: ws.default_reason,
    senderAuthPolicy: toPolicy(ws.sender_auth_policy),
    trustedAuthservIds: parseStringList(ws.trusted_authserv_ids),
    neverLog: parseStringList(ws.never_log),
    storage: ws.storage === 'no-body' ? 'no-body' : 'full',
  };
}

/** The login an address belongs to, as its own address or an alias; inactive logins included. */
export async function findLoginByAddress(
  db: Executor,
  workspaceId: string,
  address: Email,
): Promise<Login | null> {
  const alias = await db
    .selectFrom('login_aliases')
    .select('login_email')
    .where('workspace_id', '=', workspaceId)
    .where('address', '=', address)
    .executeTakeFirst();
  const email = alias?.login_email ?? address;
  const login = await db
    .selectFrom('logins')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('email', '=', email)
    .executeTakeFirst();
  if (login === undefined) return null;
  const aliases = await db
    .selectFrom('login_aliases')
    .select('address')
    .where('workspace_id', '=', workspaceId)
    .where('login_email', '=', email)
    .orderBy('address')
    .execute();
  return {
    email: login.email as Email,
    name: login.name,
    role: login.role === 'admin' ? 'admin' : 'member',
    active: login.active === 1,
    aliases: aliases.map((a) => a.address as Email),
  };
}

function toPolicy(value: string): SenderAuthPolicy {
  return value === 'off' || value === 'strict' ? value : 'dmarc';
}

/**
 * Holds the workspace's row until the caller's transaction ends: other transactions that take it wait.
 * A write that changes nothing takes the lock on both engines — PostgreSQL a row lock, SQLite its one
 * writer's lock (before anything is read, so the waiter then reads what the first one committed) — so
 * a rule over several rows of the workspace (its last active admin) holds under concurrency, where a
 * count at READ COMMITTED alone would let two transactions each see the other's row as it was.
 */
export async function lockWorkspace(trx: Executor, workspaceId: string): Promise<void> {
  await trx
    .updateTable('workspaces')
    .set((eb) => ({ id: eb.ref('id') }))
    .where('id', '=', workspaceId)
    .execute();
}
