// Use-cases on login users (team members, SPEC §1): create, change, delete, set a password. Each runs
// in one transaction with its audit entry; deactivation, deletion and a new password end the login's
// sessions (and deactivation/deletion its tokens). Refusals are values, not exceptions.
import { randomUUID } from 'node:crypto';
import { normalizeEmail } from '../domain/address.js';
import { appendAudit, changedFields } from '../store/audit-repository.js';
import {
  countOtherActiveAdmins,
  deleteLogin,
  getLogin,
  hasAuthoredTouchpoints,
  insertLogin,
  ownerOfAddress,
  replaceAliases,
  setPasswordHash,
  updateLogin,
  type LoginRecord,
  type LoginRole,
} from '../store/login-repository.js';
import type { Executor } from '../store/schema.js';
import { revokeSessionsOfLogin } from '../store/session-repository.js';
import type { Store } from '../store/store.js';
import { revokeTokensOfLogin } from '../store/token-repository.js';
import { lockWorkspace } from '../store/workspace-repository.js';
import { hashPassword, passwordProblem } from './password-hash.js';

export type Refusal = {
  readonly ok: false;
  readonly code: 'validation-failed' | 'bad-request' | 'not-found' | 'conflict';
  readonly message: string;
};
export type Done<T> = { readonly ok: true; readonly value: T } | Refusal;

const refuse = (code: Refusal['code'], message: string): Refusal => ({ ok: false, code, message });

/** Who acts and when: the audit entry's actor (actorOf) and the clock. */
export interface Acting {
  readonly actor: string;
  readonly now: Date;
}

function auditView(login: LoginRecord) {
  return { name: login.name, role: login.role, active: login.active, aliases: login.aliases };
}

/** Normalizes aliases, refusing bad ones, the login's own address, and another login's addresses (409). */
async function checkAliases(
  db: Executor,
  workspaceId: string,
  email: string,
  raw: readonly string[],
): Promise<Done<string[]>> {
  const aliases: string[] = [];
  for (const [i, text] of raw.entries()) {
    const alias = normalizeEmail(text);
    if (alias === null) return refuse('validation-failed', `aliases[${i}]: not an email address: ${text}`);
    if (alias === email)
      return refuse('validation-failed', `aliases[${i}]: ${alias} is the login's own address`);
    const owner = await ownerOfAddress(db, workspaceId, alias, email);
    if (owner !== null) return refuse('conflict', `${alias} already belongs to login ${owner}.`);
    if (!aliases.includes(alias)) aliases.push(alias);
  }
  return { ok: true, value: aliases };
}

export async function createLoginUser(
  store: Store,
  workspaceId: string,
  input: { email: string; name: string; role: LoginRole; aliases: readonly string[]; active: boolean },
  acting: Acting,
): Promise<Done<LoginRecord>> {
  const email = normalizeEmail(input.email);
  if (email === null) return refuse('validation-failed', `email: not an email address: ${input.email}`);
  return store.db.transaction().execute(async (trx): Promise<Done<LoginRecord>> => {
    const owner = await ownerOfAddress(trx, workspaceId, email, null);
    if (owner !== null)
      return refuse(
        'conflict',
        owner === email ? `Login ${email} exists.` : `${email} is an alias of login ${owner}.`,
      );
    const aliases = await checkAliases(trx, workspaceId, email, input.aliases);
    if (!aliases.ok) return aliases;
    await insertLogin(
      trx,
      { workspaceId, email, name: input.name, role: input.role, active: input.active },
      acting.now,
    );
    await replaceAliases(trx, { workspaceId, email }, aliases.value);
    const login = await getLogin(trx, workspaceId, email);
    if (login === null) throw new Error(`login ${email} vanished in its own transaction`);
    await appendAudit(trx, {
      id: randomUUID(),
      workspaceId,
      at: acting.now,
      actor: acting.actor,
      action: 'login.create',
      subject: email,
      changes: changedFields({}, auditView(login)),
    });
    return { ok: true, value: login };
  });
}

