// HTTP intake (SPEC §2.2): raw MIME, and the inbound-parse webhooks of SendGrid, Mailgun, Postmark and
// Amazon SES (through SNS). Every message is stored durably before the 2xx answer.
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MessageDependencies } from '../../app/dependencies.js';
import { ingestMessage, QueuedNotProcessed } from '../../app/ingest-message.js';
import { normalizeEmail, type Email } from '../../domain/address.js';
import { inboundRows } from '../../intake/accept.js';
import { countOutcome, type Metrics } from '../../metrics.js';
import { insertInbound, type NewInbound } from '../../store/inbound-repository.js';
import { workspaceIdByTouchpointAddress } from '../../store/workspace-repository.js';
import { authenticate, requireWorkspace } from '../auth.js';
import { Type } from 'typebox';
import { HttpError } from '../errors.js';
import { errorResponses, OutcomeSchema, QueuedSchema, WorkspaceParams } from '../schemas/common.js';
import { parseProviderPayload, type ProviderName } from './inbound-providers.js';

export interface InboundIntakeDependencies {
  readonly messages: MessageDependencies;
  readonly adminToken: string | null;
  readonly metrics: Metrics;
  readonly onAccepted: (rows: readonly NewInbound[]) => void;
}

const PROVIDER_DESCRIPTIONS: Record<ProviderName, string> = {
  sendgrid: 'SendGrid Inbound Parse with "POST the raw, full MIME message" (multipart: email, envelope).',
  mailgun: 'A Mailgun route forwarding to this URL with the MIME message (body-mime, recipient, sender).',
  postmark: 'Postmark inbound JSON with "include raw email content" (RawEmail, OriginalRecipient, From).',
  ses: 'Amazon SES receipt rule publishing to SNS with the message content (SNS Notification JSON).',
};

/** Provider payloads carry the message base64- or form-encoded: room for that overhead. */
const ENCODING_OVERHEAD = 1.4;

export async function inboundIntakeRoutes(
  app: FastifyInstance,
  deps: InboundIntakeDependencies,
): Promise<void> {
  const maxBytes = deps.messages.maxMessageBytes;
  const store = deps.messages.store;
  await app.register(formbody, { bodyLimit: Math.ceil(maxBytes * ENCODING_OVERHEAD) });
  await app.register(multipart, {
    limits: {
      fieldSize: Math.ceil(maxBytes * ENCODING_OVERHEAD),
      fields: 100,
      files: 20,
      fileSize: maxBytes,
    },
  });
  app.addContentTypeParser(
    ['message/rfc822', 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: maxBytes },
    (_request, body, done) => done(null, body),
  );

  const authorize = async (request: FastifyRequest<{ Params: { ws: string } }>) => {
    const principal = await authenticate(request, store, deps.adminToken);
    requireWorkspace(principal, request.params.ws, ['admin', 'member', 'intake']);
  };

  /** The recipients of this workspace among `addresses`; refuses addresses of no or another workspace. */
  const recipientsOf = async (
    workspaceId: string,
    addresses: readonly string[],
  ): Promise<Map<Email, string>> => {
    const recipients = new Map<Email, string>();
    for (const address of addresses) {
      const email = normalizeEmail(address);
      if (email !== null && (await workspaceIdByTouchpointAddress(store.db, email)) === workspaceId)
        recipients.set(email, workspaceId);
    }
    if (recipients.size === 0 && addresses.length > 0) {
      throw new HttpError(
        'bad-request',
        `None of ${addresses.join(', ')} is a touchpoint address of workspace ${workspaceId}.`,
      );
    }
    return recipients;
  };

  app.post<{ Params: { ws: string }; Querystring: { rcpt?: string; mailFrom?: string } }>(
    '/api/v1/workspaces/:ws/inbound',
    {
      bodyLimit: maxBytes,
      schema: {
        description:
          'Takes one raw message (Content-Type: message/rfc822), stores it durably, processes it and answers its outcome.',
        consumes: ['message/rfc822', 'application/octet-stream'],
        params: WorkspaceParams,
        querystring: Type.Object({
          rcpt: Type.Optional(
            Type.String({ description: 'Envelope recipient: a touchpoint address of the workspace' }),
          ),
          mailFrom: Type.Optional(Type.String({ description: 'Envelope sender; empty for the null sender' })),
        }),
        response: { 200: OutcomeSchema, 202: QueuedSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      await authorize(request);
      if (!Buffer.isBuffer(request.body) || request.body.byteLength === 0) {
        throw new HttpError(
          'unsupported-media-type',
          'Send the raw message as the body, with Content-Type: message/rfc822.',
        );
      }
      const ws = request.params.ws;
      const recipients = await recipientsOf(ws, request.query.rcpt === undefined ? [] : [request.query.rcpt]);
      const mailFrom =
        request.query.mailFrom === undefined ? null : request.query.mailFrom.replace(/^<|>$/g, '');
      try {
        const { inboundId, outcome } = await ingestMessage(
          deps.messages,
          { raw: request.body, envelope: { mailFrom, rcptTo: [...recipients.keys()] } },
          'http',
          ws,
        );
        deps.metrics.acceptedTotal.inc({ channel: 'http' });
        countOutcome(deps.metrics, outcome);
        return reply.code(200).send({ inboundId, ...outcome });
      } catch (error) {
        if (!(error instanceof QueuedNotProcessed)) throw error;
        deps.metrics.acceptedTotal.inc({ channel: 'http' });
        deps.onAccepted([]);
        return reply.code(202).send({ inboundId: error.inboundId, status: 'queued', workspaceId: ws });
      }
    },
  );

  for (const provider of [
    'sendgrid',
    'mailgun',
    'postmark',
    'ses',
  ] as const satisfies readonly ProviderName[]) {
    app.post<{ Params: { ws: string } }>(
      `/api/v1/workspaces/:ws/inbound/${provider}`,
      {
        bodyLimit: Math.ceil(maxBytes * ENCODING_OVERHEAD),
        schema: {
          description: PROVIDER_DESCRIPTIONS[provider],
          security: [{ bearer: [] }, { basic: [] }],
          params: WorkspaceParams,
          response: {
            200: Type.Object({ status: Type.Literal('ignored'), detail: Type.String() }),
            202: QueuedSchema,
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        await authorize(request);
        const payload = await parseProviderPayload(provider, request);
        if (payload.kind === 'acknowledge')
          return reply.code(200).send({ status: 'ignored', detail: payload.detail });
        if (payload.raw.byteLength > maxBytes)
          throw new HttpError('payload-too-large', `The message is over ${maxBytes} bytes.`);
        const ws = request.params.ws;
        const recipients = await recipientsOf(ws, payload.rcptTo);
        const messages = deps.messages;
        if (recipients.size === 0) {
          const fallback = await store.db
            .selectFrom('touchpoint_addresses')
            .select('address')
            .where('workspace_id', '=', ws)
            .executeTakeFirst();
          if (fallback === undefined)
            throw new HttpError('not-found', `Workspace ${ws} has no touchpoint address.`);
          recipients.set(fallback.address as Email, ws);
        }
        const rows = inboundRows(
          payload.raw,
          payload.mailFrom,
          recipients,
          'http',
          messages.now(),
          messages.newId,
        );
        await insertInbound(store.db, ...rows);
        deps.metrics.acceptedTotal.inc({ channel: 'http' }, rows.length);
        deps.onAccepted(rows);
        return reply.code(202).send({ status: 'queued', workspaceId: ws, inboundIds: rows.map((r) => r.id) });
      },
    );
  }
}
