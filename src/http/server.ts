// The HTTP server: health now; the API and the web UI mount here.
import Fastify from 'fastify';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';

export interface HttpDependencies {
  readonly store: Store;
  readonly logger: Logger;
}

export type HttpServer = ReturnType<typeof buildHttpServer>;

export function buildHttpServer({ store, logger }: HttpDependencies) {
  const app = Fastify({ loggerInstance: logger, disableRequestLogging: true });

  app.get('/healthz', async (_request, reply) => {
    try {
      await store.ping();
      return { status: 'ok' };
    } catch (error) {
      logger.error({ err: error }, 'health check: database does not answer');
      return reply
        .code(503)
        .send({ error: { code: 'database-unavailable', message: 'The database does not answer.' } });
    }
  });

  return app;
}
