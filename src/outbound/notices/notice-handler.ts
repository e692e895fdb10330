// Sends queued notices (outbox kind `notice`) through the outbound SMTP relay (SPEC §7): composed from
// the queued facts, from the workspace's touchpoint address with an empty envelope sender and
// Auto-Submitted, within the per-recipient rate limit. Never repeated after a crash mid-send, nor when
// the store fails after the relay took it.
import {
  composeEditNotice,
  composeFailureNotice,
  composeReceipt,
  type ComposedNotice,
} from '../../domain/notices/compose.js';
import { applyRateLimit } from '../../domain/notices/policy.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../metrics.js';
import { noticeFromAddress, recordSends, sendsSince } from '../../store/notice-repository.js';
import { enqueueOutbox } from '../../store/outbox-repository.js';
import type { Executor, OutboxRow } from '../../store/schema.js';
import type { Store } from '../../store/store.js';
import { retryDelayMs } from '../../work/retry-policy.js';
import type { OutboxHandler, OutboxResult } from '../outbox-worker.js';
import { readNoticePayload, recipientsOf, type NoticePayload } from './notice-payload.js';
import { classifySendError, isPermanentReply, type NoticeTransport } from './smtp-transport.js';

/** The rate limit's window (SPEC §7: per recipient, per hour). */
const RATE_WINDOW_MS = 60 * 60 * 1000;

