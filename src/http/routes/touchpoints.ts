// Touchpoint routes: read one (with participants, trace and edit count), edit it (SPEC §7) and read its
// edit history. Members and admins alike: editing touchpoints is the team's daily work.
import type { FastifyReply } from 'fastify';
import { Type, type Static } from 'typebox';
import { editTouchpoint } from '../../app/edit-touchpoint.js';
import { attachmentAt } from '../../mime/parse-message.js';
import { getInboundRaw } from '../../store/inbound-log-repository.js';
import { getTouchpointDetail, getTouchpointRow } from '../../store/touchpoint-detail-repository.js';
import { listTouchpointEdits } from '../../store/touchpoint-edit-repository.js';
import { actorOf } from '../auth.js';
import { authorize, READERS, type ApiContext, type ApiRoutes } from '../context.js';
import { decodeCursor, DEFAULT_PAGE, encodeCursor } from '../paging.js';
import { HttpError } from '../errors.js';
import { ErrorSchema, errorResponses } from '../schemas/common.js';
import { PageOf, PagingQuery } from '../paging.js';
import {
  EDIT_LIMITS,
  TouchpointEditSchema,
  TouchpointPatchSchema,
  TouchpointSchema,
  touchpointEditView,
  touchpointView,
  type TouchpointPatchBody,
} from '../schemas/touchpoint.js';

const Params = Type.Object({
  ws: Type.String({ description: 'Workspace id' }),
  id: Type.String({ description: 'Touchpoint id', maxLength: 200 }),
});
type Params = Static<typeof Params>;

const errors = { ...errorResponses, 403: ErrorSchema, 409: ErrorSchema };

const EditsQuery = Type.Object(PagingQuery);

/** Room for the longest content an edit may carry (JSON-escaped, multi-byte). */
const EDIT_BODY_LIMIT = EDIT_LIMITS.contentChars * 4 + 1024 * 1024;

export const touchpointRoutes: ApiRoutes = (app, context) => {
  app.get<{ Params: Params }>(
    '/api/v1/workspaces/:ws/touchpoints/:id',
    {
      schema: {
        description: 'One touchpoint with its participants, attachments, source and decision trace.',
        params: Params,
        response: { 200: TouchpointSchema, ...errors },
      },
    },
    async (request, reply) => {
      await authorize(request, context, READERS);
      return sendTouchpoint(context, request.params, reply);
    },
  );

  app.patch<{ Params: Params; Body: TouchpointPatchBody }>(
    '/api/v1/workspaces/:ws/touchpoints/:id',
    {
      bodyLimit: EDIT_BODY_LIMIT,
      schema: {
        description:
          'Edits a touchpoint: subject, content (plain text), reason, flow, participants (the whole list) or account. ' +
          'When participants were added or the content changed, `notify` chooses whom to tell (default none). ' +
          'Send the version you edit as `If-Match` (the ETag of GET) or `updatedAt`: 409 when it changed since. ' +
          'Each edit is kept in the edit history.',
        params: Params,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 100 })) }),
        body: TouchpointPatchSchema,
        response: { 200: TouchpointSchema, ...errors },
      },
    },
    async (request, reply) => {
      const principal = await authorize(request, context, READERS);
      const { updatedAt, ...changes } = request.body;
      const ifMatch = versionOf(request.headers['if-match']);
      const result = await editTouchpoint(context.messages, {
        workspaceId: request.params.ws,
        touchpointId: request.params.id,
        editor: actorOf(principal),
        expectedUpdatedAt: ifMatch ?? updatedAt ?? null,
        changes,
      });
      if (result.kind === 'invalid') throw new HttpError('validation-failed', result.message);
      if (result.kind === 'not-found') throw new HttpError('not-found', result.message);
      if (result.kind === 'conflict') throw new HttpError('conflict', result.message);
      if (result.edit !== null) context.wakeOutbox();
      return sendTouchpoint(context, request.params, reply);
    },
  );

  app.get<{ Params: Params; Querystring: Static<typeof EditsQuery> }>(
    '/api/v1/workspaces/:ws/touchpoints/:id/edits',
    {
      schema: {
        description:
          'The edit history of a touchpoint, newest first: who changed what, and whom they notified.',
        params: Params,
        querystring: EditsQuery,
        response: { 200: PageOf(TouchpointEditSchema, 'Edits, newest first'), ...errors },
      },
    },
    async (request) => {
      await authorize(request, context, READERS);
      const { ws, id } = request.params;
      const limit = request.query.limit ?? DEFAULT_PAGE;
      const cursor = request.query.cursor;
      const [at, editId] = cursor === undefined ? [] : (decodeCursor(cursor, 2) ?? []);
      if ((await getTouchpointRow(context.store.db, ws, id)) === null)
        throw new HttpError('not-found', `No touchpoint ${id}.`);
      const edits = await listTouchpointEdits(
        context.store.db,
        ws,
        id,
        limit + 1,
        at === undefined || editId === undefined ? undefined : { at, id: editId },
      );
      const page = edits.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(touchpointEditView),
        nextCursor: edits.length > limit && last !== undefined ? encodeCursor([last.at, last.id]) : null,
      };
    },
  );
  app.get<{ Params: Static<typeof AttachmentParams> }>(
    '/api/v1/workspaces/:ws/touchpoints/:id/attachments/:index',
    {
      schema: {
        description:
          'An attachment of the touchpoint, read out of the stored message it came from (SPEC §6), as a download: ' +
          'never shown inline (Content-Disposition: attachment, nosniff, a sandboxing CSP).',
        produces: ['application/octet-stream'],
        params: AttachmentParams,
        response: errors,
      },
    },
    async (request, reply) => {
      await authorize(request, context, READERS);
      const { ws, id, index } = request.params;
      const row = await getTouchpointRow(context.store.db, ws, id);
      if (row === null) throw new HttpError('not-found', `No touchpoint ${id}.`);
      const raw = row.inbound_id === null ? null : await getInboundRaw(context.store.db, ws, row.inbound_id);
      const attachment = raw === null ? null : await attachmentAt(raw, index);
      if (attachment === null)
        throw new HttpError('not-found', `Touchpoint ${id} has no attachment ${index}.`);
      const name = attachment.filename ?? `attachment-${index}`;
      return reply
        .type(attachment.mimeType)
        .header('content-disposition', contentDisposition(name))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "sandbox; default-src 'none'")
        .send(Buffer.from(attachment.content));
    },
  );
  return Promise.resolve();
};

const AttachmentParams = Type.Object({
  ...Params.properties,
  index: Type.Integer({ minimum: 0, maximum: 10_000, description: 'Its place in `attachments`, from 0' }),
});

/** RFC 6266: an ASCII fallback name and the exact name as RFC 5987 UTF-8; nothing of it can end the header. */
function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${rfc5987(name)}`;
}

/** RFC 5987 attr-chars only: encodeURIComponent leaves ' ( ) * which may not appear there. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

async function sendTouchpoint(context: ApiContext, params: Params, reply: FastifyReply) {
  const detail = await getTouchpointDetail(context.store.db, params.ws, params.id);
  if (detail === null) throw new HttpError('not-found', `No touchpoint ${params.id}.`);
  return reply.header('etag', `"${detail.row.updated_at}"`).send(touchpointView(detail));
}

/** The version an If-Match header names (`"…"` or `W/"…"`); undefined when there is none or it is `*`. */
function versionOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = header.trim().replace(/^W\//, '');
  if (value === '*' || value === '') return undefined;
  return value.replace(/^"|"$/g, '');
}
