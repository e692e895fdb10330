// Why a message was not logged, in plain words, and how to fix it: the seed's "Resolution" texts
// (seed/email-to-touchpoint.txt, "Troubleshoot error messages") for every failure that warrants a
// notice (SPEC §3 G2/G4, §4, §5).
import type { OutcomeReason } from '../outcome.js';

/** Failures that are worth telling the sender about; the others are gates that must stay silent. */
export type NoticeReason = Extract<
  OutcomeReason,
  | 'sender-not-a-user'
  | 'empty-message'
  | 'no-customer-address'
  | 'no-account'
  | 'ambiguous-account'
  | 'too-large'
  | 'unprocessable'
>;

export const NOTICE_REASONS: readonly NoticeReason[] = [
  'sender-not-a-user',
  'empty-message',
  'no-customer-address',
  'no-account',
  'ambiguous-account',
  'too-large',
  'unprocessable',
];

export function isNoticeReason(reason: OutcomeReason | null): reason is NoticeReason {
  return (NOTICE_REASONS as readonly (OutcomeReason | null)[]).includes(reason);
}

export interface FailureWording {
  /** What happened, for the Subject: "Not logged: …". */
  readonly headline: string;
  /** The reason in plain words. */
  readonly why: string;
  /** How to fix it. */
  readonly fix: readonly string[];
}

/** The manual way out, offered wherever the rules could not decide (SPEC §5: assign in the inbound log). */
const BY_HAND = 'Or log it by hand: open the link below and assign the message to the right account.';

export function failureWording(reason: NoticeReason, senderAddress: string | null): FailureWording {
  switch (reason) {
    case 'sender-not-a-user':
      return {
        headline: 'your address is not a Touchmail login',
        why: `The address it came from${senderAddress === null ? '' : ` (${senderAddress})`} is not an active login user of this workspace, nor an alias of one. Only team members with a login can log touchpoints by email.`,
        fix: [
          'Send it again from the address of your Touchmail login.',
          'If you send from an alias, ask an admin to add that address as an alias of your login, then send it again.',
        ],
      };
    case 'empty-message':
      return {
        headline: 'the message was empty',
        why: 'There was nothing to log: no subject, no text in the body, no forwarded message and no attachment.',
        fix: [
          "Give it a subject or write your notes in the body, or forward the customer's message, and send it again.",
          "For meeting notes, put the customer's exact email address in the subject line.",
        ],
      };
    case 'no-customer-address':
      return {
        headline: 'no customer address was found',
        why: 'No customer (external) address was found: none in To or Cc, none in a forwarded message, none in the subject line. Addresses of your own domains count as internal.',
        fix: [
          "Make sure the customer's exact email address is in the To, Cc or Subject line (or forward the customer's own message), and send it again.",
          BY_HAND,
        ],
      };
    case 'no-account':
      return {
        headline: 'no account matches the customer',
        why: "The email address is not associated with any account: no user in the directory has the customer's address, and no account has users at the customer's domain.",
        fix: [
          "Make sure the user's email address matches the email address in the directory exactly, and send it again.",
          BY_HAND,
        ],
      };
    case 'ambiguous-account':
      return {
        headline: 'the customer is associated with more than one account',
        why: "The customer's address is associated with more than one account, and neither your earlier touchpoints nor your colleagues' touchpoints of the last week single one out.",
        fix: [
          "Keep the external participant's (contact's) email address on only one account in the directory, and send it again. Contacts kept at several levels of an account hierarchy (parent and child) count as several accounts.",
          BY_HAND,
        ],
      };
    case 'too-large':
      return {
        headline: 'the message is too large',
        why: 'The message is larger than Touchmail accepts: too many bytes, recipients, attachments or forwarded messages within each other.',
        fix: ['Send it again without the large attachments, or to fewer recipients.', BY_HAND],
      };
    case 'unprocessable':
      return {
        headline: 'Touchmail could not process the message',
        why: 'Touchmail tried to process the message several times and failed each time: something in it is beyond what this version can read. Nothing is lost: the message is kept in the inbound log.',
        fix: [
          'An admin can run it again from the link below once Touchmail is updated (Retry).',
          'If it cannot wait, send your notes about it in a new, plain message, or forward the customer’s mail again without its attachments.',
        ],
      };
  }
}
