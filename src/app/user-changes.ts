// Use-cases: create, edit and delete a user (a customer person; admins; each audited). Emails are
// normalized exactly as the import normalizes them (SPEC §1), so the rules find the user by them.
import { normalizeEmail, type Email } from '../domain/address.js';
import { appendAudit, changedFields } from '../store/audit-repository.js';
import type { UserRecord } from '../store/directory-records.js';
import { deleteUser, findUser, insertUser, updateUser, type UserFields } from '../store/user-repository.js';
import {
  auditEntry,
  done,
  refused,
  removedFields,
  type ChangeContext,
  type ChangeResult,
} from './directory-change.js';

export interface NewUser {
  readonly id: string;
  readonly email?: string | null;
  readonly name?: string;
}

export interface UserPatch {
  readonly email?: string | null;
  readonly name?: string;
}

export async function createUser(context: ChangeContext, input: NewUser): Promise<ChangeResult<UserRecord>> {
  const email = emailOf(input.email ?? null);
  if (email === undefined)
    return refused('invalid', `email: not an email address: ${JSON.stringify(input.email)}`);
  const fields: UserFields = { email, name: input.name ?? '' };
  return context.store.db.transaction().execute(async (trx) => {
    const now = context.now();
    if (!(await insertUser(trx, context.workspaceId, input.id, fields, now)))
      return refused('conflict', `User ${input.id} exists already.`);
    await appendAudit(
      trx,
      auditEntry(context, now, 'user.create', input.id, changedFields({}, { ...fields })),
    );
    return done(await mustFind(context, trx, input.id));
  });
}

export async function editUser(
  context: ChangeContext,
  id: string,
  patch: UserPatch,
): Promise<ChangeResult<UserRecord>> {
  const email = patch.email === undefined ? null : emailOf(patch.email);
  if (email === undefined)
    return refused('invalid', `email: not an email address: ${JSON.stringify(patch.email)}`);
  return context.store.db.transaction().execute(async (trx) => {
    const before = await findUser(trx, context.workspaceId, id);
    if (before === null) return refused('not-found', `No user ${id}.`);
    const fields: UserFields = {
      // Stored addresses are normalized already: normalizing again gives them back, typed.
      email: patch.email === undefined ? (emailOf(before.email) ?? null) : email,
      name: patch.name ?? before.name,
    };
    const changes = changedFields({ email: before.email, name: before.name }, { ...fields });
    if (Object.keys(changes).length === 0) return done(before);
    const now = context.now();
    await updateUser(trx, context.workspaceId, id, fields, now);
    await appendAudit(trx, auditEntry(context, now, 'user.update', id, changes));
    return done(await mustFind(context, trx, id));
  });
}

/** Deletes a user and its memberships; touchpoints keep their participants (they name addresses). */
export async function removeUser(context: ChangeContext, id: string): Promise<ChangeResult<null>> {
  return context.store.db.transaction().execute(async (trx) => {
    const before = await findUser(trx, context.workspaceId, id);
    if (before === null) return refused('not-found', `No user ${id}.`);
    await deleteUser(trx, context.workspaceId, id);
    await appendAudit(
      trx,
      auditEntry(
        context,
        context.now(),
        'user.delete',
        id,
        removedFields({ email: before.email, name: before.name }),
      ),
    );
    return done(null);
  });
}

/** null for no email, the normalized address, or undefined when `raw` is not an address. */
function emailOf(raw: string | null): Email | null | undefined {
  if (raw === null) return null;
  return normalizeEmail(raw) ?? undefined;
}

async function mustFind(
  context: ChangeContext,
  db: Parameters<typeof findUser>[0],
  id: string,
): Promise<UserRecord> {
  const user = await findUser(db, context.workspaceId, id);
  if (user === null) throw new Error(`user ${id} vanished inside its own transaction`);
  return user;
}
