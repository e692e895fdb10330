// The touchpoint as the API shows it (SPEC §1, §6), its edit request and its edit history; the mapping
// from the store's rows is here and only here.
import { Type, type Static } from 'typebox';
import type { Participant } from '../../domain/scenario.js';
import type { TouchpointDetail } from '../../store/touchpoint-detail-repository.js';
import type { TouchpointEdit } from '../../store/touchpoint-edit-repository.js';
import { Nullable } from './common.js';

const Side = Type.Union([Type.Literal('internal'), Type.Literal('external')]);

export const ParticipantSchema = Type.Object(
  {
    email: Type.String(),
    name: Type.String(),
    side: Side,
  },
  {
    description:
      "A participant as the directory knows them: a user's or login's name when it has the address (else the mail's), a login under its own address whichever alias the mail showed",
  },
);

export const TraceSchema = Type.Array(Type.Object({ step: Type.String(), detail: Type.String() }), {
  description: 'The decision trace: why the touchpoint is on this account (SPEC §5)',
});

const NotifySchema = Type.Union([Type.Literal('none'), Type.Literal('new'), Type.Literal('all')], {
  description:
    'Whom to tell when participants were added or the content changed (SPEC §7): no one, only the new participants, or all participants',
});

export const TouchpointSchema = Type.Object(
  {
    id: Type.String(),
    workspaceId: Type.String(),
    account: Type.Object({ id: Type.String(), name: Type.String() }),
    type: Type.String({ description: '`Email` for every mail-made touchpoint' }),
    flow: Type.String(),
    reason: Nullable(Type.String()),
    subject: Type.String(),
    content: Type.Object({
      text: Type.String({ description: 'The whole text, quoted history included' }),
      visibleText: Nullable(
        Type.String({
          description:
            "The text without quoted history and signature; for a forward, the customer's words first under who wrote and who forwarded them ('Bob Stone wrote — forwarded by Jill Hart'), then the forwarder's note; null = all of text",
        }),
      ),
      html: Nullable(
        Type.String({
          description: "The mail's sanitized HTML; null when it had none or the content was edited",
        }),
      ),
    }),
    occurredAt: Type.String(),
    author: Type.Object({
      email: Type.String(),
      name: Nullable(Type.String({ description: 'null when the author is no longer a login' })),
    }),
    participants: Type.Array(ParticipantSchema),
    attachments: Type.Array(
      Type.Object({
        filename: Nullable(Type.String()),
        mimeType: Type.String(),
        size: Type.Integer(),
        download: Nullable(
          Type.String({
            description:
              'Where to download it (read out of the stored message); null for imported history, which has none, and once the message is no longer kept (SPEC §11).',
          }),
        ),
      }),
    ),
    source: Type.Object({
      scenario: Nullable(
        Type.Union([Type.Literal('bcc'), Type.Literal('forward'), Type.Literal('note')], {
          description: 'null for imported history',
        }),
      ),
      inboundId: Nullable(Type.String()),
      messageKey: Nullable(Type.String({ description: 'What makes two messages "the same mail" (SPEC §6)' })),
      originalKept: Type.Boolean({
        description:
          'Whether the message it was made from is still kept (false for imported history, and after retention, no-body storage or an erasure: SPEC §11)',
      }),
    }),
    trace: TraceSchema,
    createdAt: Type.String(),
    updatedAt: Type.String({ description: 'The version: send it back as If-Match (or updatedAt) to edit' }),
    editCount: Type.Integer(),
  },
  { description: 'One touchpoint with its participants and decision trace' },
);

export type TouchpointView = Static<typeof TouchpointSchema>;

/** Bounds of an edit: hostile input gets a clear 400 rather than a huge row. */
export const EDIT_LIMITS = {
  subjectChars: 998,
  contentChars: 1_000_000,
  participants: 500,
  nameChars: 200,
  fieldChars: 200,
} as const;

