// The OpenAPI document describes the routes that exist, and Swagger UI is served locally.
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

  it('serves Swagger UI from the package (no CDN)', async () => {
    const page = await fetch(`${t.httpUrl}/api/docs/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('swagger');
    expect(html).not.toMatch(/https?:\/\/(cdn|unpkg)/);
  });
});
