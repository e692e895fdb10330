// Writes a validated workspace document in one transaction: an idempotent upsert of every record, or
// nothing at all when a reference does not resolve.
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DocumentProblem, WorkspaceDocument } from '../app/workspace-document.js';
import { isDefaultBcc, mergeAttributes } from '../domain/account-attributes.js';
import { findParentCycle } from '../domain/account-hierarchy.js';
import { domainOf, type Email } from '../domain/address.js';
import { searchTextOf } from '../domain/search-text.js';
import { addressOfAnotherWorkspace } from '../domain/workspace.js';
import { accountsOfTouchpoints, recountAccountHealth } from './account-health-repository.js';
import type { StoreCapabilities } from './capabilities.js';
import { chunks, MAX_ROWS_PER_STATEMENT } from './chunks.js';
import { parseAttributes } from './directory-records.js';
import { parseStringList } from './json-columns.js';
import { countOtherActiveAdmins } from './login-repository.js';
import type { Database } from './schema.js';
import { addressesOfOtherWorkspaces } from './settings-repository.js';

export interface ImportSummary {
  readonly workspaceId: string;
  readonly created: boolean;
  readonly logins: number;
  readonly accounts: number;
  readonly users: number;
  readonly memberships: number;
  readonly touchpoints: number;
}

/** Reports progress of the bulk phases: how many rows of `total` are written. */
export type ImportProgress = (phase: string, done: number, total: number) => void;

/** Thrown (rolling the transaction back) when the document refers to records that do not exist. */
export class ImportRejected extends Error {
  constructor(readonly problems: readonly DocumentProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
    this.name = 'ImportRejected';
  }
}