export async function changeLoginUser(
  store: Store,
  workspaceId: string,
  email: string,
  change: { name?: string; role?: LoginRole; aliases?: readonly string[]; active?: boolean },
  acting: Acting,
): Promise<Done<LoginRecord>> {
  return store.db.transaction().execute(async (trx): Promise<Done<LoginRecord>> => {
    // Before reading: two admins demoting each other at once must not both see the other still admin.
    await lockWorkspace(trx, workspaceId);
    const before = await getLogin(trx, workspaceId, email);
    if (before === null) return refuse('not-found', `No login ${email}.`);
    const losesAdmin =
      before.role === 'admin' && before.active && (change.role === 'member' || change.active === false);
    if (losesAdmin && (await countOtherActiveAdmins(trx, workspaceId, email)) === 0)
      return refuse('conflict', `${email} is the workspace's last active admin; make another admin first.`);
    let aliases: string[] | undefined;
    if (change.aliases !== undefined) {
      const checked = await checkAliases(trx, workspaceId, email, change.aliases);
      if (!checked.ok) return checked;
      aliases = checked.value;
    }
    await updateLogin(trx, { workspaceId, email }, change, acting.now);
    if (aliases !== undefined) await replaceAliases(trx, { workspaceId, email }, aliases);
    if (before.active && change.active === false) {
      await revokeSessionsOfLogin(trx, { workspaceId, email }, acting.now);
      await revokeTokensOfLogin(trx, { workspaceId, email }, acting.now);
    }
    const after = await getLogin(trx, workspaceId, email);
    if (after === null) throw new Error(`login ${email} vanished in its own transaction`);
    const changes = changedFields(auditView(before), auditView(after));
    if (Object.keys(changes).length > 0)
      await appendAudit(trx, {
        id: randomUUID(),
        workspaceId,
        at: acting.now,
        actor: acting.actor,
        action: 'login.update',
        subject: email,
        changes,
      });
    return { ok: true, value: after };
  });
}

/**
 * Deletes a login, or deactivates it when it authored touchpoints: the tie-break rules read who
 * authored what (SPEC §5 C1) and the timeline names the author, so that history keeps its login.
 */
export async function removeLoginUser(
  store: Store,
  workspaceId: string,
  email: string,
  acting: Acting,
): Promise<Done<'deleted' | 'deactivated'>> {
  return store.db.transaction().execute(async (trx): Promise<Done<'deleted' | 'deactivated'>> => {
    await lockWorkspace(trx, workspaceId); // the last-admin rule, as in changeLoginUser
    const before = await getLogin(trx, workspaceId, email);
    if (before === null) return refuse('not-found', `No login ${email}.`);
    if (
      before.role === 'admin' &&
      before.active &&
      (await countOtherActiveAdmins(trx, workspaceId, email)) === 0
    )
      return refuse('conflict', `${email} is the workspace's last active admin; make another admin first.`);
    const key = { workspaceId, email };
    await revokeSessionsOfLogin(trx, key, acting.now);
    await revokeTokensOfLogin(trx, key, acting.now);
    const keep = await hasAuthoredTouchpoints(trx, key);
    if (keep) await updateLogin(trx, key, { active: false }, acting.now);
    else await deleteLogin(trx, key);
    await appendAudit(trx, {
      id: randomUUID(),
      workspaceId,
      at: acting.now,
      actor: acting.actor,
      action: keep ? 'login.deactivate' : 'login.delete',
      subject: email,
      changes: keep
        ? changedFields({ active: before.active }, { active: false })
        : changedFields(auditView(before), { name: null, role: null, active: null, aliases: null }),
    });
    return { ok: true, value: keep ? 'deactivated' : 'deleted' };
  });
}

/**
 * Sets a login's password (hashed), ending its other sessions: whoever knew the old one is signed out.
 * `keepSession` is the session making the change, which stays signed in.
 */
export async function setLoginPassword(
  store: Store,
  workspaceId: string,
  email: string,
  password: string,
  acting: Acting & { readonly keepSession?: string | null },
): Promise<Done<null>> {
  const problem = passwordProblem(password);
  if (problem !== null) return refuse('validation-failed', problem);
  const hash = await hashPassword(password);
  return store.db
    .transaction()
    .execute((trx) => storePasswordHash(trx, { workspaceId, email }, hash, acting));
}

/**
 * The part of setLoginPassword inside the transaction, for a use-case that sets a password among other
 * changes (accepting an invitation): `hash` comes from hashPassword after passwordProblem said yes.
 */
export async function storePasswordHash(
  trx: Executor,
  key: { workspaceId: string; email: string },
  hash: string,
  acting: Acting & { readonly keepSession?: string | null },
): Promise<Done<null>> {
  const { workspaceId, email } = key;
  const login = await getLogin(trx, workspaceId, email);
  if (login === null) return refuse('not-found', `No login ${email}.`);
  await setPasswordHash(trx, key, hash, acting.now);
  await revokeSessionsOfLogin(trx, key, acting.now, acting.keepSession ?? null);
  await appendAudit(trx, {
    id: randomUUID(),
    workspaceId,
    at: acting.now,
    actor: acting.actor,
    action: 'login.password',
    subject: email,
    // Never the secret itself: only that it was set or changed.
    changes: { password: { before: login.hasPassword ? 'set' : 'none', after: 'changed' } },
  });
  return { ok: true, value: null };
}
