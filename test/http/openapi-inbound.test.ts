// The OpenAPI document carries the touchpoint and inbound-log routes with their parameters, filters and
// error responses (the document is made from the same schemas that validate).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi, type ApiFixture } from '../support/api.js';

type Operation = { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> };

describe('OpenAPI for touchpoints and the inbound log', () => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await openApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('documents every route with its parameters and responses', async () => {
    const response = await api.request('GET', '/api/openapi.json', { token: null });
    const doc = response.json<{ paths: Record<string, Record<string, Operation>> }>();
    const op = (path: string, method: string) => doc.paths[`/api/v1/workspaces/{ws}${path}`]?.[method];
    expect(op('/touchpoints/{id}', 'get')?.responses).toHaveProperty('200');
    expect(Object.keys(op('/touchpoints/{id}', 'patch')?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '404', '409']),
    );
    expect(op('/touchpoints/{id}/edits', 'get')?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['limit', 'cursor']),
    );
    expect(
      op('/inbound', 'get')
        ?.parameters?.map((p) => p.name)
        .sort(),
    ).toEqual(['channel', 'cursor', 'limit', 'reason', 'sender', 'since', 'status', 'until', 'ws'].sort());
    expect(op('/inbound/{id}', 'get')?.responses).toHaveProperty('200');
    expect(op('/inbound/{id}/raw', 'get')?.responses).toHaveProperty('403');
    expect(op('/inbound/{id}/assign', 'post')?.responses).toHaveProperty('409');
    expect(op('/inbound/{id}/retry', 'post')?.responses).toHaveProperty('409');
  });
});
