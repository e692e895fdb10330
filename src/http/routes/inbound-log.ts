// The inbound log (SPEC §5: an ambiguous or unmatched message is not lost): list and filter messages,
// read one with its trace, candidates and authentication findings, download it raw (admins: it is
// customer mail), and act on it — assign an account, or retry after fixing the directory.
import { Type, type Static } from 'typebox';
import { assignInbound, retryInbound, type ReprocessResult } from '../../app/reprocess-inbound.js';
import { normalizeEmail } from '../../domain/address.js';
import { accountNames } from '../../store/account-lookup-repository.js';
import {
  getInboundLogEntry,
  getInboundRaw,
  listInboundLog,
  type InboundLogFilter,
} from '../../store/inbound-log-repository.js';
import { actorOf } from '../auth.js';
import { ADMINS, authorize, READERS, type ApiRoutes } from '../context.js';
import { decodeCursor, DEFAULT_PAGE, encodeCursor } from '../paging.js';
import { HttpError } from '../errors.js';
import { ErrorSchema, errorResponses, OutcomeSchema } from '../schemas/common.js';
import {
  authenticationOf,
  InboundDetailSchema,
  InboundLogItemSchema,
  inboundLogItem,
  outcomeOf,
} from '../schemas/inbound-log.js';
import { PageOf, PagingQuery } from '../paging.js';

const Params = Type.Object({
  ws: Type.String({ description: 'Workspace id' }),
  id: Type.String({ description: 'Inbound message id', maxLength: 200 }),
});
type Params = Static<typeof Params>;

const errors = { ...errorResponses, 403: ErrorSchema, 409: ErrorSchema };

const LogQuery = Type.Object({
  status: Type.Optional(
    Type.Union(
      [
        Type.Literal('queued'),
        Type.Literal('recorded'),
        Type.Literal('failed'),
        Type.Literal('ignored'),
        Type.Literal('pending'),
      ],
      { description: 'Only messages with this status' },
    ),
  ),
  reason: Type.Optional(
    Type.Union(
      [
        Type.Literal('sender-not-a-user'),
        Type.Literal('sender-not-authenticated'),
        Type.Literal('empty-message'),
        Type.Literal('no-customer-address'),
        Type.Literal('no-account'),
        Type.Literal('ambiguous-account'),
        Type.Literal('too-large'),
        Type.Literal('unparseable'),
        Type.Literal('unprocessable'),
        Type.Literal('auto-reply'),
        Type.Literal('duplicate'),
        Type.Literal('never-log'),
      ],
      { description: 'Only messages that failed or were ignored for this reason' },
    ),
  ),
  sender: Type.Optional(
    Type.String({ maxLength: 320, description: 'The From address or the envelope sender (any casing)' }),
  ),
  channel: Type.Optional(
    Type.Union([Type.Literal('smtp'), Type.Literal('http'), Type.Literal('imap'), Type.Literal('cli')]),
  ),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'Received at or after (ISO-8601)' })),
  until: Type.Optional(Type.String({ format: 'date-time', description: 'Received before (ISO-8601)' })),
  ...PagingQuery,
});
type LogQuery = Static<typeof LogQuery>;

const AssignBody = Type.Object(
  { accountId: Type.String({ minLength: 1, maxLength: 200, description: 'The account to record it on' }) },
  { additionalProperties: false },
);

const ActionResponse = Type.Object(
  { ...OutcomeSchema.properties, inboundId: Type.String() },
  { description: 'The new outcome of the message' },
);

