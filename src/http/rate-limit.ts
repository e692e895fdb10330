// Request rate limits of the API (@fastify/rate-limit): per caller — a digest of its token or session
// cookie, or its address when it sends none — answered with 429 `rate-limited` and Retry-After. Mail
// intake is exempt (like SMTP, it must never be throttled by UI or script traffic; its size limits and
// authentication bound it), and so are health and metrics (monitoring must see an overloaded node).
import type { RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { rateLimitKey } from './auth.js';

/** Raw MIME and the provider webhooks (routes/inbound-intake.ts). */
const INTAKE_ROUTE = /^\/api\/v1\/workspaces\/:ws\/inbound(\/(sendgrid|mailgun|postmark|ses))?$/;
const MONITORING_ROUTES = new Set(['/healthz', '/metrics']);

export function isExempt(request: FastifyRequest): boolean {
  const route = request.routeOptions.url ?? '';
  if (MONITORING_ROUTES.has(route)) return true;
  return request.method === 'POST' && INTAKE_ROUTE.test(route);
}

/** Options for the plugin, registered before every route so each is limited but those exempt. */
export function rateLimitOptions(perMinute: number): RateLimitPluginOptions {
  return {
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: rateLimitKey,
    allowList: (request) => isExempt(request),
    // Our error handler turns the plugin's 429 into { error: { code: 'rate-limited', … } }.
  };
}
