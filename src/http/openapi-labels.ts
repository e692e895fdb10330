// Every operation of the OpenAPI document gets a summary and a tag, so Swagger UI groups and names
// them: the route's own when it gives them, else the first sentence of its description and the
// resource its path names (/api/v1/workspaces/{ws}/tokens/{id} → tokens).
import type { RouteOptions } from 'fastify';

/** Longest summary: a line in Swagger UI's list; the description keeps the rest. */
const SUMMARY_LIMIT = 120;

/** The resource a path names: the segment after the workspace, else after /api/v1, else operations. */
export function tagOf(url: string): string {
  const parts = url.split('/').filter((p) => p !== '');
  if (parts[0] !== 'api') return 'operations';
  const start = parts[2] === 'workspaces' ? 4 : 2;
  return parts[start] ?? (parts[2] === 'workspaces' ? 'workspaces' : 'operations');
}

/** The first sentence of a description (up to SUMMARY_LIMIT characters), or METHOD path. */
export function summaryOf(description: unknown, method: string, url: string): string {
  if (typeof description !== 'string' || description.trim() === '') return `${method} ${url}`;
  const sentence = /^(.+?)\.(\s|$)/.exec(description.trim())?.[1] ?? description.trim();
  const text = sentence.replace(/[:;,]$/, '');
  return text.length <= SUMMARY_LIMIT ? text : `${text.slice(0, SUMMARY_LIMIT - 1)}…`;
}

/** An onRoute hook: fills in the schema's summary and tags where the route left them out. */
export function labelRoute(route: RouteOptions): void {
  const schema = route.schema;
  if (schema === undefined || schema.hide === true) return;
  const method = (Array.isArray(route.method) ? route.method.join(',') : route.method).toUpperCase();
  route.schema = {
    ...schema,
    summary:
      typeof schema.summary === 'string' ? schema.summary : summaryOf(schema.description, method, route.url),
    tags: Array.isArray(schema.tags) && schema.tags.length > 0 ? schema.tags : [tagOf(route.url)],
  };
}
