// Editing a touchpoint (API or UI): the change, its edit history entry and its effects (SPEC §7 notices,
// SPEC §9 Salesforce re-sync) in one transaction, guarded against overwriting a concurrent edit.
import { normalizeEmail, type Email } from '../domain/address.js';
import { sideClassifier } from '../domain/scenario.js';
import { planTouchpointEdit, type NotifyChoice, type TouchpointPatch } from '../domain/touchpoint-edit.js';
import { moveTouches } from '../store/account-health-repository.js';
import { accountNames } from '../store/account-lookup-repository.js';
import { getTouchpointRow } from '../store/touchpoint-detail-repository.js';
import {
  insertTouchpointEdit,
  replaceParticipants,
  updateTouchpoint,
  type TouchpointEdit,
  type TouchpointUpdate,
} from '../store/touchpoint-edit-repository.js';
import { findSameMail, participantsOf } from '../store/touchpoint-repository.js';
import { loadWorkspaceContext } from '../store/workspace-repository.js';
import type { MessageDependencies } from './dependencies.js';
import { afterEdit } from '../outbound/touchpoint-effects.js';

export interface EditRequest {
  readonly workspaceId: string;
  readonly touchpointId: string;
  /** actorOf(principal) */
  readonly editor: string;
  /** The version (updatedAt) the editor saw; null to edit whatever is there. */
  readonly expectedUpdatedAt: string | null;
  readonly changes: {
    readonly accountId?: string;
    readonly subject?: string;
    /** Plain text: the mail's HTML no longer matches once the text is edited, so it is dropped. */
    readonly content?: string;
    readonly reason?: string | null;
    readonly flow?: string;
    readonly participants?: readonly { readonly email: string; readonly name?: string }[];
    readonly notify?: NotifyChoice;
  };
}

export type EditResult =
  /** `edit` is null when the request changed nothing (nothing is stored then). */
  | { readonly kind: 'done'; readonly edit: TouchpointEdit | null }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'not-found'; readonly message: string }
  | { readonly kind: 'conflict'; readonly message: string };

