// Whether a notice goes, and to whom (SPEC §7): never a mail loop, never backscatter. Pure, so the
// whole policy reads (and is tested) as a table.
import { localPartOf, type Email } from '../address.js';
import type { OutcomeReason, OutcomeStatus } from '../outcome.js';
import type { AuthenticationFindings } from '../sender-authentication.js';
import { isNoticeReason } from './failure-wording.js';

export type NoticeSkipReason =
  /** G1: auto-replies, bounces, list mail are never answered. */
  | 'automated-mail'
  /** G3: the message failed sender authentication; its From may be forged. */
  | 'failed-authentication'
  /** The outcome is not one a notice is sent for (recorded without a receipt, duplicate, unparseable…). */
  | 'no-notice-for-outcome'
  /** The envelope sender is <>: a bounce or notification (RFC 5321 §4.5.5). */
  | 'null-return-path'
  /** A mail system, never a person (RFC 3834 §2). */
  | 'mailer-daemon'
  /** No readable From address. */
  | 'no-sender'
  /** Not a login, and its domain did not authenticate: the From may be forged (SPEC §3 G2 [decided]). */
  | 'unauthenticated-sender'
  /** The login has not asked for receipts. */
  | 'receipts-off'
  /** A touchpoint address: a notice to it would come straight back in. */
  | 'own-address'
  /** The recipient had its share of notices this hour. */
  | 'rate-limited';

export type NoticeDecision =
  | { readonly send: true; readonly to: Email }
  | { readonly send: false; readonly reason: NoticeSkipReason; readonly detail: string };

export interface NoticePolicyInput {
  /** A failure notice, or the success receipt of a recorded message. */
  readonly kind: 'failure' | 'receipt';
  readonly status: OutcomeStatus;
  readonly reason: OutcomeReason | null;
  /** Why the headers say it is automated mail (gate G1), when the gates did not run (too-large). */
  readonly automated: string | null;
  /** MAIL FROM as received: '' for <>, null when there was no envelope (CLI, some webhooks). */
  readonly envelopeSender: string | null;
  /** The message's From address. */
  readonly from: Email | null;
  /** The active login the From belongs to (its own address or an alias), or null. */
  readonly login: Email | null;
  /** Whether that login wants receipts (kind receipt only). */
  readonly receiptsWanted: boolean;
  /** What sender verification found; null when it did not run (the message was refused before). */
  readonly authentication: AuthenticationFindings | null;
  /** Every touchpoint address of the installation, any workspace's. */
  readonly touchpointAddresses: ReadonlySet<string>;
}

/** Local parts of mail systems, never people (RFC 3834 §2; as gate G1). */
const MAILER_DAEMON = /^(mailer-daemon|mailer_daemon)$/i;

export function isMailerDaemon(address: string): boolean {
  const at = address.lastIndexOf('@');
  return MAILER_DAEMON.test(at < 0 ? address : localPartOf(address as Email));
}

const skip = (reason: NoticeSkipReason, detail: string): NoticeDecision => ({ send: false, reason, detail });

export function decideNotice(input: NoticePolicyInput): NoticeDecision {
  if (input.reason === 'auto-reply' || input.automated !== null)
    return skip('automated-mail', `automated mail (${input.automated ?? 'gate G1'})`);
  if (input.reason === 'sender-not-authenticated')
    return skip('failed-authentication', 'the message failed sender authentication (gate G3)');
  const wanted =
    input.kind === 'failure'
      ? input.status === 'failed' && isNoticeReason(input.reason)
      : input.status === 'recorded';
  if (!wanted)
    return skip('no-notice-for-outcome', `no ${input.kind} for ${input.status}/${input.reason ?? '-'}`);
  if (input.envelopeSender === '') return skip('null-return-path', 'the return path is <>');
  if (input.envelopeSender !== null && isMailerDaemon(input.envelopeSender))
    return skip('mailer-daemon', `the return path is ${input.envelopeSender}`);
  if (input.from === null) return skip('no-sender', 'the message has no readable From');
  if (isMailerDaemon(input.from)) return skip('mailer-daemon', `the From is ${input.from}`);

  let to: Email;
  if (input.login !== null) {
    // A login's notice goes to the login's registered address, never to the (maybe forged) From.
    if (input.kind === 'receipt' && !input.receiptsWanted)
      return skip('receipts-off', `${input.login} has not asked for receipts`);
    to = input.login;
  } else {
    if (input.kind === 'receipt') return skip('no-notice-for-outcome', 'receipts go to logins only');
    // Policy `off` checks nothing: without a check nobody can know the domain authenticated, so an
    // unknown sender gets no notice there either (SPEC §3 G2: only if the domain authenticated).
    const auth = input.authentication;
    const aligned = auth !== null && auth.source !== 'not-checked' && (auth.spfAligned || auth.dkimAligned);
    if (!aligned)
      return skip(
        'unauthenticated-sender',
        `${input.from} is not a login and its domain did not authenticate (${auth?.summary ?? 'not checked'})`,
      );
    to = input.from;
  }
  if (input.touchpointAddresses.has(to)) return skip('own-address', `${to} is a touchpoint address`);
  return { send: true, to };
}

/**
 * The per-recipient rate limit (SPEC §7): recipients that already had `limit` notices in the window are
 * left out. Counts come from the deliveries recorded in the window.
 */
export function applyRateLimit(
  recipients: readonly string[],
  sentInWindow: ReadonlyMap<string, number>,
  limit: number,
): { readonly allowed: string[]; readonly limited: string[] } {
  const allowed: string[] = [];
  const limited: string[] = [];
  for (const r of recipients) ((sentInWindow.get(r) ?? 0) >= limit ? limited : allowed).push(r);
  return { allowed, limited };
}

export interface EditRecipientsInput {
  readonly notify: 'none' | 'new' | 'all';
  readonly contentChanged: boolean;
  /** Participants after the edit, in order. */
  readonly participants: readonly string[];
  readonly added: readonly string[];
  /** Who edited (actorOf: a login's address, or a token). */
  readonly editor: string;
  /** Every touchpoint address of the installation, any workspace's. */
  readonly touchpointAddresses: ReadonlySet<string>;
}

/** Recipients of one edit notification, at most (the rest are named as left out in the outbox). */
export const MAX_EDIT_RECIPIENTS = 50;

/**
 * Whom an edit notifies (SPEC §7): `new` → the participants added, `all` → every participant. The editor
 * is left out: they made the change and know it. Touchpoint addresses and mail systems never get one.
 */
export function editRecipients(input: EditRecipientsInput): { to: string[]; leftOut: number } {
  if (input.notify === 'none' || (input.added.length === 0 && !input.contentChanged))
    return { to: [], leftOut: 0 };
  const chosen = input.notify === 'new' ? input.added : input.participants;
  const editor = input.editor.toLowerCase();
  const unique = [...new Set(chosen.map((a) => a.toLowerCase()))].filter(
    (a) => a !== editor && !input.touchpointAddresses.has(a) && !isMailerDaemon(a) && a.includes('@'),
  );
  return {
    to: unique.slice(0, MAX_EDIT_RECIPIENTS),
    leftOut: Math.max(0, unique.length - MAX_EDIT_RECIPIENTS),
  };
}