export const inboundLogRoutes: ApiRoutes = (app, context) => {
  const db = context.store.db;

  app.get<{ Params: { ws: string }; Querystring: LogQuery }>(
    '/api/v1/workspaces/:ws/inbound',
    {
      schema: {
        description:
          'The inbound log, newest first: each message with its outcome object (INTERFACE.md) and inbound id; ' +
          'queued messages have status "queued" and no outcome fields yet. Filters combine.',
        params: Type.Object({ ws: Type.String({ description: 'Workspace id' }) }),
        querystring: LogQuery,
        response: { 200: PageOf(InboundLogItemSchema, 'Messages, newest first'), ...errors },
      },
    },
    async (request) => {
      await authorize(request, context, READERS);
      const query = request.query;
      const limit = query.limit ?? DEFAULT_PAGE;
      const filter: InboundLogFilter = {
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(query.reason === undefined ? {} : { reason: query.reason }),
        ...(query.channel === undefined ? {} : { channel: query.channel }),
        ...(query.sender === undefined ? {} : { sender: senderOf(query.sender) }),
        ...(query.since === undefined ? {} : { since: isoOf(query.since, 'since') }),
        ...(query.until === undefined ? {} : { until: isoOf(query.until, 'until') }),
      };
      const [receivedAt, id] = query.cursor === undefined ? [] : (decodeCursor(query.cursor, 2) ?? []);
      const rows = await listInboundLog(
        db,
        request.params.ws,
        filter,
        limit + 1,
        receivedAt === undefined || id === undefined ? undefined : { receivedAt, id },
      );
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(inboundLogItem),
        nextCursor:
          rows.length > limit && last !== undefined ? encodeCursor([last.received_at, last.id]) : null,
      };
    },
  );

  app.get<{ Params: Params }>(
    '/api/v1/workspaces/:ws/inbound/:id',
    {
      schema: {
        description:
          'One message of the inbound log with its decision trace, candidate accounts (with names) and sender-authentication findings.',
        params: Params,
        response: { 200: InboundDetailSchema, ...errors },
      },
    },
    async (request) => {
      await authorize(request, context, READERS);
      const { ws, id } = request.params;
      const row = await getInboundLogEntry(db, ws, id);
      if (row === null) throw new HttpError('not-found', `No inbound message ${id}.`);
      const candidates = outcomeOf(row)?.candidates ?? [];
      const names = await accountNames(db, ws, candidates);
      return {
        ...inboundLogItem(row),
        rawSize: row.raw_size,
        candidateAccounts: candidates.map((c) => ({ id: c, name: names.get(c) ?? null })),
        authentication: authenticationOf(row.authentication),
      };
    },
  );

  app.get<{ Params: Params }>(
    '/api/v1/workspaces/:ws/inbound/:id/raw',
    {
      schema: {
        description: 'The message exactly as received (message/rfc822). Admins only: it is customer mail.',
        produces: ['message/rfc822'],
        params: Params,
        response: errors,
      },
    },
    async (request, reply) => {
      await authorize(request, context, ADMINS);
      const { ws, id } = request.params;
      const raw = await getInboundRaw(db, ws, id);
      if (raw === null) throw new HttpError('not-found', `No inbound message ${id}.`);
      return reply
        .type('message/rfc822')
        .header('content-disposition', `attachment; filename="${id.replace(/[^\w.-]/g, '_')}.eml"`)
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(raw));
    },
  );

  app.post<{ Params: Params; Body: Static<typeof AssignBody> }>(
    '/api/v1/workspaces/:ws/inbound/:id/assign',
    {
      schema: {
        description:
          'Records a failed (ambiguous-account, no-account, no-customer-address) or pending message on the chosen account; ' +
          'the trace says who assigned it. 409 for messages already recorded, ignored or queued, and for failures an ' +
          'account cannot settle (a sender who is not a login has no author). Audited.',
        params: Params,
        body: AssignBody,
        response: { 200: ActionResponse, ...errors },
      },
    },
    async (request) => {
      const principal = await authorize(request, context, READERS);
      const result = await assignInbound(context.messages, {
        workspaceId: request.params.ws,
        inboundId: request.params.id,
        accountId: request.body.accountId,
        actor: actorOf(principal),
      });
      return answer(result, request.params.id, context.wakeOutbox);
    },
  );

  app.post<{ Params: Params }>(
    '/api/v1/workspaces/:ws/inbound/:id/retry',
    {
      schema: {
        description:
          'Runs the rules again on a failed or pending message, against the directory as it is now, and answers the new outcome. ' +
          '409 for messages already recorded, ignored or queued. Audited.',
        params: Params,
        response: { 200: ActionResponse, ...errors },
      },
    },
    async (request) => {
      const principal = await authorize(request, context, READERS);
      const result = await retryInbound(context.messages, {
        workspaceId: request.params.ws,
        inboundId: request.params.id,
        actor: actorOf(principal),
      });
      return answer(result, request.params.id, context.wakeOutbox);
    },
  );
  return Promise.resolve();
};

function answer(result: ReprocessResult, inboundId: string, wakeOutbox: () => void) {
  if (result.kind === 'not-found') throw new HttpError('not-found', result.message);
  if (result.kind === 'conflict') throw new HttpError('conflict', result.message);
  wakeOutbox();
  return { inboundId, ...result.outcome };
}

function senderOf(value: string): string {
  const email = normalizeEmail(value);
  if (email === null) throw new HttpError('validation-failed', `sender: ${value} is not an email address.`);
  return email;
}

/** A query time as the store keeps times (ISO-8601 UTC, which sorts as it reads). */
function isoOf(value: string, name: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw new HttpError('validation-failed', `${name}: ${value} is not an ISO-8601 time.`);
  return new Date(time).toISOString();
}
