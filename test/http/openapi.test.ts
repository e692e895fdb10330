// The OpenAPI document of the running server is a valid OpenAPI 3.1 document describing the routes that
// exist (every operation answers something, every $ref resolves, every path parameter is declared), and
// Swagger UI is served locally.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.js';

describe('OpenAPI', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('serves an OpenAPI 3.1 document with the intake routes, their parameters and responses', async () => {
    const response = await fetch(`${t.httpUrl}/api/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { parameters?: { name: string }[]; responses: Record<string, unknown> }>
      >;
    };
    expect(doc.openapi).toBe('3.1.0');
    const raw = doc.paths['/api/v1/workspaces/{ws}/inbound']?.post;
    expect(raw?.parameters?.map((p) => p.name).sort()).toEqual(['mailFrom', 'rcpt', 'ws']);
    expect(Object.keys(raw?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '202', '401', '404', '413']),
    );
    for (const provider of ['sendgrid', 'mailgun', 'postmark', 'ses'])
      expect(doc.paths[`/api/v1/workspaces/{ws}/inbound/${provider}`]?.post).toBeDefined();
    expect(doc.paths['/healthz']?.get).toBeDefined();
    expect(doc.paths['/api/openapi.json']).toBeUndefined();
  });

  it('gives every operation a summary and a tag', async () => {
    const doc = (await (await fetch(`${t.httpUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { summary?: string; tags?: string[] }>>;
    };
    const unlabelled: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths))
      for (const [method, operation] of Object.entries(methods))
        if (!operation.summary || (operation.tags ?? []).length === 0) unlabelled.push(`${method} ${path}`);
    expect(unlabelled).toEqual([]);
    expect(doc.paths['/api/v1/workspaces/{ws}/tokens/{id}']?.delete).toMatchObject({
      summary: "Revokes a token (a member: only its own login's)",
      tags: ['tokens'],
    });
    expect(doc.paths['/healthz']?.get?.tags).toEqual(['operations']);
  });

  it('is a structurally valid OpenAPI 3.1 document', async () => {
    const doc = (await (await fetch(`${t.httpUrl}/api/openapi.json`)).json()) as Record<string, unknown>;
    expect(validityProblems(doc)).toEqual([]);
  });

  it('describes the identity routes with their security', async () => {
    const doc = (await (await fetch(`${t.httpUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    for (const [path, methods] of [
      ['/api/v1/session', ['post', 'get', 'delete']],
      ['/api/v1/import', ['post']],
      ['/api/v1/workspaces/{ws}/logins', ['get', 'post']],
      ['/api/v1/workspaces/{ws}/logins/{email}', ['get', 'patch', 'delete']],
      ['/api/v1/workspaces/{ws}/logins/{email}/password', ['put']],
      ['/api/v1/workspaces/{ws}/tokens', ['get', 'post']],
      ['/api/v1/workspaces/{ws}/tokens/{id}', ['delete']],
      ['/api/v1/workspaces/{ws}/settings', ['get', 'put']],
      ['/api/v1/workspaces/{ws}/audit', ['get']],
    ] as const)
      for (const method of methods) expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['basic', 'bearer', 'session']);
    expect(doc.paths['/api/v1/session']?.post?.security).toEqual([]);
    expect(Object.keys(doc.paths['/api/v1/workspaces/{ws}/settings']?.put?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '409']),
    );
  });

  it('serves Swagger UI from the package (no CDN)', async () => {
    const page = await fetch(`${t.httpUrl}/api/docs/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('swagger');
    expect(html).not.toMatch(/https?:\/\/(cdn|unpkg)/);
  });
});

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** What makes a document invalid OpenAPI 3.1 (the checks a validator makes that matter here). */
function validityProblems(doc: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (typeof doc.openapi !== 'string' || !/^3\.1\.\d+$/.test(doc.openapi))
    problems.push('openapi: not 3.1.x');
  const info = doc.info;
  if (!isObject(info) || typeof info.title !== 'string' || typeof info.version !== 'string')
    problems.push('info: needs title and version');
  if (!isObject(doc.paths)) return [...problems, 'paths: missing'];
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith('/')) problems.push(`${path}: does not start with /`);
    if (!isObject(item)) continue;
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const method of Object.keys(item).filter((k) => METHODS.includes(k))) {
      const op = item[method];
      const where = `${method.toUpperCase()} ${path}`;
      if (!isObject(op)) continue;
      const responses = op.responses;
      if (!isObject(responses) || Object.keys(responses).length === 0)
        problems.push(`${where}: no responses`);
      else
        for (const [code, response] of Object.entries(responses)) {
          if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(code)) problems.push(`${where}: response code ${code}`);
          if (!isObject(response) || typeof response.description !== 'string')
            problems.push(`${where} ${code}: response without description`);
        }
      if (typeof op.operationId === 'string') {
        if (operationIds.has(op.operationId))
          problems.push(`${where}: duplicate operationId ${op.operationId}`);
        operationIds.add(op.operationId);
      }
      const parameters = Array.isArray(op.parameters) ? op.parameters.filter(isObject) : [];
      for (const name of templated)
        if (!parameters.some((p) => p.in === 'path' && p.name === name && p.required === true))
          problems.push(`${where}: path parameter ${String(name)} not declared as required`);
      for (const p of parameters)
        if (!['query', 'header', 'path', 'cookie'].includes(String(p.in)) || typeof p.name !== 'string')
          problems.push(`${where}: bad parameter ${JSON.stringify(p)}`);
    }
  }
  // Every $ref points into this document and resolves.
  const visit = (node: unknown, at: string) => {
    if (Array.isArray(node)) node.forEach((n, i) => visit(n, `${at}/${i}`));
    else if (isObject(node)) {
      const ref = node.$ref;
      if (typeof ref === 'string') {
        let target: unknown = ref.startsWith('#/') ? doc : undefined;
        for (const part of ref.slice(2).split('/'))
          target = isObject(target) ? target[part.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
        if (target === undefined) problems.push(`${at}: $ref ${ref} does not resolve`);
      }
      for (const [k, v] of Object.entries(node)) visit(v, `${at}/${k}`);
    }
  };
  visit(doc, '#');
  return problems;
}
