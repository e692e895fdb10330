// Use-cases: a person's data (SPEC §11, GDPR art. 15 and 17) — export everything stored about an email
// address, and erase it. The audit log records that an erasure ran and its counts, never the address.
import { normalizeEmail } from '../domain/address.js';
import { appendAudit } from '../store/audit-repository.js';
import {
  erasePerson as eraseInStore,
  findPerson,
  personalData,
  type ErasureCounts,
  type PersonalData,
} from '../store/person-repository.js';
import { auditEntry, done, refused, type ChangeContext, type ChangeResult } from './directory-change.js';

/** Everything stored about `email` in the workspace, as one document. */
export async function exportPerson(
  context: Pick<ChangeContext, 'store' | 'workspaceId'>,
  email: string,
): Promise<ChangeResult<PersonalData>> {
  const address = normalizeEmail(email);
  if (address === null) return refused('invalid', `email: not an email address: ${JSON.stringify(email)}`);
  const db = context.store.db;
  const workspace = await db
    .selectFrom('workspaces')
    .select('id')
    .where('id', '=', context.workspaceId)
    .executeTakeFirst();
  if (workspace === undefined) return refused('not-found', `No workspace ${context.workspaceId}.`);
  return done(
    await personalData(db, context.workspaceId, address, await findPerson(db, context.workspaceId, address)),
  );
}

/**
 * Erases `email` from the workspace in one transaction, audited as `person.erase` with the counts. An
 * address found nowhere is erased all the same (zero counts): the answer does not tell whether a
 * person was known beyond what the counts say to an admin.
 */
export async function erasePerson(
  context: ChangeContext,
  email: string,
): Promise<ChangeResult<ErasureCounts>> {
  const address = normalizeEmail(email);
  if (address === null) return refused('invalid', `email: not an email address: ${JSON.stringify(email)}`);
  return context.store.db.transaction().execute(async (trx) => {
    const workspace = await trx
      .selectFrom('workspaces')
      .select('id')
      .where('id', '=', context.workspaceId)
      .executeTakeFirst();
    if (workspace === undefined) return refused('not-found', `No workspace ${context.workspaceId}.`);
    const matches = await findPerson(trx, context.workspaceId, address);
    const counts = await eraseInStore(trx, context.workspaceId, address, matches);
    // What ran and how much it touched; the address itself is what the erasure must not keep.
    await appendAudit(trx, {
      ...auditEntry(context, context.now(), 'person.erase', '', { counts: { before: null, after: counts } }),
      subject: null,
    });
    return done(counts);
  });
}
