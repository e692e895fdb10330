// Use-cases: create, edit and delete an account (admins; each audited in its own transaction). The
// hierarchy stays a forest (no cycles) and nothing recorded is lost: an account with touchpoints or
// children is not deleted.
import { attributesProblem, mergeAttributes, type Attributes } from '../domain/account-attributes.js';
import {
  accountDependents,
  ancestorsOf,
  deleteAccount,
  findAccount,
  insertAccount,
  updateAccount,
  type AccountFields,
} from '../store/account-repository.js';
import { appendAudit, changedFields } from '../store/audit-repository.js';
import type { AccountRecord } from '../store/directory-records.js';
import type { Executor } from '../store/schema.js';
import {
  auditEntry,
  done,
  refused,
  removedFields,
  type ChangeContext,
  type ChangeResult,
} from './directory-change.js';

/** Levels of hierarchy walked when checking a new parent: deeper trees are refused, not walked forever. */
export const MAX_HIERARCHY_DEPTH = 1000;

export interface NewAccount {
  readonly id: string;
  readonly name?: string;
  readonly parentId?: string | null;
  readonly attributes?: Attributes;
}

export interface AccountPatch {
  readonly name?: string;
  readonly parentId?: string | null;
  /** Merged into the stored attributes (RFC 7396: `null` removes a key). */
  readonly attributes?: Attributes;
}

export async function createAccount(
  context: ChangeContext,
  input: NewAccount,
): Promise<ChangeResult<AccountRecord>> {
  const fields: AccountFields = {
    name: input.name ?? input.id,
    parentId: input.parentId ?? null,
    attributes: input.attributes ?? {},
  };
  const problem = attributesProblem(fields.attributes);
  if (problem !== null) return refused('invalid', problem);
  return context.store.db.transaction().execute(async (trx) => {
    const parentProblem = await checkParent(trx, context.workspaceId, input.id, fields.parentId);
    if (parentProblem !== null) return parentProblem;
    const now = context.now();
    if (!(await insertAccount(trx, context.workspaceId, input.id, fields, now)))
      return refused('conflict', `Account ${input.id} exists already.`);
    await appendAudit(
      trx,
      auditEntry(context, now, 'account.create', input.id, changedFields({}, { ...fields })),
    );
    return done(await mustFind(trx, context.workspaceId, input.id));
  });
}

export async function editAccount(
  context: ChangeContext,
  id: string,
  patch: AccountPatch,
): Promise<ChangeResult<AccountRecord>> {
  return context.store.db.transaction().execute(async (trx) => {
    const before = await findAccount(trx, context.workspaceId, id);
    if (before === null) return refused('not-found', `No account ${id}.`);
    const fields: AccountFields = {
      name: patch.name ?? before.name,
      parentId: patch.parentId === undefined ? before.parentId : patch.parentId,
      attributes:
        patch.attributes === undefined
          ? before.attributes
          : mergeAttributes(before.attributes, patch.attributes),
    };
    const problem = attributesProblem(fields.attributes);
    if (problem !== null) return refused('invalid', problem);
    if (fields.parentId !== before.parentId) {
      const parentProblem = await checkParent(trx, context.workspaceId, id, fields.parentId);
      if (parentProblem !== null) return parentProblem;
    }
    const changes = changedFields(
      { name: before.name, parentId: before.parentId, attributes: before.attributes },
      { ...fields },
    );
    if (Object.keys(changes).length === 0) return done(before);
    const now = context.now();
    await updateAccount(trx, context.workspaceId, id, fields, now);
    await appendAudit(trx, auditEntry(context, now, 'account.update', id, changes));
    return done(await mustFind(trx, context.workspaceId, id));
  });
}

export async function removeAccount(context: ChangeContext, id: string): Promise<ChangeResult<null>> {
  return context.store.db.transaction().execute(async (trx) => {
    const before = await findAccount(trx, context.workspaceId, id);
    if (before === null) return refused('not-found', `No account ${id}.`);
    const dependents = await accountDependents(trx, context.workspaceId, id);
    // Never lose recorded data silently: the timeline must be moved or the children re-parented first.
    if (dependents.touchpoints > 0 || dependents.children > 0) {
      const what = [
        dependents.touchpoints > 0 ? `${dependents.touchpoints} touchpoint(s)` : null,
        dependents.children > 0 ? `${dependents.children} child account(s)` : null,
      ].filter((part) => part !== null);
      return refused(
        'conflict',
        `Account ${id} has ${what.join(' and ')}; move or delete them before deleting the account.`,
      );
    }
    await deleteAccount(trx, context.workspaceId, id);
    await appendAudit(
      trx,
      auditEntry(context, context.now(), 'account.delete', id, {
        ...removedFields({ name: before.name, parentId: before.parentId, attributes: before.attributes }),
        memberships: { before: dependents.members, after: 0 },
      }),
    );
    return done(null);
  });
}

/** A parent must be another account of the workspace, and not one below `id` (no cycles). */
async function checkParent(
  db: Executor,
  workspaceId: string,
  id: string,
  parentId: string | null,
): Promise<ChangeResult<never> | null> {
  if (parentId === null) return null;
  if (parentId === id) return refused('conflict', `Account ${id} cannot be its own parent.`);
  if ((await findAccount(db, workspaceId, parentId)) === null)
    return refused('invalid', `parentId: no account ${parentId} in this workspace.`);
  const ancestors = await ancestorsOf(db, workspaceId, parentId, MAX_HIERARCHY_DEPTH);
  if (ancestors.includes(id))
    return refused(
      'conflict',
      `Account ${parentId} is below ${id}: making it the parent would make a cycle.`,
    );
  if (ancestors.length >= MAX_HIERARCHY_DEPTH)
    return refused(
      'invalid',
      `The hierarchy above ${parentId} is deeper than ${MAX_HIERARCHY_DEPTH} levels.`,
    );
  return null;
}

async function mustFind(db: Executor, workspaceId: string, id: string): Promise<AccountRecord> {
  const account = await findAccount(db, workspaceId, id);
  if (account === null) throw new Error(`account ${id} vanished inside its own transaction`);
  return account;
}