export interface NoticeHandlerDependencies {
  readonly store: Store;
  /** The outbound relay (TOUCHMAIL_OUTBOUND_SMTP); null = notices are written to the log only. */
  readonly transport: NoticeTransport | null;
  /** Base of links to the inbound log and touchpoints (TOUCHMAIL_PUBLIC_URL). */
  readonly publicUrl: URL;
  /** Notices per recipient per hour (TOUCHMAIL_NOTICE_RATE_LIMIT). */
  readonly rateLimit: number;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export function noticeHandler(deps: NoticeHandlerDependencies): OutboxHandler {
  return {
    kind: 'notice',
    // The relay may have taken the message just before a crash: a second try could send it twice.
    safeToRepeat: false,
    handle: async (item) => {
      const payload = readNoticePayload(item.payload);
      if (payload === null) return { kind: 'failed', error: 'Not a notice this version can send.' };
      const result = await send(deps, item, payload);
      deps.metrics.noticesTotal.inc({
        kind: payload.type,
        result: result.kind === 'done' ? 'sent' : result.kind,
      });
      return result;
    },
  };
}

async function send(
  deps: NoticeHandlerDependencies,
  item: OutboxRow,
  payload: NoticePayload,
): Promise<OutboxResult> {
  const db = deps.store.db;
  const now = deps.now();
  const recipients = recipientsOf(payload);
  const sent = await sendsSince(db, recipients, new Date(now.getTime() - RATE_WINDOW_MS));
  const { allowed, limited } = applyRateLimit(recipients, sent, deps.rateLimit);
  if (limited.length > 0)
    deps.logger.warn(
      { outboxId: item.id, limited, limit: deps.rateLimit },
      'notice not sent to recipients over the rate limit',
    );
  if (allowed.length === 0)
    return {
      kind: 'cancelled',
      reason: `rate-limited: ${limited.join(', ')} had ${deps.rateLimit} notices in the last hour (TOUCHMAIL_NOTICE_RATE_LIMIT)`,
    };

  const from = (await noticeFromAddress(db, item.workspace_id)) ?? `touchmail@${deps.publicUrl.hostname}`;
  const notice = compose(deps.publicUrl, payload);
  const threadId = payload.type === 'edit' ? null : payload.inReplyTo;
  if (deps.transport === null) {
    // INTERFACE.md: with no outbound SMTP, notices are written to the log and the outbox only.
    deps.logger.info(
      { outboxId: item.id, to: allowed, subject: notice.subject, text: notice.text },
      'notice not sent (TOUCHMAIL_OUTBOUND_SMTP is not set); here it is',
    );
    return { kind: 'cancelled', reason: 'not sent: TOUCHMAIL_OUTBOUND_SMTP is not set; written to the log' };
  }
  // Only the send itself is caught here: what fails after it must not be taken for a refusal.
  const sending = await deps.transport
    .sendMail({
      from: { name: 'Touchmail', address: from },
      to: allowed,
      ...(payload.type === 'edit' && payload.replyTo !== null ? { replyTo: payload.replyTo } : {}),
      subject: notice.subject,
      text: notice.text,
      html: notice.html,
      ...(threadId === null ? {} : { inReplyTo: `<${threadId}>`, references: `<${threadId}>` }),
      headers: {
        // RFC 3834: a response to a message is auto-replied; an edit notification is auto-generated.
        // Either way auto-responders stay quiet and our own gate G1 ignores it if it comes back.
        'Auto-Submitted': payload.type === 'edit' ? 'auto-generated' : 'auto-replied',
        // Exchange/Outlook: no out-of-office or read receipts in answer to it.
        'X-Auto-Response-Suppress': 'All',
      },
      // MAIL FROM:<> (RFC 5321 §4.5.5): a notice that cannot be delivered bounces to no one, so no loop.
      envelope: { from: '', to: allowed },
    })
    .then(
      (info) => ({ ok: true as const, info }),
      (error: unknown) => ({ ok: false as const, failure: classifySendError(error) }),
    );
  if (!sending.ok)
    return sending.failure.permanent
      ? { kind: 'failed', error: sending.failure.error }
      : { kind: 'retry', error: sending.failure.error };
  const info = sending.info;
  // The relay took it: from here the outcome is done, whatever the store says. What is left to write
  // (the deliveries the rate limit counts, notices queued again for 4xx recipients) is written by the
  // worker with the outcome, in one transaction, and a store error retries that writing, never the send.
  const sentAt = deps.now();
  const accepted = new Set(info.accepted.map((a) => a.toLowerCase()));
  const delivered = allowed.filter((r) => accepted.has(r.toLowerCase()));
  // Some recipients refused it while others took it: it is not sent again to those who have it. A
  // recipient refused for now (4xx: greylisting, a full mailbox) gets a notice of its own, queued for
  // later and retried as any notice; a permanent refusal is kept, with who and why.
  const later =
    info.rejected.length > 0 && payload.type === 'edit'
      ? temporarilyRefused(info.rejectedErrors ?? []).filter((r) => allowed.includes(r))
      : [];
  const record = async (db: Executor): Promise<void> => {
    await recordSends(db, item.id, item.workspace_id, delivered, sentAt, deps.newId);
    if (later.length === 0) return;
    const dueAt = new Date(sentAt.getTime() + retryDelayMs(item.attempts));
    await enqueueOutbox(
      db,
      sentAt,
      ...later.map((to) => ({
        id: deps.newId(),
        workspaceId: item.workspace_id,
        kind: 'notice' as const,
        key: `${item.key}:to:${to}`,
        payload: { ...payload, to: [to], leftOut: 0 },
        dueAt,
      })),
    );
  };
  if (info.rejected.length === 0) return { kind: 'done', record };
  return {
    kind: 'done',
    note: `${refusedNote(info.rejected, info.rejectedErrors)}${later.length > 0 ? `; queued again for ${later.join(', ')}` : ''}`,
    record,
  };
}

/** Recipients the relay refused with a temporary (4xx) reply. */
function temporarilyRefused(errors: readonly { recipient?: string; responseCode?: number }[]): string[] {
  return errors.flatMap((e) =>
    e.recipient !== undefined && e.responseCode !== undefined && !isPermanentReply(e.responseCode)
      ? [e.recipient]
      : [],
  );
}

function refusedNote(
  rejected: readonly (string | { readonly address: string })[],
  errors: readonly Error[] | undefined,
): string {
  const addresses = rejected.map((r) => (typeof r === 'string' ? r : r.address));
  const why = (errors ?? []).map((e) => e.message).join('; ');
  return `refused by ${addresses.join(', ')}${why === '' ? '' : `: ${why}`}`;
}

function compose(publicUrl: URL, payload: NoticePayload): ComposedNotice {
  switch (payload.type) {
    case 'failure':
      return composeFailureNotice({
        reason: payload.reason,
        subject: payload.subject,
        senderAddress: payload.senderAddress,
        candidates: payload.candidates,
        trace: payload.trace,
        link: uiLink(publicUrl, ['inbound', payload.inboundId]),
      });
    case 'receipt':
      return composeReceipt({
        subject: payload.subject,
        account: payload.account,
        assignedBy: payload.assignedBy,
        link: uiLink(publicUrl, ['inbound', payload.inboundId]),
      });
    case 'edit':
      return composeEditNotice({
        subject: payload.subject,
        content: payload.content,
        account: payload.account,
        editor: payload.editor,
        link: uiLink(publicUrl, ['touchpoints', payload.touchpointId]),
      });
  }
}

/** A page of the web UI, which routes `#/…` hashes (`#/inbound/ID` is where a message is assigned). */
export function uiLink(publicUrl: URL, path: readonly string[]): string {
  const base = publicUrl.href.endsWith('/') ? publicUrl.href : `${publicUrl.href}/`;
  return `${base}#/${path.map(encodeURIComponent).join('/')}`;
}
