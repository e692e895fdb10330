// What a queued notice carries in the outbox (kind `notice`): the facts to compose it from when it is
// sent, so the outbox shows whom it is for and why, and the wording is that of the version sending it.
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

const AccountRef = Type.Object({ id: Type.String(), name: Type.Union([Type.String(), Type.Null()]) });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const NoticePayloadSchema = Type.Union([
  Type.Object({
    type: Type.Literal('failure'),
    to: Type.String(),
    inboundId: Type.String(),
    reason: Type.Union([
      Type.Literal('sender-not-a-user'),
      Type.Literal('empty-message'),
      Type.Literal('no-customer-address'),
      Type.Literal('no-account'),
      Type.Literal('ambiguous-account'),
      Type.Literal('too-large'),
      Type.Literal('unprocessable'),
    ]),
    subject: Nullable(Type.String()),
    senderAddress: Nullable(Type.String()),
    candidates: Type.Array(AccountRef),
    trace: Type.Array(Type.Object({ step: Type.String(), detail: Type.String() })),
    /** The original Message-ID (without brackets), so the notice threads under it. */
    inReplyTo: Nullable(Type.String()),
  }),
  Type.Object({
    type: Type.Literal('receipt'),
    to: Type.String(),
    inboundId: Type.String(),
    subject: Nullable(Type.String()),
    account: AccountRef,
    assignedBy: Nullable(Type.String()),
    inReplyTo: Nullable(Type.String()),
  }),
  Type.Object({
    type: Type.Literal('edit'),
    to: Type.Array(Type.String()),
    /** Participants chosen but beyond MAX_EDIT_RECIPIENTS. */
    leftOut: Type.Integer(),
    touchpointId: Type.String(),
    editId: Type.String(),
    editor: Type.String(),
    /** Replies go to the editor (when the editor is a login), not back into the touchpoint address. */
    replyTo: Nullable(Type.String()),
    subject: Type.String(),
    content: Type.String(),
    account: AccountRef,
  }),
]);

export type NoticePayload = Static<typeof NoticePayloadSchema>;
export type NoticeType = NoticePayload['type'];

/** The payload of a stored notice, or null when it is not one this version can send. */
export function readNoticePayload(json: string): NoticePayload | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  return Value.Check(NoticePayloadSchema, value) ? value : null;
}

export function recipientsOf(payload: NoticePayload): string[] {
  return typeof payload.to === 'string' ? [payload.to] : [...payload.to];
}
