// Schemas shared by routes: the error body and the outcome object of INTERFACE.md. They validate,
// serialize, and make the OpenAPI document (/api/openapi.json).
import { Type } from 'typebox';

export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      problems: Type.Optional(
        Type.Array(Type.Object({ path: Type.String(), message: Type.String() }), {
          description: 'When a document was refused: each bad field by its path (`users[3].email`).',
        }),
      ),
    }),
  },
  { description: 'Every error answers this, with a fitting status; never a stack trace.' },
);

/**
 * A value or null. Null comes first: with Fastify's type coercion, a string-first union would turn a
 * `null` in a request body into "" before trying the null branch.
 */
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([Type.Null(), schema]);

export const OutcomeSchema = Type.Object(
  {
    inboundId: Type.Optional(Type.String()),
    status: Type.Union([
      Type.Literal('recorded'),
      Type.Literal('failed'),
      Type.Literal('ignored'),
      Type.Literal('pending'),
    ]),
    reason: Nullable(Type.String()),
    workspaceId: Type.String(),
    scenario: Nullable(Type.Union([Type.Literal('bcc'), Type.Literal('forward'), Type.Literal('note')])),
    accountId: Nullable(Type.String()),
    candidates: Type.Array(Type.String()),
    touchpointId: Nullable(Type.String()),
    participants: Type.Array(
      Type.Object({
        email: Type.String(),
        name: Type.String(),
        side: Type.Union([Type.Literal('internal'), Type.Literal('external')]),
      }),
    ),
    subject: Nullable(Type.String()),
    occurredAt: Nullable(Type.String()),
    trace: Type.Array(Type.Object({ step: Type.String(), detail: Type.String() })),
  },
  { description: 'What became of an inbound message (INTERFACE.md).' },
);

export const QueuedSchema = Type.Object(
  {
    status: Type.Literal('queued'),
    workspaceId: Type.String(),
    inboundId: Type.Optional(Type.String()),
    inboundIds: Type.Optional(Type.Array(Type.String())),
  },
  { description: 'Stored durably; a worker will process it.' },
);

export const WorkspaceParams = Type.Object({ ws: Type.String({ description: 'Workspace id' }) });

export const errorResponses = {
  400: ErrorSchema,
  401: ErrorSchema,
  404: ErrorSchema,
  413: ErrorSchema,
  415: ErrorSchema,
};
