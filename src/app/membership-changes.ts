// Use-cases: add, edit and remove a membership (user ↔ account; admins; each audited). `associatedAt`
// is what the recency rule compares (SPEC §5 A3), stored as ISO-8601 UTC.
import { appendAudit, changedFields } from '../store/audit-repository.js';
import type { MembershipRecord } from '../store/directory-records.js';
import { findAccount } from '../store/account-repository.js';
import {
  deleteMembership,
  findMembership,
  insertMembership,
  updateMembership,
  type MembershipKey,
} from '../store/membership-repository.js';
import { findUser } from '../store/user-repository.js';
import {
  auditEntry,
  done,
  refused,
  removedFields,
  utcTimestamp,
  type ChangeContext,
  type ChangeResult,
} from './directory-change.js';

export interface NewMembership extends MembershipKey {
  /** Omitted: now, when the association is made. */
  readonly associatedAt?: string | null;
  readonly isContact?: boolean;
}

export interface MembershipPatch {
  readonly associatedAt?: string | null;
  readonly isContact?: boolean;
}

const subjectOf = (key: MembershipKey) => `${key.userId} ↔ ${key.accountId}`;

export async function createMembership(
  context: ChangeContext,
  input: NewMembership,
): Promise<ChangeResult<MembershipRecord>> {
  const associatedAt = timestampOf(input.associatedAt, context.now);
  if (associatedAt === undefined) return badTime(input.associatedAt);
  const membership: MembershipRecord = {
    userId: input.userId,
    accountId: input.accountId,
    associatedAt,
    isContact: input.isContact ?? false,
  };
  return context.store.db.transaction().execute(async (trx) => {
    if ((await findUser(trx, context.workspaceId, input.userId)) === null)
      return refused('invalid', `userId: no user ${input.userId} in this workspace.`);
    if ((await findAccount(trx, context.workspaceId, input.accountId)) === null)
      return refused('invalid', `accountId: no account ${input.accountId} in this workspace.`);
    if (!(await insertMembership(trx, context.workspaceId, membership)))
      return refused('conflict', `User ${input.userId} is a member of account ${input.accountId} already.`);
    await appendAudit(
      trx,
      auditEntry(
        context,
        context.now(),
        'membership.create',
        subjectOf(input),
        changedFields({}, { ...membership }),
      ),
    );
    return done(membership);
  });
}

export async function editMembership(
  context: ChangeContext,
  key: MembershipKey,
  patch: MembershipPatch,
): Promise<ChangeResult<MembershipRecord>> {
  const associatedAt = patch.associatedAt === undefined ? null : timestampOf(patch.associatedAt, context.now);
  if (associatedAt === undefined) return badTime(patch.associatedAt);
  return context.store.db.transaction().execute(async (trx) => {
    const before = await findMembership(trx, context.workspaceId, key);
    if (before === null)
      return refused('not-found', `User ${key.userId} is not a member of account ${key.accountId}.`);
    const after: MembershipRecord = {
      ...before,
      associatedAt: patch.associatedAt === undefined ? before.associatedAt : associatedAt,
      isContact: patch.isContact ?? before.isContact,
    };
    const changes = changedFields({ ...before }, { ...after });
    if (Object.keys(changes).length === 0) return done(before);
    await updateMembership(trx, context.workspaceId, after);
    await appendAudit(trx, auditEntry(context, context.now(), 'membership.update', subjectOf(key), changes));
    return done(after);
  });
}

export async function removeMembership(
  context: ChangeContext,
  key: MembershipKey,
): Promise<ChangeResult<null>> {
  return context.store.db.transaction().execute(async (trx) => {
    const before = await findMembership(trx, context.workspaceId, key);
    if (before === null)
      return refused('not-found', `User ${key.userId} is not a member of account ${key.accountId}.`);
    await deleteMembership(trx, context.workspaceId, key);
    await appendAudit(
      trx,
      auditEntry(context, context.now(), 'membership.delete', subjectOf(key), removedFields({ ...before })),
    );
    return done(null);
  });
}

/** Omitted → now; null → unknown; text → UTC; undefined when the text is not a time. */
function timestampOf(raw: string | null | undefined, now: () => Date): string | null | undefined {
  if (raw === undefined) return now().toISOString();
  if (raw === null) return null;
  return utcTimestamp(raw) ?? undefined;
}

function badTime<T>(raw: string | null | undefined): ChangeResult<T> {
  return refused(
    'invalid',
    `associatedAt: not an ISO-8601 date-time with a zone: ${JSON.stringify(raw)} (e.g. 2026-01-05T10:00:00Z)`,
  );
}