export async function editTouchpoint(deps: MessageDependencies, request: EditRequest): Promise<EditResult> {
  const { workspaceId, touchpointId } = request;
  const patch = normalizePatch(request.changes);
  if (typeof patch === 'string') return { kind: 'invalid', message: patch };
  return deps.store.db.transaction().execute(async (trx): Promise<EditResult> => {
    const row = await getTouchpointRow(trx, workspaceId, touchpointId);
    if (row === null) return { kind: 'not-found', message: `No touchpoint ${touchpointId}.` };
    if (request.expectedUpdatedAt !== null && request.expectedUpdatedAt !== row.updated_at)
      return stale(touchpointId, row.updated_at);
    const workspace = await loadWorkspaceContext(trx, workspaceId);
    if (workspace === null) return { kind: 'not-found', message: `No workspace ${workspaceId}.` };
    // Recording never makes a touchpoint address a participant (SPEC §4, any workspace's): nor does an edit.
    const touchpointAddress = patch.participants?.find((p) => workspace.everyTouchpointAddress.has(p.email));
    if (touchpointAddress !== undefined)
      return {
        kind: 'invalid',
        message: `${touchpointAddress.email} is a touchpoint address, not a participant.`,
      };

    if (patch.accountId !== undefined && patch.accountId !== row.account_id) {
      const names = await accountNames(trx, workspaceId, [patch.accountId]);
      if (!names.has(patch.accountId))
        return { kind: 'not-found', message: `No account ${patch.accountId}.` };
      // SPEC §6: one touchpoint per mail and account; the "same mail" keys move with the touchpoint.
      const same =
        row.message_key === null
          ? null
          : await findSameMail(trx, workspaceId, patch.accountId, {
              messageKey: row.message_key,
              contentKey: row.content_key,
            });
      if (same !== null && same.id !== touchpointId)
        return {
          kind: 'conflict',
          message: `The same mail is already touchpoint ${same.id} on account ${patch.accountId}.`,
        };
    }

    const author = row.author_email as Email;
    const plan = planTouchpointEdit(
      {
        accountId: row.account_id,
        subject: row.subject,
        content: row.content_text,
        reason: row.reason,
        flow: row.flow,
        participants: await participantsOf(trx, workspaceId, touchpointId),
      },
      patch,
      author,
      sideClassifier(author, workspace),
    );
    if (Object.keys(plan.changes).length === 0) return { kind: 'done', edit: null };

    const update: TouchpointUpdate = {
      ...(patch.accountId === undefined ? {} : { account_id: patch.accountId }),
      ...(patch.subject === undefined ? {} : { subject: patch.subject }),
      ...(patch.reason === undefined ? {} : { reason: patch.reason }),
      ...(patch.flow === undefined ? {} : { flow: patch.flow }),
      ...(plan.contentChanged && patch.content !== undefined
        ? { content_text: patch.content, content_visible: null, content_html: null }
        : {}),
    };
    const at = nextVersion(deps.now(), row.updated_at);
    if (!(await updateTouchpoint(trx, workspaceId, touchpointId, update, row.updated_at, at)))
      return stale(touchpointId, row.updated_at);
    if (update.account_id !== undefined) {
      // The touchpoint leaves one account's health for another's, in this transaction (SPEC §13).
      const touch = { id: touchpointId, occurredAt: row.occurred_at, author: row.author_email };
      await moveTouches(
        trx,
        deps.store.capabilities,
        workspaceId,
        [{ ...touch, accountId: row.account_id }],
        [{ ...touch, accountId: update.account_id }],
        deps.now(),
      );
    }
    if (plan.participants !== null)
      await replaceParticipants(trx, workspaceId, touchpointId, plan.participants);
    const edit: TouchpointEdit = {
      id: deps.newId(),
      workspaceId,
      touchpointId,
      editor: request.editor,
      at,
      changes: plan.changes,
      participantsAdded: plan.added,
      participantsRemoved: plan.removed,
      notify: plan.notify,
    };
    await insertTouchpointEdit(trx, edit);
    // Every edit goes to the effects (a Salesforce Task follows every change, SPEC §9); notices only when
    // `notify` says so, which it does only for added participants or changed content (SPEC §7).
    await afterEdit(trx, deps, {
      workspaceId,
      touchpointId,
      editId: edit.id,
      editor: request.editor,
      notify: plan.notify,
      addedParticipants: plan.added.map((p) => p.email),
      contentChanged: plan.contentChanged,
    });
    return { kind: 'done', edit };
  });
}

/** Addresses normalised, text trimmed; a message saying what is wrong, or the patch. */
function normalizePatch(changes: EditRequest['changes']): TouchpointPatch | string {
  const participants: { email: Email; name?: string }[] = [];
  for (const p of changes.participants ?? []) {
    const email = normalizeEmail(p.email);
    if (email === null) return `${p.email} is not an email address.`;
    participants.push(p.name === undefined ? { email } : { email, name: p.name.trim() });
  }
  const subject = changes.subject?.trim();
  if (subject === '') return 'The subject may not be empty.';
  const flow = changes.flow?.trim();
  if (flow === '') return 'The flow may not be empty.';
  const reason =
    changes.reason === undefined || changes.reason === null ? changes.reason : changes.reason.trim();
  return {
    ...(changes.accountId === undefined ? {} : { accountId: changes.accountId }),
    ...(subject === undefined ? {} : { subject }),
    ...(changes.content === undefined ? {} : { content: changes.content }),
    ...(reason === undefined ? {} : { reason: reason === '' ? null : reason }),
    ...(flow === undefined ? {} : { flow }),
    ...(changes.participants === undefined ? {} : { participants }),
    ...(changes.notify === undefined ? {} : { notify: changes.notify }),
  };
}

/**
 * The touchpoint's next version: now, but always later than the last one, so two edits within one
 * millisecond (or under a fixed test clock) still tell their versions apart.
 */
function nextVersion(now: Date, previous: string): string {
  const last = Date.parse(previous);
  return new Date(Number.isNaN(last) ? now.getTime() : Math.max(now.getTime(), last + 1)).toISOString();
}

function stale(touchpointId: string, current: string): EditResult {
  return {
    kind: 'conflict',
    message: `Touchpoint ${touchpointId} was changed meanwhile (it is now at version ${current}): reload it and edit again.`,
  };
}
