// Request rate limits of the API (@fastify/rate-limit): per caller — its token or session once verified,
// else its address (a made-up token per request must not buy a fresh bucket) — answered with 429
// `rate-limited` and Retry-After. Mail
// intake is exempt (like SMTP, it must never be throttled by UI or script traffic; its size limits and
// authentication bound it), and so are health and metrics (monitoring must see an overloaded node).
import type { RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { principalKey } from './auth.js';
import { principalOf, type ApiContext } from './context.js';

/** Raw MIME and the provider webhooks (routes/inbound-intake.ts). */
const INTAKE_ROUTE = /^\/api\/v1\/workspaces\/:ws\/inbound(\/(sendgrid|mailgun|postmark|ses))?$/;
const MONITORING_ROUTES = new Set(['/healthz', '/metrics']);

export function isExempt(request: FastifyRequest): boolean {
  const route = request.routeOptions.url ?? '';
  if (MONITORING_ROUTES.has(route)) return true;
  return request.method === 'POST' && INTAKE_ROUTE.test(route);
}

/** Options for the plugin, registered before every route so each is limited but those exempt. */
export function rateLimitOptions(perMinute: number, context: ApiContext): RateLimitPluginOptions {
  return {
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    // The caller is authenticated here, once (routes reuse it): the plugin asks for the key first.
    keyGenerator: async (request) => {
      if (isExempt(request)) return 'exempt';
      // Refused credentials (unknown token, ended session, no CSRF token) count against the address;
      // the route answers the refusal itself.
      return principalOf(request, context).then(principalKey, () => `ip:${request.ip}`);
    },
    allowList: (request) => isExempt(request),
    // Our error handler turns the plugin's 429 into { error: { code: 'rate-limited', … } }.
  };
}
