// The outbox of a workspace (admins): notices and Salesforce writes with their status and last error,
// so what was not sent (no outbound SMTP, rate-limited, refused) stays visible (SPEC §7, §9).
import { Type, type Static } from 'typebox';
import { listOutbox } from '../../store/outbox-repository.js';
import type { OutboxRow } from '../../store/schema.js';
import { ADMINS, authorize, type ApiRoutes } from '../context.js';
import { HttpError } from '../errors.js';
import { ErrorSchema, WorkspaceParams } from '../schemas/common.js';

const OutboxItemSchema = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: 'notice | salesforce' }),
  key: Type.String({ description: 'Idempotency key: one item per key (e.g. notice:failure:<inbound id>).' }),
  status: Type.String({ description: 'queued | sending | sent | failed | cancelled' }),
  attempts: Type.Integer(),
  dueAt: Type.String({ description: 'Not tried before this time.' }),
  lastError: Type.Union([Type.String(), Type.Null()], {
    description:
      'Why the last attempt failed, or why it was cancelled; for a sent notice, the recipients that refused it.',
  }),
  createdAt: Type.String(),
  doneAt: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Unknown({ description: 'What the item carries (a notice: its recipients and facts).' }),
});

const OutboxQuery = Type.Object({
  kind: Type.Optional(Type.Union([Type.Literal('notice'), Type.Literal('salesforce')])),
  status: Type.Optional(
    Type.Union([
      Type.Literal('queued'),
      Type.Literal('sending'),
      Type.Literal('sent'),
      Type.Literal('failed'),
      Type.Literal('cancelled'),
    ]),
  ),
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 200, description: 'Items per page (default 50).' }),
  ),
  cursor: Type.Optional(
    Type.String({ minLength: 1, maxLength: 512, description: 'nextCursor of the previous page.' }),
  ),
});

export const outboxRoutes: ApiRoutes = (app, context) => {
  app.get<{ Params: { ws: string }; Querystring: Static<typeof OutboxQuery> }>(
    '/api/v1/workspaces/:ws/outbox',
    {
      schema: {
        description:
          'Admins: the outbox, newest first — notices (failure, receipt, edit) and Salesforce writes, with status and last error. Without TOUCHMAIL_OUTBOUND_SMTP notices stay here, queued.',
        params: WorkspaceParams,
        querystring: OutboxQuery,
        response: {
          200: Type.Object({
            items: Type.Array(OutboxItemSchema),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          400: ErrorSchema,
          401: ErrorSchema,
          403: ErrorSchema,
          404: ErrorSchema,
        },
      },
    },
    async (request) => {
      await authorize(request, context, ADMINS);
      const { kind, status, cursor } = request.query;
      const limit = request.query.limit ?? 50;
      const rows = await listOutbox(context.store.db, request.params.ws, {
        limit: limit + 1,
        ...(kind === undefined ? {} : { kind }),
        ...(status === undefined ? {} : { status }),
        ...(cursor === undefined ? {} : { before: decodeCursor(cursor) }),
      });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map(toItem),
        nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last) : null,
      };
    },
  );
  return Promise.resolve();
};

function toItem(row: OutboxRow) {
  let payload: unknown;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    payload = null;
  }
  return {
    id: row.id,
    kind: row.kind,
    key: row.key,
    status: row.status,
    attempts: row.attempts,
    dueAt: row.due_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    doneAt: row.done_at,
    payload,
  };
}

function encodeCursor(row: OutboxRow): string {
  return Buffer.from(JSON.stringify([row.created_at, row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (Array.isArray(value) && value.length === 2) {
    const createdAt: unknown = value[0];
    const id: unknown = value[1];
    if (typeof createdAt === 'string' && typeof id === 'string') return { createdAt, id };
  }
  throw new HttpError('bad-request', 'The cursor is not one this list gave out.');
}
