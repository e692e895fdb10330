// The HTTP server: health, metrics, the intake routes; one error handler maps every failure to the
// error catalogue (never a stack trace).
import Fastify, { LogController, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import rateLimit from '@fastify/rate-limit';
import swaggerUi from '@fastify/swagger-ui';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { Type } from 'typebox';
import { errorBody, HttpError } from './errors.js';
import { labelRoute } from './openapi-labels.js';
import { webUiRoutes } from './web-ui.js';
import { ErrorSchema } from './schemas/common.js';
import { workspaceGuard, type ApiContext, type ApiRoutes } from './context.js';
import { accountRoutes } from './routes/accounts.js';
import { rateLimitOptions } from './rate-limit.js';
import { importRoutes } from './routes/import.js';
import { inboundIntakeRoutes, type InboundIntakeDependencies } from './routes/inbound-intake.js';
import { loginRoutes } from './routes/logins.js';
import { membershipRoutes } from './routes/memberships.js';
import { timelineRoutes } from './routes/timeline.js';
import { userRoutes } from './routes/users.js';
import { myNoticesRoutes } from './routes/my-notices.js';
import { outboxRoutes } from './routes/outbox.js';
import { inboundLogRoutes } from './routes/inbound-log.js';
import { touchpointRoutes } from './routes/touchpoints.js';
import { sessionRoutes } from './routes/session.js';
import { settingsRoutes } from './routes/settings.js';
import { tokenRoutes } from './routes/tokens.js';
import { salesforceSettingsRoutes } from './routes/salesforce-settings.js';
import { personalDataRoutes } from './routes/personal-data.js';
import { salesforceSyncRoutes } from './routes/salesforce-sync.js';

export interface HttpDependencies {
  readonly context: ApiContext;
  /** Present when this node takes mail over HTTP (role `api`). */
  readonly intake: InboundIntakeDependencies | null;
  /** API requests per minute per caller (TOUCHMAIL_API_RATE_LIMIT); 0 = none. Default 600. */
  readonly apiRateLimit?: number;
}

/**
 * Largest request body of the JSON routes: 1 MiB holds any settings, login or edit many times over.
 * Routes that take more say so themselves (mail intake: the message size; the import: 64 MiB).
 */
export const API_BODY_LIMIT = 1024 * 1024;

/** The API's route modules (INTERFACE.md), one per resource, each under /api/v1. */
const API_ROUTES: readonly ApiRoutes[] = [
  sessionRoutes,
  loginRoutes,
  tokenRoutes,
  settingsRoutes,
  importRoutes,
  accountRoutes,
  userRoutes,
  membershipRoutes,
  timelineRoutes,
  touchpointRoutes,
  inboundLogRoutes,
  outboxRoutes,
  myNoticesRoutes,
  salesforceSettingsRoutes,
  salesforceSyncRoutes,
  personalDataRoutes,
];

/** Errors Fastify meets before routing (a bad URL, an over-long parameter), in the catalogue. */
function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  void reply.code(400).send(errorBody('bad-request', error.message));
}

/**
 * Errors Node's HTTP parser meets before Fastify has a request (headers over 16 KiB, a malformed request
 * line, a timeout), answered on the socket in the catalogue's shape instead of Fastify's own body.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, body] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, errorBody('headers-too-large', 'The request headers are larger than 16 KiB.')]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, errorBody('request-timeout', 'The request did not arrive in time.')]
        : [400, errorBody('bad-request', 'The request is not valid HTTP.')];
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}

export type HttpServer = Awaited<ReturnType<typeof buildHttpServer>>;

export async function buildHttpServer({ context, intake, apiRateLimit = 600 }: HttpDependencies) {
  const { store, logger, metrics } = context;
  const app = Fastify({
    bodyLimit: API_BODY_LIMIT,
    // Path parameters carry emails (RFC 5321: up to 320 octets); the schemas bound each one.
    routerOptions: { maxParamLength: 1000 },
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    // A field a schema does not know is refused (400), not silently dropped: a misspelt field must not
    // look like it was saved. Querystrings are still coerced ("50" → 50).
    ajv: { customOptions: { removeAdditional: false } },
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
  });

  app.setErrorHandler((error: unknown, request, reply) => {
    if (error instanceof HttpError)
      return reply.code(error.status).send(errorBody(error.code, error.message, error.problems));
    const fields = typeof error === 'object' && error !== null ? error : {};
    const status = 'statusCode' in fields && typeof fields.statusCode === 'number' ? fields.statusCode : 500;
    const message = error instanceof Error ? error.message : 'Internal error';
    if ('validation' in fields) return reply.code(400).send(errorBody('validation-failed', message));
    if (status === 413) return reply.code(413).send(errorBody('payload-too-large', message));
    if (status === 415) return reply.code(415).send(errorBody('unsupported-media-type', message));
    if (status === 429) return reply.code(429).send(errorBody('rate-limited', message));
    if (status >= 400 && status < 500) return reply.code(status).send(errorBody('bad-request', message));
    request.log.error({ err: error, url: request.url }, 'request failed');
    return reply
      .code(500)
      .send(errorBody('internal-error', 'Something went wrong on our side; it is logged.'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody('not-found', `No route ${request.method} ${request.url}.`)),
  );

  // Before swagger's own onRoute hook, which reads the schemas as they are then.
  app.addHook('onRoute', labelRoute);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Touchmail API',
        version: '1',
        description: 'Email to customer touchpoints: intake, health and metrics (INTERFACE.md).',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          basic: { type: 'http', scheme: 'basic' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'touchmail_session',
            description:
              'The web UI: POST /api/v1/session sets it; POST, PUT, PATCH and DELETE also need X-CSRF-Token.',
          },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  // Before every route, so each one is limited (but those isExempt lets through); 0 = no limit.
  if (apiRateLimit > 0) await app.register(rateLimit, rateLimitOptions(apiRateLimit, context));
  // Served from the package itself: no CDN, so the UI works offline.
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());

  app.get(
    '/healthz',
    {
      schema: {
        security: [],
        description: '200 when the database answers',
        response: { 200: Type.Object({ status: Type.Literal('ok') }), 503: ErrorSchema },
      },
    },
    async (_request, reply) => {
      try {
        await store.ping();
        return { status: 'ok' };
      } catch (error) {
        logger.error({ err: error }, 'health check: database does not answer');
        return reply.code(503).send(errorBody('unavailable', 'The database does not answer.'));
      }
    },
  );

  app.get(
    '/metrics',
    { schema: { security: [], description: 'Prometheus text format', produces: ['text/plain'] } },
    async (_request, reply) => {
      const text = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(text);
    },
  );

  // After the rate limit (route-level onRequest hooks run after the app's): a refused credential is
  // counted against its address before it is answered 401. Still before the body is parsed.
  app.addHook('preParsing', workspaceGuard(context));
  if (intake !== null) await app.register((scope) => inboundIntakeRoutes(scope, intake));
  for (const routes of API_ROUTES) await app.register((scope) => routes(scope, context));
  // The web UI at `/`, registered here only (src/http/web-ui.ts).
  await app.register((scope) => webUiRoutes(scope));
  return app;
}
