// Queues notices in the transaction that records an outcome or an edit (SPEC §7, STYLE §10): a failure
// notice or a success receipt per inbound message, an edit notification per edit. Only the facts are
// queued; the notice handler composes and sends. Whether anything is queued is decided by the pure
// policy (src/domain/notices/policy.ts): nothing is queued that must never be sent.
import { automatedMailReason } from '../../domain/gates.js';
import { isNoticeReason } from '../../domain/notices/failure-wording.js';
import { decideNotice, editRecipients } from '../../domain/notices/policy.js';
import { MAX_LISTED_CANDIDATES, MAX_QUOTED_CONTENT } from '../../domain/notices/compose.js';
import { parseHeaders } from '../../mime/parse-headers.js';
import { everyTouchpointAddress, loginReceipts, touchpointForNotice } from '../../store/notice-repository.js';
import { keptRaw } from '../../store/inbound-repository.js';
import { enqueueOutbox } from '../../store/outbox-repository.js';
import type { Executor } from '../../store/schema.js';
import { findLoginByAddress } from '../../store/workspace-repository.js';
import type { NoticePayload } from './notice-payload.js';
import { accountNames } from '../../store/account-lookup-repository.js';
import type { EditEvent, EffectDependencies, OutcomeEvent } from '../effect-events.js';
import { EffectLookups } from '../effect-lookups.js';

/** Trace steps kept in a queued failure notice: enough to count what the notice leaves out. */
const MAX_QUEUED_STEPS = 200;

/** Idempotency keys: at most one notice of each kind per inbound message, one per edit. */
export const noticeKey = {
  failure: (inboundId: string) => `notice:failure:${inboundId}`,
  receipt: (inboundId: string) => `notice:receipt:${inboundId}`,
  edit: (editId: string) => `notice:edit:${editId}`,
};

/** The failure notice or receipt of an outcome, when the policy allows one. */
export async function enqueueOutcomeNotice(
  trx: Executor,
  deps: EffectDependencies,
  event: OutcomeEvent,
  lookups: EffectLookups = new EffectLookups(trx),
): Promise<void> {
  const { row, outcome } = event;
  const kind =
    outcome.status === 'failed' && isNoticeReason(outcome.reason)
      ? 'failure'
      : outcome.status === 'recorded'
        ? 'receipt'
        : null;
  if (kind === null) return;
  // Receipts are off by default: most outcomes stop at this one read.
  if (kind === 'receipt' && !(await lookups.receiptsWanted(row.workspace_id))) return;

  // The header block only (bounded): a message refused as too large never reached the gates. A raw
  // message no longer kept (SPEC §11) has no headers to read: no one to notify.
  const raw = keptRaw(row);
  const head = raw === null ? null : await parseHeaders(raw);
  const from = head?.from?.email ?? null;
  const login = from === null ? null : await findLoginByAddress(trx, row.workspace_id, from);
  const activeLogin = login !== null && login.active ? login.email : null;
  const decision = decideNotice({
    kind,
    status: outcome.status,
    reason: outcome.reason,
    automated: head === null ? null : automatedMailReason(head, { mailFrom: row.mail_from, rcptTo: [] }),
    envelopeSender: row.mail_from,
    from,
    login: activeLogin,
    receiptsWanted:
      kind === 'receipt' && activeLogin !== null
        ? ((await loginReceipts(trx, row.workspace_id, activeLogin)) ?? false)
        : false,
    authentication: event.authentication,
    touchpointAddresses: await everyTouchpointAddress(trx),
  });
  if (!decision.send) return;

  const subject = outcome.subject ?? head?.subject ?? null;
  const inReplyTo = head?.messageId ?? null;
  let payload: NoticePayload;
  if (kind === 'failure' && isNoticeReason(outcome.reason)) {
    const listed = outcome.candidates.slice(0, MAX_LISTED_CANDIDATES);
    const names = await accountNames(trx, row.workspace_id, listed);
    payload = {
      type: 'failure',
      to: decision.to,
      inboundId: row.id,
      reason: outcome.reason,
      subject,
      senderAddress: from,
      candidates: outcome.candidates.map((id) => ({ id, name: names.get(id) ?? null })),
      // Bounded: the notice shows the first steps and counts the rest.
      trace: outcome.trace.slice(0, MAX_QUEUED_STEPS),
      inReplyTo,
    };
  } else {
    const accountId = outcome.accountId;
    if (accountId === null) return;
    const names = await accountNames(trx, row.workspace_id, [accountId]);
    payload = {
      type: 'receipt',
      to: decision.to,
      inboundId: row.id,
      subject,
      account: { id: accountId, name: names.get(accountId) ?? null },
      assignedBy: event.decidedBy,
      inReplyTo,
    };
  }
  await enqueueOutbox(trx, deps.now(), {
    id: deps.newId(),
    workspaceId: row.workspace_id,
    kind: 'notice',
    key: kind === 'failure' ? noticeKey.failure(row.id) : noticeKey.receipt(row.id),
    payload,
  });
}

/** The edit notification the editor asked for (SPEC §7): one outbox row per edit and recipient set. */
export async function enqueueEditNotice(
  trx: Executor,
  deps: EffectDependencies,
  event: EditEvent,
): Promise<void> {
  if (event.notify === 'none') return;
  const touchpoint = await touchpointForNotice(trx, event.workspaceId, event.touchpointId);
  if (touchpoint === null) return;
  const { to, leftOut } = editRecipients({
    notify: event.notify,
    contentChanged: event.contentChanged,
    participants: touchpoint.participants,
    added: event.addedParticipants,
    editor: event.editor,
    touchpointAddresses: await everyTouchpointAddress(trx),
  });
  if (to.length === 0) return;
  const payload: NoticePayload = {
    type: 'edit',
    to,
    leftOut,
    touchpointId: event.touchpointId,
    editId: event.editId,
    editor: event.editor,
    replyTo: event.editor.includes('@') ? event.editor : null,
    subject: touchpoint.subject,
    // Bounded: the notice quotes at most MAX_QUOTED_CONTENT characters of it.
    content: touchpoint.content.slice(0, MAX_QUOTED_CONTENT + 1),
    account: { id: touchpoint.accountId, name: touchpoint.accountName },
  };
  await enqueueOutbox(trx, deps.now(), {
    id: deps.newId(),
    workspaceId: event.workspaceId,
    kind: 'notice',
    key: noticeKey.edit(event.editId),
    payload,
  });
}