export async function importWorkspaceDocument(
  db: Kysely<Database>,
  capabilities: StoreCapabilities,
  doc: WorkspaceDocument,
  now: Date,
  progress: ImportProgress = () => undefined,
  /** Runs last in the import's transaction (the audit entry): all or nothing with the import. */
  andThen: (trx: Transaction<Database>, summary: ImportSummary) => Promise<void> = () => Promise.resolve(),
): Promise<ImportSummary> {
  const at = now.toISOString();
  const wsId = doc.workspace.id;
  const bulk = async <T>(
    phase: string,
    rows: readonly T[],
    columns: number,
    write: (chunk: T[]) => Promise<unknown>,
  ) => {
    let done = 0;
    progress(phase, 0, rows.length);
    for (const chunk of chunks(rows, columns, capabilities)) {
      await write(chunk);
      done += chunk.length;
      progress(phase, done, rows.length);
    }
  };

  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('workspaces').selectAll().where('id', '=', wsId).executeTakeFirst();
    const problems = await findReferenceProblems(trx, doc);
    if (problems.length > 0) throw new ImportRejected(problems);

    const ws = doc.workspace;
    await trx
      .insertInto('workspaces')
      .values({
        id: wsId,
        name: ws.name ?? existing?.name ?? wsId,
        default_flow: ws.defaultFlow ?? existing?.default_flow ?? 'Default',
        default_reason:
          ws.defaultReason !== undefined ? ws.defaultReason : (existing?.default_reason ?? null),
        sender_auth_policy: ws.senderAuthPolicy ?? existing?.sender_auth_policy ?? 'dmarc',
        trusted_authserv_ids: JSON.stringify(
          ws.trustedAuthservIds ?? parseStringList(existing?.trusted_authserv_ids),
        ),
        never_log: JSON.stringify(ws.neverLog ?? parseStringList(existing?.never_log)),
        storage: ws.storage ?? existing?.storage ?? 'full',
        raw_retention_days:
          ws.rawRetentionDays !== undefined ? ws.rawRetentionDays : (existing?.raw_retention_days ?? null),
        inbound_retention_days:
          ws.inboundRetentionDays !== undefined
            ? ws.inboundRetentionDays
            : (existing?.inbound_retention_days ?? null),
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          default_flow: eb.ref('excluded.default_flow'),
          default_reason: eb.ref('excluded.default_reason'),
          sender_auth_policy: eb.ref('excluded.sender_auth_policy'),
          trusted_authserv_ids: eb.ref('excluded.trusted_authserv_ids'),
          never_log: eb.ref('excluded.never_log'),
          storage: eb.ref('excluded.storage'),
          raw_retention_days: eb.ref('excluded.raw_retention_days'),
          inbound_retention_days: eb.ref('excluded.inbound_retention_days'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();

    if (ws.touchpointAddresses !== undefined) {
      await trx.deleteFrom('touchpoint_addresses').where('workspace_id', '=', wsId).execute();
      const addresses = [...new Set(ws.touchpointAddresses)];
      if (addresses.length > 0) {
        await trx
          .insertInto('touchpoint_addresses')
          .values(addresses.map((address) => ({ address, workspace_id: wsId })))
          .execute();
      }
    }
    if (ws.internalDomains !== undefined) {
      await trx.deleteFrom('internal_domains').where('workspace_id', '=', wsId).execute();
      const domains = [...new Set(ws.internalDomains)];
      if (domains.length > 0) {
        await trx
          .insertInto('internal_domains')
          .values(domains.map((domain) => ({ workspace_id: wsId, domain })))
          .execute();
      }
    }

    // A field the document leaves out keeps the stored value; a new record gets the default. Each chunk
    // reads the stored rows it touches first (one `IN` query) and writes the merged rows.
    const storedBy = async <R>(read: () => Promise<R[]>, key: (row: R) => string) =>
      // A new workspace has nothing stored: its first (bulk) import skips the reads.
      new Map(existing === undefined ? [] : (await read()).map((row) => [key(row), row]));
    const adminsBefore = doc.logins.length > 0 ? await countOtherActiveAdmins(trx, wsId, null) : 0;
    const unmadeAdmins: string[] = [];
    await bulk('logins', doc.logins, 7, async (chunk) => {
      const stored = await storedBy(
        () =>
          trx
            .selectFrom('logins')
            .select(['email', 'name', 'role', 'active'])
            .where('workspace_id', '=', wsId)
            .where(
              'email',
              'in',
              chunk.map((l) => l.email),
            )
            .execute(),
        (r) => r.email,
      );
      await trx
        .insertInto('logins')
        .values(
          chunk.map((l) => {
            const s = stored.get(l.email);
            const role = l.role ?? s?.role ?? 'member';
            const active = l.active === undefined ? (s?.active ?? 1) : l.active ? 1 : 0;
            if (s?.role === 'admin' && s.active === 1 && (role !== 'admin' || active !== 1))
              unmadeAdmins.push(l.email);
            return {
              workspace_id: wsId,
              email: l.email,
              name: l.name ?? s?.name ?? '',
              role,
              active,
              created_at: at,
              updated_at: at,
            };
          }),
        )
        .onConflict((oc) =>
          oc.columns(['workspace_id', 'email']).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            role: eb.ref('excluded.role'),
            active: eb.ref('excluded.active'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
      // A login's aliases are replaced by the document's list, when it gives one.
      const replaced = chunk.filter((l) => l.aliases !== undefined);
      if (replaced.length === 0) return;
      await trx
        .deleteFrom('login_aliases')
        .where('workspace_id', '=', wsId)
        .where(
          'login_email',
          'in',
          replaced.map((l) => l.email),
        )
        .execute();
      const aliases = replaced.flatMap((l) =>
        [...new Set(l.aliases)].map((address) => ({ workspace_id: wsId, address, login_email: l.email })),
      );
      if (aliases.length > 0) await trx.insertInto('login_aliases').values(aliases).execute();
    });
    // The last-admin guard of the login use-cases (login-users.ts) holds for imports too: a workspace
    // that has an active admin keeps one, or nobody could administer it from the UI or the API.
    if (adminsBefore > 0 && (await countOtherActiveAdmins(trx, wsId, null)) === 0) {
      throw new ImportRejected(
        unmadeAdmins.map((email) => ({
          path: `logins[${doc.logins.findIndex((l) => l.email === email)}]`,
          message: `${email} is the workspace's last active admin: make another login an active admin in the same document first.`,
        })),
      );
    }

    await bulk('accounts', doc.accounts, 9, async (chunk) => {
      const stored = await storedBy(
        () =>
          trx
            .selectFrom('accounts')
            .select(['id', 'name', 'parent_id', 'attributes'])
            .where('workspace_id', '=', wsId)
            .where(
              'id',
              'in',
              chunk.map((a) => a.id),
            )
            .execute(),
        (r) => r.id,
      );
      await trx
        .insertInto('accounts')
        .values(
          chunk.map((a) => {
            const s = stored.get(a.id);
            const name = a.name ?? s?.name ?? a.id;
            const current = s === undefined ? {} : parseAttributes(s.attributes);
            const attributes = a.attributes === undefined ? current : mergeAttributes(current, a.attributes);
            return {
              workspace_id: wsId,
              id: a.id,
              name,
              parent_id: a.parentId !== undefined ? a.parentId : (s?.parent_id ?? null),
              attributes: JSON.stringify(attributes),
              default_bcc: isDefaultBcc(attributes) ? 1 : 0,
              search_text: searchTextOf([a.id, name]),
              created_at: at,
              updated_at: at,
            };
          }),
        )
        .onConflict((oc) =>
          oc.columns(['workspace_id', 'id']).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            parent_id: eb.ref('excluded.parent_id'),
            attributes: eb.ref('excluded.attributes'),
            default_bcc: eb.ref('excluded.default_bcc'),
            search_text: eb.ref('excluded.search_text'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    });
    await refuseParentCycle(trx, doc);

    await bulk('users', doc.users, 8, async (chunk) => {
      const stored = await storedBy(
        () =>
          trx
            .selectFrom('users')
            .select(['id', 'email', 'email_domain', 'name'])
            .where('workspace_id', '=', wsId)
            .where(
              'id',
              'in',
              chunk.map((u) => u.id),
            )
            .execute(),
        (r) => r.id,
      );
      await trx
        .insertInto('users')
        .values(
          chunk.map((u) => {
            const s = stored.get(u.id);
            const email = u.email !== undefined ? u.email : (s?.email ?? null);
            const name = u.name ?? s?.name ?? '';
            return {
              workspace_id: wsId,
              id: u.id,
              email,
              email_domain:
                u.email === undefined
                  ? (s?.email_domain ?? null)
                  : u.email === null
                    ? null
                    : domainOf(u.email),
              name,
              search_text: searchTextOf([u.id, email, name]),
              created_at: at,
              updated_at: at,
            };
          }),
        )
        .onConflict((oc) =>
          oc.columns(['workspace_id', 'id']).doUpdateSet((eb) => ({
            email: eb.ref('excluded.email'),
            email_domain: eb.ref('excluded.email_domain'),
            name: eb.ref('excluded.name'),
            search_text: eb.ref('excluded.search_text'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    });

    await bulk('memberships', doc.memberships, 5, async (chunk) => {
      const key = (userId: string, accountId: string) => `${userId}\u0000${accountId}`;
      const stored = await storedBy(
        () =>
          trx
            .selectFrom('memberships')
            .select(['user_id', 'account_id', 'associated_at', 'is_contact'])
            .where('workspace_id', '=', wsId)
            // By user only (a user holds a few memberships): a second IN on the account made SQLite probe
            // every pair of the two lists (measured: the 100k import 4× slower).
            .where('user_id', 'in', [...new Set(chunk.map((m) => m.userId))])
            .execute(),
        (r) => key(r.user_id, r.account_id),
      );
      await trx
        .insertInto('memberships')
        .values(
          chunk.map((m) => {
            const s = stored.get(key(m.userId, m.accountId));
            return {
              workspace_id: wsId,
              user_id: m.userId,
              account_id: m.accountId,
              associated_at: m.associatedAt !== undefined ? m.associatedAt : (s?.associated_at ?? null),
              is_contact: m.isContact === undefined ? (s?.is_contact ?? 0) : m.isContact ? 1 : 0,
            };
          }),
        )
        .onConflict((oc) =>
          oc.columns(['workspace_id', 'user_id', 'account_id']).doUpdateSet((eb) => ({
            associated_at: eb.ref('excluded.associated_at'),
            is_contact: eb.ref('excluded.is_contact'),
          })),
        )
        .execute();
    });

    const defaultFlow = ws.defaultFlow ?? existing?.default_flow ?? 'Default';
    // Keyed by id so a history entry listed twice is written once (an upsert may not touch a row twice).
    const history = new Map(
      doc.touchpoints.map((t) => [
        t.id ?? importedTouchpointId(t.accountId, t.authorEmail, t.occurredAt, t.subject ?? ''),
        t,
      ]),
    );
    const historyLeaves = await accountsOfTouchpoints(trx, capabilities, wsId, [...history.keys()]);
    await bulk('touchpoints', [...history], 21, async (chunk) => {
      const stored = await storedBy(
        () =>
          trx
            .selectFrom('touchpoints')
            .select(['id', 'type', 'flow', 'reason', 'subject', 'content_text'])
            .where('workspace_id', '=', wsId)
            .where(
              'id',
              'in',
              chunk.map(([id]) => id),
            )
            .execute(),
        (r) => r.id,
      );
      await trx
        .insertInto('touchpoints')
        .values(
          chunk.map(([id, t]) => {
            const s = stored.get(id);
            return {
              workspace_id: wsId,
              id,
              account_id: t.accountId,
              type: t.type ?? s?.type ?? 'Email',
              flow: t.flow ?? s?.flow ?? defaultFlow,
              reason: t.reason !== undefined ? t.reason : (s?.reason ?? null),
              subject: t.subject ?? s?.subject ?? '',
              content_text: t.content ?? s?.content_text ?? '',
              content_visible: null,
              content_html: null,
              occurred_at: t.occurredAt,
              author_email: t.authorEmail,
              author_domain: domainOf(t.authorEmail),
              scenario: null,
              message_key: null,
              content_key: null,
              inbound_id: null,
              trace: '[]',
              attachments: '[]',
              created_at: at,
              updated_at: at,
            };
          }),
        )
        .onConflict((oc) =>
          oc.columns(['workspace_id', 'id']).doUpdateSet((eb) => ({
            account_id: eb.ref('excluded.account_id'),
            type: eb.ref('excluded.type'),
            flow: eb.ref('excluded.flow'),
            reason: eb.ref('excluded.reason'),
            subject: eb.ref('excluded.subject'),
            content_text: eb.ref('excluded.content_text'),
            occurred_at: eb.ref('excluded.occurred_at'),
            author_email: eb.ref('excluded.author_email'),
            author_domain: eb.ref('excluded.author_domain'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    });

    const historyAccounts = [...historyLeaves, ...[...history.values()].map((t) => t.accountId)];
    await recountAccountHealth(trx, capabilities, wsId, historyAccounts, now);

    const summary: ImportSummary = {
      workspaceId: wsId,
      created: existing === undefined,
      logins: doc.logins.length,
      accounts: doc.accounts.length,
      users: doc.users.length,
      memberships: doc.memberships.length,
      touchpoints: doc.touchpoints.length,
    };
    await andThen(trx, summary);
    return summary;
  });
}

/**
 * A parent the document sets may close a cycle through parents it leaves out (kept as stored), which the
 * document's own check cannot see: the workspace's links are walked once, the document's accounts first.
 */
async function refuseParentCycle(trx: Transaction<Database>, doc: WorkspaceDocument): Promise<void> {
  if (!doc.accounts.some((a) => a.parentId !== undefined && a.parentId !== null)) return;
  const links = await trx
    .selectFrom('accounts')
    .select(['id', 'parent_id as parentId'])
    .where('workspace_id', '=', doc.workspace.id)
    .execute();
  const order = new Map(doc.accounts.map((a, i) => [a.id, i]));
  links.sort((a, b) => (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity));
  const cycle = findParentCycle(links);
  if (cycle === null) return;
  const index = cycle.ids.map((id) => order.get(id)).find((i) => i !== undefined) ?? cycle.index;
  throw new ImportRejected([
    { path: `accounts[${index}].parentId`, message: `parent cycle: ${cycle.ids.join(' → ')}` },
  ]);
}

/** History without an id gets one derived from its content, so importing it again updates, not duplicates. */
function importedTouchpointId(accountId: string, author: Email, occurredAt: string, subject: string): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([accountId, author, occurredAt, subject]))
    .digest('hex');
  return `imported-${digest.slice(0, 32)}`;
}

/** Ids the document uses but does not define must already be stored in the workspace. */
async function findReferenceProblems(
  trx: Transaction<Database>,
  doc: WorkspaceDocument,
): Promise<DocumentProblem[]> {
  const wsId = doc.workspace.id;
  const problems: DocumentProblem[] = [];

  const ownedElsewhere = await selectIn(doc.workspace.touchpointAddresses ?? [], (chunk) =>
    addressesOfOtherWorkspaces(trx, wsId, chunk),
  );
  for (const address of ownedElsewhere) {
    const i = (doc.workspace.touchpointAddresses ?? []).indexOf(address as Email);
    problems.push({
      path: `workspace.touchpointAddresses[${i}]`,
      message: addressOfAnotherWorkspace(address),
    });
  }

  // An alias may not be another stored login's address or alias.
  const loginOf = new Map<string, string>();
  for (const l of doc.logins) for (const a of [l.email, ...(l.aliases ?? [])]) loginOf.set(a, l.email);
  const taken = await selectIn([...loginOf.keys()], async (chunk) => [
    ...(await trx
      .selectFrom('login_aliases')
      .select(['address', 'login_email as owner'])
      .where('workspace_id', '=', wsId)
      .where('address', 'in', chunk)
      .execute()),
    ...(await trx
      .selectFrom('logins')
      .select(['email as address', 'email as owner'])
      .where('workspace_id', '=', wsId)
      .where('email', 'in', chunk)
      .execute()),
  ]);
  for (const row of taken) {
    const claimant = loginOf.get(row.address);
    // A stored alias is free only when its owner's aliases are replaced by this document.
    const ownerInDocument = doc.logins.some((l) => l.email === row.owner && l.aliases !== undefined);
    if (claimant !== undefined && claimant !== row.owner && !ownerInDocument) {
      const i = doc.logins.findIndex((l) => l.email === claimant);
      problems.push({
        path: `logins[${i}]`,
        message: `${row.address} already belongs to login ${row.owner}`,
      });
    }
  }

  const accountIds = new Set(doc.accounts.map((a) => a.id));
  const userIds = new Set(doc.users.map((u) => u.id));
  const wantedAccounts = new Set<string>();
  const wantedUsers = new Set<string>();
  for (const a of doc.accounts)
    if (typeof a.parentId === 'string' && !accountIds.has(a.parentId)) wantedAccounts.add(a.parentId);
  for (const m of doc.memberships) {
    if (!accountIds.has(m.accountId)) wantedAccounts.add(m.accountId);
    if (!userIds.has(m.userId)) wantedUsers.add(m.userId);
  }
  for (const t of doc.touchpoints) if (!accountIds.has(t.accountId)) wantedAccounts.add(t.accountId);
  const storedIds = async (table: 'accounts' | 'users', ids: Set<string>) =>
    new Set(
      (
        await selectIn([...ids], (chunk) =>
          trx
            .selectFrom(table)
            .select('id')
            .where('workspace_id', '=', wsId)
            .where('id', 'in', chunk)
            .execute(),
        )
      ).map((r) => r.id),
    );
  const storedAccounts = await storedIds('accounts', wantedAccounts);
  const storedUsers = await storedIds('users', wantedUsers);
  const known = (ids: Set<string>, stored: Set<string>, id: string) => ids.has(id) || stored.has(id);
  const report = (path: string, message: string) => {
    if (problems.length < 20) problems.push({ path, message });
  };
  doc.accounts.forEach((a, i) => {
    if (typeof a.parentId === 'string' && !known(accountIds, storedAccounts, a.parentId)) {
      report(
        `accounts[${i}].parentId`,
        `no account ${JSON.stringify(a.parentId)} in the document or the workspace`,
      );
    }
  });
  doc.memberships.forEach((m, i) => {
    if (!known(userIds, storedUsers, m.userId)) {
      report(
        `memberships[${i}].userId`,
        `no user ${JSON.stringify(m.userId)} in the document or the workspace`,
      );
    }
    if (!known(accountIds, storedAccounts, m.accountId)) {
      report(
        `memberships[${i}].accountId`,
        `no account ${JSON.stringify(m.accountId)} in the document or the workspace`,
      );
    }
  });
  doc.touchpoints.forEach((t, i) => {
    if (!known(accountIds, storedAccounts, t.accountId)) {
      report(
        `touchpoints[${i}].accountId`,
        `no account ${JSON.stringify(t.accountId)} in the document or the workspace`,
      );
    }
  });
  return problems;
}

/** Runs an `IN (…)` query over a long list in chunks that stay within every engine's limits. */
async function selectIn<T>(
  values: readonly string[],
  query: (chunk: string[]) => Promise<T[]>,
): Promise<T[]> {
  const rows: T[] = [];
  for (let i = 0; i < values.length; i += MAX_ROWS_PER_STATEMENT) {
    rows.push(...(await query(values.slice(i, i + MAX_ROWS_PER_STATEMENT))));
  }
  return rows;
}