export const TouchpointPatchSchema = Type.Object(
  {
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: EDIT_LIMITS.subjectChars })),
    content: Type.Optional(
      Type.String({
        maxLength: EDIT_LIMITS.contentChars,
        description: 'Plain text; the HTML version of the mail is dropped when the text changes',
      }),
    ),
    reason: Type.Optional(Nullable(Type.String({ maxLength: EDIT_LIMITS.fieldChars }))),
    flow: Type.Optional(Type.String({ minLength: 1, maxLength: EDIT_LIMITS.fieldChars })),
    participants: Type.Optional(
      Type.Array(
        Type.Object({
          email: Type.String({ minLength: 3, maxLength: 320 }),
          name: Type.Optional(Type.String({ maxLength: EDIT_LIMITS.nameChars })),
        }),
        {
          maxItems: EDIT_LIMITS.participants,
          description:
            'The whole new list; a participant already there keeps its name and recorded side, an added one gets its side by SPEC §4 (the author’s domain, the internal domains); a name given replaces the one it had',
        },
      ),
    ),
    accountId: Type.Optional(Type.String({ minLength: 1, maxLength: EDIT_LIMITS.fieldChars })),
    notify: Type.Optional(NotifySchema),
    updatedAt: Type.Optional(
      Type.String({
        maxLength: 64,
        description: 'The version edited (as If-Match): 409 when the touchpoint changed since',
      }),
    ),
  },
  { description: 'The fields to change; absent fields stay as they are', additionalProperties: false },
);

export type TouchpointPatchBody = Static<typeof TouchpointPatchSchema>;

const ChangesSchema = Type.Record(
  Type.String(),
  Type.Object({ before: Type.Unknown(), after: Type.Unknown() }),
  {
    description:
      'Each changed field (accountId, subject, content, reason, flow, participants), before and after',
  },
);

export const TouchpointEditSchema = Type.Object({
  id: Type.String(),
  touchpointId: Type.String(),
  editor: Type.String({ description: 'Who edited: a login email, token:<id> or admin-token' }),
  at: Type.String(),
  changes: ChangesSchema,
  participantsAdded: Type.Array(ParticipantSchema),
  participantsRemoved: Type.Array(ParticipantSchema),
  notify: NotifySchema,
});

export function touchpointView(detail: TouchpointDetail): TouchpointView {
  const { row } = detail;
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    account: { id: row.account_id, name: detail.accountName },
    type: row.type,
    flow: row.flow,
    reason: row.reason,
    subject: row.subject,
    content: { text: row.content_text, visibleText: row.content_visible, html: row.content_html },
    occurredAt: row.occurred_at,
    author: { email: row.author_email, name: detail.authorName },
    participants: detail.participants.map(participantView),
    attachments: attachmentsOf(row.attachments).map((a, index) => ({
      ...a,
      download: !detail.originalKept
        ? null
        : `/api/v1/workspaces/${encodeURIComponent(row.workspace_id)}/touchpoints/${encodeURIComponent(row.id)}/attachments/${index}`,
    })),
    source: {
      scenario:
        row.scenario === 'bcc' || row.scenario === 'forward' || row.scenario === 'note' ? row.scenario : null,
      inboundId: row.inbound_id,
      messageKey: row.message_key,
      originalKept: detail.originalKept,
    },
    trace: traceOf(row.trace),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    editCount: detail.editCount,
  };
}

export function touchpointEditView(edit: TouchpointEdit): Static<typeof TouchpointEditSchema> {
  return {
    id: edit.id,
    touchpointId: edit.touchpointId,
    editor: edit.editor,
    at: edit.at,
    changes: { ...edit.changes },
    participantsAdded: edit.participantsAdded.map(participantView),
    participantsRemoved: edit.participantsRemoved.map(participantView),
    notify: edit.notify,
  };
}

function participantView(p: Participant) {
  return { email: p.email, name: p.name, side: p.side };
}

/** A JSON list of objects read back with a guard per item: a bad item is dropped, not trusted. */
function objectsOf(json: string): Record<string, unknown>[] {
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item) ? [{ ...item }] : [],
  );
}

function attachmentsOf(json: string): Omit<TouchpointView['attachments'][number], 'download'>[] {
  return objectsOf(json).map((a) => ({
    filename: typeof a.filename === 'string' ? a.filename : null,
    mimeType: typeof a.mimeType === 'string' ? a.mimeType : 'application/octet-stream',
    size: typeof a.size === 'number' ? a.size : 0,
  }));
}

export function traceOf(json: string): TouchpointView['trace'] {
  return objectsOf(json).flatMap((e) =>
    typeof e.step === 'string' && typeof e.detail === 'string' ? [{ step: e.step, detail: e.detail }] : [],
  );
}
